// @ts-check
// AccountExplorer's front end: one anywidget whose model hosts every part (js/parts/part_model.js):
// the status line; the partner view (every account's health, js/parts/health_table.js), shown
// while the model's `view` is "partner"; the account view (a way back to the partner view,
// the accounts table, the time window, four tabs (Connectors: table (with each row's Connect /
// Re-authenticate), actions, the selected row's Connect button, OAuth popup, credentials form; Cycles: table, actions; Incidents: table, the
// incident's text; Transactions: table), and below them the drill-down of the open run (its
// steps, the step's request and response, mappings, parameters, the cycle's variables). In
// read-only mode (the model's `read_only`) no action part is mounted: no button is rendered.
// esbuild bundles this entry with its parts into cyclr_widgets/static/account_explorer.js.
import { renderActions } from "./parts/actions.js";
import { tablist } from "./parts/dom.js";
import { renderHealthTable } from "./parts/health_table.js";
import { renderForm } from "./parts/install_form.js";
import { render as renderPopup } from "./parts/oauth_popup_view.js";
import { mountPart, mountSlot, renderHtml } from "./parts/part_model.js";
import { renderMessageHtml, renderStepDetail } from "./parts/step_detail.js";
import { renderTable } from "./parts/table.js";
import { renderTimeWindow } from "./parts/time_window.js";

const TABS = ["Connectors", "Cycles", "Incidents", "Transactions"];

/** @param {{ model: import("./parts/dom.js").Model, el: HTMLElement }} ctx */
function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "cyclr-widget cyclr-account-explorer";
  const readOnly = Boolean(model.get("read_only"));
  root.dataset.readOnly = String(readOnly);
  /** @param {HTMLElement} parent @param {string} cls */
  const section = (parent, cls) => {
    const node = document.createElement("div");
    node.className = cls;
    parent.append(node);
    return node;
  };
  const status = section(root, "cyclr-status");
  const partner = section(root, "cyclr-partner");
  const accountView = section(root, "cyclr-account-view");
  const back = document.createElement("button");
  back.type = "button";
  back.className = "jupyter-button cw-button cyclr-back";
  back.textContent = "← All accounts";
  const goBack = () => {
    model.set("view", "partner");
    model.save_changes();
  };
  back.addEventListener("click", goBack);
  section(accountView, "cyclr-back-bar").append(back);
  const accounts = section(accountView, "cyclr-accounts");
  const timeWindow = section(accountView, "cyclr-time-window");
  const bar = section(accountView, "cyclr-tabs");
  // tablist() gives the bar, buttons and panes their roles, ids and arrow keys (parts/dom.js).
  const panes = TABS.map(() => section(accountView, "cyclr-tab-pane"));
  const buttons = TABS.map((title, i) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "jupyter-button cw-button cyclr-tab";
    b.textContent = title;
    b.addEventListener("click", () => show(i));
    bar.append(b);
    return b;
  });
  const show = tablist(bar, buttons, panes); // roles, aria-controls, arrow keys (parts/dom.js)
  show(0);
  const [connectors, cycles, incidents, transactions] = panes;
  const drill = section(accountView, "cyclr-drill");
  const cleanups = [
    mountPart(model, "status", status, renderHtml),
    mountPart(model, "health_table", partner, renderHealthTable),
    mountPart(model, "accounts_table", accounts, renderTable),
    mountPart(model, "time_window", timeWindow, renderTimeWindow),
    mountPart(model, "connectors_table", section(connectors, "cyclr-connectors"), renderTable),
    mountPart(model, "connector_note", section(connectors, "cyclr-connector-note"), renderMessageHtml),
  ];
  if (!readOnly) {
    cleanups.push(
      mountPart(model, "connector_actions", section(connectors, "cyclr-connector-actions"), renderActions),
      mountSlot(model, "popup", section(connectors, "cyclr-popup"), renderPopup),
      mountPart(model, "credentials_form", section(connectors, "cyclr-credentials"), renderForm),
    );
  }
  cleanups.push(
    mountPart(model, "cycles_table", section(cycles, "cyclr-cycles"), renderTable),
    mountPart(model, "cycle_note", section(cycles, "cyclr-cycle-note"), renderMessageHtml),
  );
  if (!readOnly) {
    cleanups.push(mountPart(model, "cycle_actions", section(cycles, "cyclr-cycle-actions"), renderActions));
  }
  cleanups.push(
    mountPart(model, "incidents_table", section(incidents, "cyclr-incidents"), renderTable),
    mountPart(model, "incident_detail", section(incidents, "cyclr-detail"), renderMessageHtml),
    mountPart(model, "transactions_table", section(transactions, "cyclr-transactions"), renderTable),
    mountPart(model, "caption", section(drill, "cyclr-drill-caption"), renderHtml),
    mountPart(model, "steps_table", section(drill, "cyclr-steps"), renderTable),
    mountPart(model, "step_detail", section(drill, "cyclr-step"), renderStepDetail),
    mountPart(model, "mappings_table", section(drill, "cyclr-mappings"), renderTable),
    mountPart(model, "parameters_table", section(drill, "cyclr-parameters"), renderTable),
    mountPart(model, "variables_table", section(drill, "cyclr-variables"), renderTable),
  );
  // The drill-down shows while a run is open (the caption names it).
  const drawDrill = () => { drill.hidden = !String(((model.get("parts") || {}).caption || {}).value || ""); };
  model.on("change:parts", drawDrill);
  drawDrill();
  const drawView = () => {
    const partnerView = model.get("view") === "partner";
    partner.hidden = !partnerView;
    accountView.hidden = partnerView;
  };
  model.on("change:view", drawView);
  drawView();
  el.replaceChildren(root);
  return () => {
    back.removeEventListener("click", goBack);
    model.off("change:view", drawView);
    model.off("change:parts", drawDrill);
    for (const cleanup of cleanups) cleanup();
    root.remove();
  };
}

export default { render };
