// @ts-check
// The partner view's health table (cyclr_widgets/widgets/_explorer_partner.py): one row per
// account, worst first, filling in as the kernel's scan goes. Rows never live in model state: the
// kernel sends them by message in batches ({kind: "rows", reset, columns, ids, rows}; reset
// starts over), and this view merges each batch into its sorted rows. The toolbar: the window
// (24 hours or 7 days, a trait), Stop and Refresh (messages), a progress bar over done/total (the
// traits), a search. A click on a row sets `selected_id`: the kernel opens that account.
import { h } from "./dom.js";
import { MAX_RENDERED, countLabel, escapeHtml, filterRows, prepareRows, rowNavigation } from "./table.js";
import { cellHtml, chipHtml } from "./table_cells.js";

/** @typedef {import("./dom.js").Model} Model */
/** @typedef {import("./table.js").Row} Row */

/** The windows offered, as the kernel names them (WINDOWS in _explorer_partner.py). */
export const WINDOWS = [
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
];

/** @param {unknown} value @returns {number} a score; none counts as the worst, as in Python */
const scoreOf = (value) => (typeof value === "number" ? value : 0);

/**
 * Rows and a batch merged, worst first: Score ascending, then Id (code-unit order, as Python
 * compares strings for ASCII ids). A new array; the sort is stable.
 * @param {Row[]} rows @param {Row[]} batch @param {number} scoreIdx @returns {Row[]}
 */
