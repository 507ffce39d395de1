// @ts-check
// The actions part: the buttons of the selected row (a cycle, an account connector), each asking
// for confirmation before the kernel calls Cyclr. A click sends {kind: "request", action}; the
// kernel answers in state: `pending` ({action, question, token}) shows "Question? [Confirm]
// [Cancel]", or `result` shows why not (a cycle's prerequisites). Confirm sends {kind: "confirm",
// token}; a property's value goes only with that message (then the input is wiped), never into
// model state. `result` ({state, message, items}) shows Cyclr's answer.
import { button, h, suppressShortcuts, uid } from "./dom.js";

/** @typedef {import("./dom.js").Model} Model */
/** @typedef {{ name: string, label: string, enabled: boolean, tooltip: string, form: string }} Action */
/** @typedef {{ name: string, secret: boolean }} PropName */

/** A property whose name looks like this holds a secret (the Python side's is_secret_field). */
export const SECRET_NAME = /secret|password|passwd|token|api_?key|private_?key|credential|authvalue/i;

/**
 * Whether the value of property `name` is typed in a password input: what the kernel says of a
 * name it knows, the name's look otherwise.
 * @param {string} name @param {PropName[]} known @returns {boolean}
 */
export function isSecretName(name, known) {
  const hit = known.find((n) => n.name.toLowerCase() === name.trim().toLowerCase());
  return Boolean(hit && hit.secret) || SECRET_NAME.test(name);
}

