// @ts-check
// ConnectorBrowser's front end: one anywidget whose model hosts every part (js/parts/part_model.js):
// the status line, the connector library table, the install form, the OAuth popup (after an OAuth
// install) and the installed-connectors table. esbuild bundles this entry with its parts into
// cyclr_widgets/static/connector_browser.js (a Blob URL resolves no relative import).
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
  const cleanups = [
    mountPart(model, "status", section("cyclr-status"), renderHtml),
    mountPart(model, "library", section("cyclr-library"), renderTable),
    mountPart(model, "form", section("cyclr-form"), renderForm),
    mountSlot(model, "popup", section("cyclr-popup"), renderPopup),
    mountPart(model, "installed_table", section("cyclr-installed"), renderTable),
  ];
  el.replaceChildren(root);
  return () => {
    for (const cleanup of cleanups) cleanup();
    root.remove();
  };
}

export default { render };
