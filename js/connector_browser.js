// @ts-check
// ConnectorBrowser's front end: one anywidget whose model hosts every part (js/parts/part_model.js):
// the status line, the connector library table, the install form, the OAuth popup (after an OAuth
// install) and the installed-connectors table with its confirmation (Re-authenticate asks first).
// Install on a library row selects it: the focus then moves to the install form, once the
// kernel has drawn it for that connector. esbuild bundles this entry with its parts into
// cyclr_widgets/static/connector_browser.js (a Blob URL resolves no relative import).
import { renderActions } from "./parts/actions.js";
import { renderForm } from "./parts/install_form.js";
import { render as renderPopup } from "./parts/oauth_popup_view.js";
import { mountPart, mountSlot, renderHtml } from "./parts/part_model.js";
import { renderTable } from "./parts/table.js";

/** @param {{ model: import("./parts/dom.js").Model, el: HTMLElement }} ctx */
function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "cyclr-widget cyclr-connector-browser";
  /** @param {string} cls */
  const section = (cls) => {
    const node = document.createElement("div");
    node.className = cls;
    root.append(node);
    return node;
  };
  const form = section("cyclr-form");
  const cleanups = [
    mountPart(model, "status", section("cyclr-status"), renderHtml),
    mountPart(model, "library", section("cyclr-library"), renderTable),
    mountPart(model, "form", form, renderForm),
    mountSlot(model, "popup", section("cyclr-popup"), renderPopup),
    mountPart(model, "installed_table", section("cyclr-installed"), renderTable),
    mountPart(model, "installed_actions", section("cyclr-installed-actions"), renderActions),
  ];
  // Install on a row: focus the form's first field when it is redrawn for that connector.
  let focusForm = false;
  const toForm = () => {
    const field = /** @type {HTMLElement | null} */ (form.querySelector("input:not([type=hidden]), select, button"));
    if (!focusForm || !field) return;
    focusForm = false;
    field.focus();
    field.scrollIntoView?.({ block: "nearest" });
  };
  const watcher = new MutationObserver(toForm);
  watcher.observe(form, { childList: true, subtree: true });
  /** @param {Event} ev */
  const onRowAction = (ev) => {
    const detail = /** @type {CustomEvent} */ (ev).detail || {};
    if (detail.action !== "install") return;
    focusForm = true;
    setTimeout(() => { focusForm = false; }, 5_000); // the form did not change: leave the focus
  };
  root.addEventListener("cyclr-row-action", onRowAction);
  el.replaceChildren(root);
  return () => {
    watcher.disconnect();
    root.removeEventListener("cyclr-row-action", onRowAction);
    for (const cleanup of cleanups) cleanup();
    root.remove();
  };
}

export default { render };
