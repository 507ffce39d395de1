// @ts-check
// The step detail part: the selected step's request (method, URL, headers, body) and response
// (status, headers, body), already split and masked by the kernel. The dumps come by custom
// message ({kind: "detail", step, request, response}), never as model state; the view asks
// with {kind: "hello"} when it mounts.
import { h } from "./dom.js";

/** @typedef {import("./dom.js").Model} Model */
/** @typedef {{ method: string, url: string, status: string, headers: string[][], body: string, truncated: boolean }} Dump */

/** @param {string} title @param {Dump | undefined} dump @param {"request" | "response"} side */
export function dumpSection(title, dump, side) {
  const section = h("section", { class: `cyclr-http cyclr-${side}` });
  section.append(h("h4", {}, title));
  if (!dump) return section;
  if (side === "request") {
    section.append(h("div", { class: "cyclr-http-line" }, `${dump.method} ${dump.url}`.trim() || "(no request line)"));
  } else {
    section.append(h("div", { class: "cyclr-http-status" }, dump.status || "(no status line)"));
  }
  if (dump.headers.length) {
    const table = h("table", { class: "cyclr-http-headers", "aria-label": `${title} headers` });
    for (const [name, value] of dump.headers) {
      const tr = h("tr");
      tr.append(h("th", { scope: "row" }, name), h("td", {}, value));
      table.append(tr);
    }
    section.append(table);
  }
  // A scrollable region: focusable and named, so a keyboard can scroll it (axe's
  // scrollable-region-focusable) and a screen reader says whose body it is.
  const body = h("pre", { class: "cyclr-http-body", tabindex: "0", role: "region", "aria-label": `${title} body` }, dump.body || "(empty body)");
  section.append(body);
  if (dump.truncated) section.append(h("div", { class: "cyclr-http-note" }, "Body truncated for display."));
  return section;
}

/** @param {{ model: Model, el: HTMLElement }} ctx */
export function renderStepDetail({ model, el }) {
  const root = h("div", { class: "cyclr-step-detail" });
  el.replaceChildren(root);
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || msg.kind !== "detail") return;
    root.replaceChildren();
    const step = msg.step;
    if (!step) return;
    const title = h("div", { class: "cyclr-step-title" });
    title.append(h("b", {}, step.name), h("span", { class: "cyclr-step-status", "data-status": step.status }, step.status));
    const when = step.started_local ? `started ${step.started_local} (${step.started_utc})` : "";
    title.append(h("span", { class: "cyclr-step-when" }, when));
    root.append(title);
    if (step.message) root.append(h("div", { class: "cyclr-step-message" }, step.message));
    const pair = h("div", { class: "cyclr-http-pair" });
    pair.append(dumpSection("Request", msg.request, "request"), dumpSection("Response", msg.response, "response"));
    root.append(pair);
  };
  model.on("msg:custom", onMsg);
  model.send({ kind: "hello" });
  return () => model.off("msg:custom", onMsg);
}

/**
 * Escaped HTML that comes by custom message ({kind: "html", value}), never as model state (an
 * incident's full text quotes the third party's answer).
 * @param {{ model: Model, el: HTMLElement }} ctx
 */
export function renderMessageHtml({ model, el }) {
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (msg && msg.kind === "html") el.innerHTML = String(msg.value || "");
  };
  model.on("msg:custom", onMsg);
  model.send({ kind: "hello" });
  return () => model.off("msg:custom", onMsg);
}
