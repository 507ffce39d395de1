// @ts-check
// AccountExplorer's front end: one anywidget whose model hosts every part (js/parts/part_model.js):
// the status line, the accounts table, and three tabs: Connectors (table, Connect button, OAuth
// popup, credentials form), Cycles (table), Incidents (table, the selected incident's text). esbuild bundles this
// entry with its parts into cyclr_widgets/static/account_explorer.js.
import { renderForm } from "./parts/install_form.js";
import { render as renderPopup } from "./parts/oauth_popup_view.js";
import { mountPart, mountSlot, renderButton, renderHtml } from "./parts/part_model.js";
import { renderTable } from "./parts/table.js";

const TABS = ["Connectors", "Cycles", "Incidents"];

/** @param {{ model: import("./parts/dom.js").Model, el: HTMLElement }} ctx */
function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "cyclr-widget cyclr-account-explorer";
  /** @param {HTMLElement} parent @param {string} cls */
  const section = (parent, cls) => {
    const node = document.createElement("div");
    node.className = cls;
    parent.append(node);
    return node;
  };
  const status = section(root, "cyclr-status");
  const accounts = section(root, "cyclr-accounts");
  const bar = section(root, "cyclr-tabs");
  bar.setAttribute("role", "tablist");
  const panes = TABS.map(() => section(root, "cyclr-tab-pane"));
  const buttons = TABS.map((title, i) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "cyclr-tab";
    b.textContent = title;
    b.setAttribute("role", "tab");
    b.addEventListener("click", () => show(i));
    bar.append(b);
    return b;
  });
  /** @param {number} index */
  const show = (index) => {
    panes.forEach((p, i) => { p.hidden = i !== index; });
    buttons.forEach((b, i) => b.setAttribute("aria-selected", String(i === index)));
  };
  show(0);
  const [connectors, cycles, incidents] = panes;
  const cleanups = [
    mountPart(model, "status", status, renderHtml),
    mountPart(model, "accounts_table", accounts, renderTable),
    mountPart(model, "connectors_table", section(connectors, "cyclr-connectors"), renderTable),
    mountPart(model, "connect_button", section(connectors, "cyclr-connect"), renderButton),
    mountSlot(model, "popup", section(connectors, "cyclr-popup"), renderPopup),
    mountPart(model, "credentials_form", section(connectors, "cyclr-credentials"), renderForm),
    mountPart(model, "cycles_table", section(cycles, "cyclr-cycles"), renderTable),
    mountPart(model, "incidents_table", section(incidents, "cyclr-incidents"), renderTable),
    mountPart(model, "incident_detail", section(incidents, "cyclr-detail"), renderHtml),
  ];
  el.replaceChildren(root);
  return () => {
    for (const cleanup of cleanups) cleanup();
    root.remove();
  };
}

export default { render };