export function mergeRows(rows, batch, scoreIdx) {
  const all = rows.concat(batch);
  all.sort((a, b) => {
    const d = scoreOf(a.cells[scoreIdx]) - scoreOf(b.cells[scoreIdx]);
    if (d) return d;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return all;
}

/** @param {unknown} score @returns {string} how bad: "bad" below 50, "warn" below 100, "ok" */
export function scoreBand(score) {
  const s = scoreOf(score);
  return s < 50 ? "bad" : s < 100 ? "warn" : "ok";
}

/** A score's chip: its band in words and the number (text, never colour alone). */
const BANDS = /** @type {Record<string, [string, string]>} */ ({ bad: ["error", "At risk"], warn: ["warn", "Degraded"], ok: ["ok", "Healthy"] });

/** @param {unknown} score @returns {string} */
export function scoreChip(score) {
  const [tone, word] = BANDS[scoreBand(score)];
  const text = typeof score === "number" ? `${word} ${score}` : word;
  return chipHtml(text, { [text]: tone });
}

/**
 * The progress text: "Scanning: 120 of 3,000 accounts", or "120 accounts scanned..." while the
 * total is unknown; "" once the scan is over (the kernel's message says what it covered).
 * @param {number} done @param {number} total @param {boolean} running @returns {string}
 */
export function progressLabel(done, total, running) {
  if (!running) return "";
  const n = (/** @type {number} */ x) => x.toLocaleString("en-US");
  return total >= 0 ? `Scanning: ${n(done)} of ${n(total)} accounts` : `Listing accounts… ${n(done)} scanned`;
}

/**
 * The <tbody> markup for the first `limit` rows, each marked with its score band; the score a
 * chip, the other cells by their column's kind (`opts.specs`), one row the tab stop.
 * @param {Row[]} rows @param {number} scoreIdx @param {string} selectedId @param {number} [limit]
 * @param {import("./table.js").DrawOptions} [opts]
 */
export function healthRowsHtml(rows, scoreIdx, selectedId, limit = MAX_RENDERED, opts = {}) {
  const shown = rows.slice(0, limit);
  const ids = new Set(shown.map((r) => r.id));
  const active = [opts.activeId, selectedId].find((x) => x && ids.has(x)) || (shown[0] ? shown[0].id : "");
  const specs = opts.specs || [];
  let out = "";
  for (const r of shown) {
    const sel = r.id === selectedId;
    out += `<tr class="cyclr-table-row${sel ? " selected" : ""}" data-id="${escapeHtml(r.id)}"`;
    out += ` data-band="${scoreBand(r.cells[scoreIdx])}" aria-selected="${sel}" tabindex="${r.id === active ? 0 : -1}">`;
    r.cells.forEach((c, i) => {
      const html = i === scoreIdx ? scoreChip(c) : cellHtml(specs[i], c, { id: r.id, now: opts.now, zone: opts.zone });
      out += `<td>${html}</td>`;
    });
    out += "</tr>";
  }
  return out;
}

/** @param {{ model: Model, el: HTMLElement }} ctx */
export function renderHealthTable({ model, el }) {
  const root = h("div", { class: "cyclr-table cyclr-health" });
  const bar = h("div", { class: "cyclr-table-toolbar cyclr-health-toolbar" });
  const windowSelect = /** @type {HTMLSelectElement} */ (h("select", { class: "cyclr-health-window", "aria-label": "Window" }));
  windowSelect.append(...WINDOWS.map(([v, label]) => h("option", { value: v }, label)));
  const stop = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "jupyter-button cw-button cyclr-health-stop" }, "Stop"));
  const refresh = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "jupyter-button cw-button cyclr-health-refresh" }, "Refresh"));
  const progress = /** @type {HTMLProgressElement} */ (h("progress", { class: "cyclr-health-progress", "aria-label": "Scan progress" }));
  const progressText = h("span", { class: "cyclr-health-progress-text", role: "status", "aria-live": "polite" });
  const search = /** @type {HTMLInputElement} */ (h("input", { class: "cyclr-table-search", type: "search", placeholder: "Search accounts…", "aria-label": "Search accounts" }));
  bar.append(h("span", { class: "cyclr-window-label" }, "Account health"), windowSelect, stop, refresh, progress, progressText, search);
  const error = h("div", { class: "cyclr-health-error", role: "alert" });
  const message = h("div", { class: "cyclr-health-message" });
  const count = h("div", { class: "cyclr-table-count", role: "status", "aria-live": "polite" }, "Loading…");
  const scroll = h("div", { class: "cyclr-table-scroll" });
  const table = h("table", { "aria-label": "Account health, worst first" });
  const thead = h("thead");
  const tbody = h("tbody");
  table.append(thead, tbody);
  scroll.append(table);
  root.append(bar, error, message, count, scroll);
  el.replaceChildren(root);

  /** @type {Row[]} */ let rows = [];
  /** @type {string[]} */ let columns = [];
  /** @type {import("./table_cells.js").Spec[]} */ let specs = [];
  /** @type {string | null} */ let now = null;
  let scoreIdx = 0;
  /** @param {HTMLElement} tr */
  const choose = (tr) => {
    model.set("selected_id", tr.dataset.id || "");
    model.save_changes();
  };
  const nav = rowNavigation(tbody, choose);

  const drawRows = () => {
    const matches = filterRows(rows, search.value, "");
    const hadFocus = tbody.contains(document.activeElement);
    const selectedId = model.get("selected_id") || "";
    tbody.innerHTML = healthRowsHtml(matches, scoreIdx, selectedId, MAX_RENDERED, { specs, now, activeId: nav.activeId });
    nav.restore(selectedId, hadFocus);
    count.textContent = countLabel(Math.min(matches.length, MAX_RENDERED), matches.length, rows.length);
  };
  const drawState = () => {
    const running = Boolean(model.get("running"));
    const done = Number(model.get("done") || 0);
    const total = Number(model.get("total") ?? -1);
    stop.disabled = !running;
    refresh.disabled = running;
    progress.hidden = !running;
    if (total >= 0) {
      progress.max = Math.max(total, 1);
      progress.value = Math.min(done, total);
    } else {
      progress.removeAttribute("value"); // indeterminate while the accounts are listed
    }
    progressText.textContent = progressLabel(done, total, running);
    const win = String(model.get("window") || "24h");
    if (windowSelect.value !== win && document.activeElement !== windowSelect) windowSelect.value = win;
    windowSelect.disabled = running;
    error.textContent = String(model.get("error") || "");
    message.textContent = String(model.get("message") || "");
  };
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || msg.kind !== "rows") return;
    if (msg.now) now = msg.now;
    if (msg.reset || !columns.length) {
      columns = msg.columns;
      specs = Array.isArray(msg.specs) ? msg.specs : columns.map((c) => ({ field: c, label: c, kind: "text" }));
      scoreIdx = Math.max(0, columns.indexOf("Score"));
      const head = h("tr");
      head.append(...specs.map((s) => h("th", { scope: "col" }, s.label || s.field)));
      thead.replaceChildren(head);
    }
    const batch = prepareRows(columns, msg.ids, msg.rows, "");
    rows = mergeRows(msg.reset ? [] : rows, batch, scoreIdx);
    drawRows();
  };
  /** @param {Event} ev */
  const pick = (ev) => {
    const tr = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (ev.target).closest("tr.cyclr-table-row"));
    if (tr) choose(tr);
  };
  const onWindow = () => {
    model.set("window", windowSelect.value);
    model.save_changes();
  };
  const onStop = () => model.send({ kind: "stop" });
  const onRefresh = () => model.send({ kind: "refresh" });
  search.addEventListener("input", drawRows);
  windowSelect.addEventListener("change", onWindow);
  stop.addEventListener("click", onStop);
  refresh.addEventListener("click", onRefresh);
  tbody.addEventListener("click", pick);
  model.on("msg:custom", onMsg);
  const stateEvents = ["running", "done", "total", "window", "error", "message"].map((k) => `change:${k}`);
  for (const e of stateEvents) model.on(e, drawState);
  model.on("change:selected_id", drawRows);
  drawState();
  model.send({ kind: "hello" });
  return () => {
    nav.dispose();
    model.off("msg:custom", onMsg);
    for (const e of stateEvents) model.off(e, drawState);
    model.off("change:selected_id", drawRows);
  };
}
