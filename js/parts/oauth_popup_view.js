// @ts-check
// The OAuthPopup view: a Connect button, status, fallback link, Check now and Cancel, driven by
// one controller per model (js/parts/oauth_popup.js). Used by js/oauth_popup.js and by every
// widget that embeds a popup part.
import { buttonClass } from "./dom.js";
import { browserEnv, createController, viewState } from "./oauth_popup.js";

/** @typedef {import("./oauth_popup.js").Model} Model */

const controllers = new WeakMap();

/** The chip tone of each status (the shared markup of brief #14: text, never colour alone). */
const TONES = /** @type {Record<string, "ok" | "warn" | "error" | "neutral">} */ ({
  authenticated: "ok", denied: "error", error: "error", blocked: "warn", timeout: "warn",
});
const GLYPHS = { ok: "✓", warn: "!", error: "✕", neutral: "" };

/** @param {{ model: Model }} ctx */
export function initialize({ model }) {
  const ctl = createController(model, browserEnv());
  controllers.set(model, ctl);
  return () => { ctl.dispose(); controllers.delete(model); };
}

/** @param {{ model: Model, el: HTMLElement }} ctx */
export function render({ model, el }) {
  if (!controllers.has(model)) initialize({ model }); // hosts that skip initialize
  const ctl = controllers.get(model);
  const make = (/** @type {string} */ tag, /** @type {string} */ cls) => {
    const node = document.createElement(tag);
    node.className = cls;
    return node;
  };
  const root = make("div", "cyclr-oauth");
  // Connect is the part's main action; every button is a jupyter-button (JupyterLab's look) and
  // a cw-button (ours, where the host has no such CSS: marimo, Voilà).
  const button = /** @type {HTMLButtonElement} */ (make("button", buttonClass("cyclr-oauth-connect", true)));
  // The status as a chip: its text always says it, the tone and glyph only repeat it.
  const status = make("span", "cyclr-oauth-status cw-chip");
  const glyph = make("span", "cyclr-oauth-glyph");
  glyph.setAttribute("aria-hidden", "true");
  const statusText = make("span", "cyclr-oauth-status-text");
  status.append(glyph, statusText);
  const link = /** @type {HTMLAnchorElement} */ (make("a", "cyclr-oauth-link"));
  const check = /** @type {HTMLButtonElement} */ (make("button", buttonClass("cyclr-oauth-check")));
  const cancel = /** @type {HTMLButtonElement} */ (make("button", buttonClass("cyclr-oauth-cancel")));
  const message = make("div", "cyclr-oauth-message");
  button.type = check.type = cancel.type = "button";
  check.textContent = "Check now";
  cancel.textContent = "Cancel";
  link.target = "_blank";
  link.rel = "opener"; // the sign-in page may still post back to this window
  // Both are live regions: a screen reader hears "Connected" or "Waiting for sign-in…", and the
  // kernel's message, as the flow moves, politely (never interrupting).
  for (const node of [status, message]) {
    node.setAttribute("role", "status");
    node.setAttribute("aria-live", "polite");
  }
  root.append(button, status, link, check, cancel, message);
  el.append(root);

  const update = () => {
    const v = viewState({ status: model.get("status"), message: model.get("message"),
      connectorName: model.get("connector_name") }, ctl.state());
    button.textContent = v.connect;
    const tone = TONES[v.status] || "neutral";
    status.dataset.status = v.status;
    status.dataset.tone = tone;
    glyph.textContent = GLYPHS[tone];
    glyph.hidden = !GLYPHS[tone];
    if (statusText.textContent !== v.label) statusText.textContent = v.label;
    if (message.textContent !== v.message) message.textContent = v.message;
    link.hidden = !v.showLink;
    link.textContent = v.linkText;
    if (v.href) link.href = v.href; // set before any click: the click itself opens it
    else link.removeAttribute("href");
    check.hidden = !v.showCheck;
    cancel.hidden = !v.showCancel;
  };
  const onLink = (/** @type {MouseEvent} */ e) => (link.href ? ctl.linkClicked() : e.preventDefault());
  const handlers = /** @type {Array<[HTMLElement, () => void]>} */ ([
    [button, () => ctl.connect()], [check, () => ctl.check()], [cancel, () => ctl.cancel()],
  ]);
  handlers.forEach(([node, fn]) => node.addEventListener("click", fn));
  link.addEventListener("click", onLink);
  const events = ["change:status", "change:message", "change:connector_name"];
  events.forEach((ev) => model.on(ev, update));
  const unsubscribe = ctl.subscribe(update);
  const detach = ctl.attachView();
  update();
  return () => {
    handlers.forEach(([node, fn]) => node.removeEventListener("click", fn));
    link.removeEventListener("click", onLink);
    events.forEach((ev) => model.off(ev, update));
    unsubscribe();
    detach();
    root.remove();
  };
}
