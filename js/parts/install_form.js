// @ts-check
// The install-form part: the fields of a schema; on submit the typed values go to the kernel
// once by custom message ({kind: "install", ...}) and the secret inputs are wiped. The same part
// is AccountExplorer's credentials form: its schema then carries mode "credentials", the
// account connector's id, and its own title and button labels.
import { buttonClass, h, uid } from "./dom.js";

/** @typedef {import("./dom.js").Model} Model */
/** @typedef {{ name: string, label: string, kind: string, required?: boolean, secret?: boolean,
 *              options?: string[], value?: string, help?: string }} Field */
/** @typedef {{ id: string | null, label: string, kind: string, fields: Field[] }} AuthOption */
/** @typedef {{ connector_id?: unknown, connector_name?: string, auth?: AuthOption[],
 *              fields?: Field[], note?: string, mode?: string, account_connector_id?: unknown,
 *              title?: string, submit_label?: string, busy_label?: string }} Schema */

/**
 * The fields the form shows: the chosen auth method's, then the common ones.
 * @param {Schema} schema @param {string | null} authId @returns {Field[]}
 */
export function formFields(schema, authId) {
  const auth = (schema.auth || []).find((a) => a.id === authId) || (schema.auth || [])[0];
  return [...(auth ? auth.fields : []), ...(schema.fields || [])];
}

/** Labels of required fields left empty. @param {Field[]} fields
 * @param {Record<string, string>} values @returns {string[]} */
export function missingRequired(fields, values) {
  return fields.filter((f) => f.required && !(values[f.name] || "").trim()).map((f) => f.label);
}