/** @param {{ model: Model, el: HTMLElement }} ctx */
export function renderActions({ model, el }) {
  const root = h("div", { class: "cyclr-actions" });
  const subject = h("span", { class: "cyclr-actions-subject" });
  // A named group: a screen reader says "Actions" on entering it (the subject is just before).
  const buttons = h("span", { class: "cyclr-actions-buttons", role: "group", "aria-label": "Actions" });
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "cyclr-property-form", autocomplete: "off" }));
  const listId = `cyclr-prop-names-${Math.random().toString(36).slice(2)}`;
  const names = h("datalist", { id: listId });
  const nameInput = /** @type {HTMLInputElement} */ (h("input", { name: "property_name", placeholder: "Property name", list: listId, "aria-label": "Property name" }));
  const valueInput = /** @type {HTMLInputElement} */ (h("input", { name: "property_value", placeholder: "Value", type: "text", autocomplete: "off", "aria-label": "Property value" }));
  const setBtn = button("cyclr-property-set", "Set…", { type: "submit", primary: true });
  const closeBtn = button("cyclr-property-close", "Close");
  form.append(nameInput, valueInput, setBtn, closeBtn, names);
  form.hidden = true;
  // The question is an alert dialog named by its own text; it takes the focus when it appears
  // (on Cancel, the safe choice) and Escape answers Cancel.
  const questionId = uid("cyclr-confirm-question");
  const confirmBox = h("div", { class: "cyclr-confirm", role: "alertdialog", "aria-modal": "false", "aria-labelledby": questionId });
  const question = h("span", { class: "cyclr-confirm-question", id: questionId });
  const yes = button("cyclr-confirm-yes", "Confirm", { primary: true });
  const no = button("cyclr-confirm-no", "Cancel");
  confirmBox.append(question, yes, no);
  suppressShortcuts(yes); // Escape is ours while the question is asked (dom.js)
  suppressShortcuts(no);
  const result = h("div", { class: "cyclr-action-result", role: "status", "aria-live": "polite" });
  root.append(subject, buttons, form, confirmBox, result);
  el.replaceChildren(root);

  const known = () => /** @type {PropName[]} */ (model.get("names") || []);
  const secretInput = () => { valueInput.type = isSecretName(nameInput.value, known()) ? "password" : "text"; };
  const wipe = () => { valueInput.value = ""; };

  const draw = () => {
    const actions = /** @type {Action[]} */ (model.get("actions") || []);
    subject.textContent = actions.length ? String(model.get("subject") || "") : "";
    // The buttons are rebuilt: keep the keyboard on the one that had it.
    const focused = /** @type {HTMLElement | null} */ (buttons.querySelector("button:focus"));
    const refocus = focused ? focused.dataset.action : null;
    buttons.replaceChildren(...actions.map((a) => {
      const b = button("cyclr-action", a.label);
      b.dataset.action = a.name;
      b.disabled = !a.enabled || Boolean(model.get("busy"));
      if (a.tooltip) b.title = a.tooltip;
      return b;
    }));
    if (!actions.some((a) => a.form === "property")) form.hidden = true;
    names.replaceChildren(...known().map((n) => h("option", { value: n.name })));
    if (refocus) /** @type {HTMLElement | null} */ (buttons.querySelector(`[data-action="${CSS.escape(refocus)}"]`))?.focus();
    const pending = model.get("pending") || {};
    const asking = Boolean(pending.action);
    const wasHidden = confirmBox.hidden;
    const hadFocus = confirmBox.contains(document.activeElement);
    confirmBox.hidden = !asking;
    question.textContent = String(pending.question || "");
    if (asking && wasHidden) no.focus();
    // The question went away with the focus inside it: back to the actions, not to the page.
    if (!asking && hadFocus) /** @type {HTMLElement | null} */ (buttons.querySelector("button:enabled"))?.focus();
    yes.disabled = Boolean(model.get("busy"));
    const res = model.get("result") || {};
    result.dataset.state = model.get("busy") ? "busy" : String(res.state || "");
    result.replaceChildren();
    if (model.get("busy")) result.textContent = "Working…";
    else if (res.message) {
      result.append(h("span", {}, String(res.message)));
      const items = /** @type {string[]} */ (res.items || []);
      if (items.length) {
        const ul = h("ul", { class: "cyclr-action-items" });
        ul.append(...items.map((i) => h("li", {}, i)));
        result.append(ul);
      }
    }
  };
  /** @param {Event} ev */
  const onButton = (ev) => {
    const b = /** @type {HTMLElement} */ (ev.target).closest("button.cyclr-action");
    if (!(b instanceof HTMLButtonElement) || b.disabled) return;
    const name = b.dataset.action || "";
    const action = /** @type {Action[]} */ (model.get("actions") || []).find((a) => a.name === name);
    if (action && action.form === "property") {
      form.hidden = false;
      nameInput.focus();
      return;
    }
    model.send({ kind: "request", action: name });
  };
  /** @param {Event} ev */
  const onSubmit = (ev) => {
    ev.preventDefault();
    if (!nameInput.value.trim()) { nameInput.focus(); return; }
    model.send({ kind: "request", action: "set_property", args: { name: nameInput.value.trim() } });
  };
  const onYes = () => {
    const pending = model.get("pending") || {};
    /** @type {Record<string, unknown>} */ const msg = { kind: "confirm", token: pending.token };
    if (pending.action === "set_property") {
      msg.value = valueInput.value;
      wipe();
      form.hidden = true;
    }
    model.send(msg);
  };
  const onNo = () => {
    if ((model.get("pending") || {}).action === "set_property") wipe();
    model.send({ kind: "cancel" });
  };
  const onClose = () => { wipe(); form.hidden = true; };
  /** @param {KeyboardEvent} ev */
  const onKey = (ev) => {
    if (ev.key !== "Escape" || confirmBox.hidden) return;
    ev.stopPropagation(); // JupyterLab would take Escape as "leave the cell"
    onNo();
  };
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (msg && msg.kind === "refused") {
      result.dataset.state = "error";
      result.textContent = String(msg.message || "Refused.");
    }
  };
  buttons.addEventListener("click", onButton);
  form.addEventListener("submit", onSubmit);
  nameInput.addEventListener("input", secretInput);
  yes.addEventListener("click", onYes);
  no.addEventListener("click", onNo);
  confirmBox.addEventListener("keydown", onKey);
  closeBtn.addEventListener("click", onClose);
  model.on("msg:custom", onMsg);
  const events = ["change:actions", "change:subject", "change:pending", "change:result", "change:busy", "change:names"];
  for (const e of events) model.on(e, draw);
  draw();
  return () => {
    wipe();
    model.off("msg:custom", onMsg);
    for (const e of events) model.off(e, draw);
  };
}
