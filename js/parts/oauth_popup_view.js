// @ts-check
// The OAuthPopup view: a Connect button, status, fallback link, Check now and Cancel, driven by
// one controller per model (js/parts/oauth_popup.js). Used by js/oauth_popup.js and by every
// widget that embeds a popup part.
import { browserEnv, createController, viewState } from "./oauth_popup.js";

/** @typedef {import("./oauth_popup.js").Model} Model */

const controllers = new WeakMap();

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
  const button = /** @type {HTMLButtonElement} */ (make("button", "cyclr-oauth-connect"));
  const status = make("span", "cyclr-oauth-status");
  const link = /** @type {HTMLAnchorElement} */ (make("a", "cyclr-oauth-link"));
  const check = /** @type {HTMLButtonElement} */ (make("button", "cyclr-oauth-check"));
  const cancel = /** @type {HTMLButtonElement} */ (make("button", "cyclr-oauth-cancel"));
  const message = make("div", "cyclr-oauth-message");
  button.type = check.type = cancel.type = "button";
  check.textContent = "Check now";
  cancel.textContent = "Cancel";
  link.target = "_blank";
  link.rel = "opener"; // the sign-in page may still post back to this window
  message.setAttribute("role", "status");
  root.append(button, status, link, check, cancel, message);
  el.append(root);

  const update = () => {
    const v = viewState({ status: model.get("status"), message: model.get("message"),
      connectorName: model.get("connector_name") }, ctl.state());
    button.textContent = v.connect;
    status.textContent = v.label;
    status.dataset.status = v.status;
    message.textContent = v.message;
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