/** @param {{ model: Model, el: HTMLElement }} ctx */
export function renderForm({ model, el }) {
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "cyclr-install-form", autocomplete: "off", novalidate: "" }));
  const message = h("div", { class: "cyclr-install-message", role: "status", "aria-live": "polite" });
  el.replaceChildren(form);
  /** @type {string | null} */ let authId = null;

  const build = () => {
    /** @type {Schema} */ const schema = model.get("schema") || {};
    form.replaceChildren();
    if (schema.connector_id == null) {
      const placeholder = model.get("placeholder") ?? "Select a connector above to install it.";
      if (placeholder) form.append(h("p", { class: "cyclr-install-empty" }, placeholder));
      form.append(message);
      return showStatus();
    }
    form.dataset.mode = schema.mode || "install";
    form.append(h("div", { class: "cyclr-install-title" }, schema.title || `Install ${schema.connector_name || ""}`));
    const auths = schema.auth || [];
    if (!auths.some((a) => a.id === authId)) authId = auths.length ? auths[0].id : null;
    if (auths.length > 1) {
      const pickAuth = /** @type {HTMLSelectElement} */ (h("select", { name: "auth", id: uid("cyclr-install-auth") }));
      pickAuth.append(...auths.map((a, i) => h("option", { value: String(i) }, a.label)));
      pickAuth.value = String(auths.findIndex((a) => a.id === authId));
      pickAuth.addEventListener("change", () => { authId = auths[Number(pickAuth.value)].id; build(); });
      form.append(label("Authentication", pickAuth));
    }
    for (const f of formFields(schema, authId)) form.append(label(f.label, input(f), f.help, f.required));
    if (schema.note) form.append(h("p", { class: "cyclr-install-note" }, schema.note));
    form.append(h("button", { class: buttonClass("cyclr-install-btn", true), type: "submit" }, schema.submit_label || "Install"), message);
    showStatus();
  };
  /** A visible <label for> above its control; the help is the control's description, and a
   * required field says so to a screen reader by its `required`, not by the star (aria-hidden).
   * @param {string} text @param {HTMLElement} control @param {string} [help] @param {boolean} [required] */
  const label = (text, control, help, required = false) => {
    const wrap = h("div", { class: "cyclr-install-field" });
    if (!control.id) control.id = uid("cyclr-install-field");
    const lab = h("label", { for: control.id }, text);
    if (required) lab.append(h("span", { class: "cyclr-install-required", "aria-hidden": "true" }, " *"));
    wrap.append(lab, control);
    if (help) {
      const helpNode = h("small", { class: "cyclr-install-help", id: uid("cyclr-install-help") }, help);
      control.setAttribute("aria-describedby", helpNode.id);
      wrap.append(helpNode);
    }
    return wrap;
  };
  /** @param {Field} f */
  const input = (f) => {
    if (f.kind === "select") {
      const s = h("select", { name: f.name });
      if (f.required) s.setAttribute("aria-required", "true");
      s.append(...(f.required ? [] : [h("option", { value: "" }, "")]), ...(f.options || []).map((o) => h("option", { value: o }, o)));
      /** @type {HTMLSelectElement} */ (s).value = f.value || "";
      return s;
    }
    const i = /** @type {HTMLInputElement} */ (h("input", { name: f.name, type: f.kind === "password" ? "password" : "text", autocomplete: f.kind === "password" ? "new-password" : "off" }));
    if (f.required) { i.required = true; i.setAttribute("aria-required", "true"); }
    if (f.value && !f.secret) i.value = f.value;
    return i;
  };
  const showStatus = () => {
    const busy = Boolean(model.get("busy"));
    message.textContent = model.get("status_message") || "";
    message.dataset.state = model.get("status_state") || "";
    /** @type {Schema} */ const schema = model.get("schema") || {};
    const btn = /** @type {HTMLButtonElement | null} */ (form.querySelector(".cyclr-install-btn"));
    const idle = schema.submit_label || "Install";
    if (btn) { btn.disabled = busy; btn.textContent = busy ? schema.busy_label || "Installing…" : idle; }
  };
  /** @param {SubmitEvent} ev */
  const submit = (ev) => {
    ev.preventDefault();
    /** @type {Schema} */ const schema = model.get("schema") || {};
    if (model.get("busy") || schema.connector_id == null) return;
    const fields = formFields(schema, authId);
    /** @type {Record<string, string>} */ const values = {};
    for (const f of fields) {
      const node = /** @type {HTMLInputElement | null} */ (form.querySelector(`[name="${CSS.escape(f.name)}"]`));
      if (node) values[f.name] = node.value;
    }
    const missing = missingRequired(fields, values);
    if (missing.length) {
      message.textContent = `Please fill in: ${missing.join(", ")}.`;
      message.dataset.state = "error";
      // The keyboard goes to the first empty required field, marked invalid until typed in.
      const empty = fields.filter((f) => f.required && !(values[f.name] || "").trim());
      empty.forEach((f, i) => {
        const node = /** @type {HTMLElement | null} */ (form.querySelector(`[name="${CSS.escape(f.name)}"]`));
        if (!node) return;
        node.setAttribute("aria-invalid", "true");
        node.addEventListener("input", () => node.removeAttribute("aria-invalid"), { once: true });
        if (i === 0) node.focus();
      });
      return;
    }
    const auth = (schema.auth || []).find((a) => a.id === authId);
    // The account connector's id, in credentials mode: Python refuses a form that is out of date.
    const target = schema.account_connector_id == null ? {} : { account_connector_id: schema.account_connector_id };
    model.send({ kind: "install", connector_id: schema.connector_id, ...target, auth_kind: auth ? auth.kind : "None", authentication_id: authId, fields: values });
    // The credentials now exist only in the kernel's memory for the install call: wipe them here.
    for (const f of fields) {
      const node = /** @type {HTMLInputElement | null} */ (form.querySelector(`[name="${CSS.escape(f.name)}"]`));
      if (node && (f.secret || f.kind === "password")) node.value = "";
    }
    message.textContent = schema.busy_label || "Installing…";
    message.dataset.state = "busy";
  };
  form.addEventListener("submit", submit);
  const events = ["change:busy", "change:status_message", "change:status_state"];
  for (const e of events) model.on(e, showStatus);
  model.on("change:schema", build);
  model.on("change:placeholder", build);
  build();
  return () => {
    for (const e of events) model.off(e, showStatus);
    model.off("change:schema", build);
    model.off("change:placeholder", build);
  };
}

