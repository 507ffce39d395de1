// @ts-check
// The time window part: last hour / day / week, or custom After and Before (datetime-local
// inputs, read by the kernel in the account's timezone). Choosing a preset, or Apply for the
// custom bounds, sets the part's window/after/before traits; the kernel re-queries and writes the
// caption ("Last week (times in America/New_York and UTC)").
import { button, h, uid } from "./dom.js";

/** @typedef {import("./dom.js").Model} Model */

export const WINDOWS = [
  ["hour", "Last hour"],
  ["day", "Last day"],
  ["week", "Last week"],
  ["custom", "Custom…"],
];

/** @param {{ model: Model, el: HTMLElement }} ctx */
export function renderTimeWindow({ model, el }) {
  const root = h("div", { class: "cyclr-window" });
  // Visible <label for> on every field; the caption is announced when the kernel rewrites it.
  const ids = { select: uid("cyclr-window"), after: uid("cyclr-window-after"), before: uid("cyclr-window-before") };
  const select = /** @type {HTMLSelectElement} */ (h("select", { class: "cyclr-window-select", id: ids.select }));
  select.append(...WINDOWS.map(([v, label]) => h("option", { value: v }, label)));
  const custom = h("span", { class: "cyclr-window-custom" });
  const after = /** @type {HTMLInputElement} */ (h("input", { type: "datetime-local", class: "cyclr-window-after", id: ids.after }));
  const before = /** @type {HTMLInputElement} */ (h("input", { type: "datetime-local", class: "cyclr-window-before", id: ids.before }));
  const apply = button("cyclr-window-apply", "Apply", { primary: true });
  custom.append(h("label", { for: ids.after }, "After"), after, h("label", { for: ids.before }, "Before"), before, apply);
  const caption = h("span", { class: "cyclr-window-caption", role: "status", "aria-live": "polite" });
  root.append(h("label", { class: "cyclr-window-label", for: ids.select }, "Time window"), select, custom, caption);
  el.replaceChildren(root);

  const draw = () => {
    const win = String(model.get("window") || "week");
    if (select.value !== win && document.activeElement !== select) select.value = win;
    custom.hidden = select.value !== "custom";
    if (document.activeElement !== after) after.value = String(model.get("after") || "");
    if (document.activeElement !== before) before.value = String(model.get("before") || "");
    caption.textContent = String(model.get("caption") || "");
  };
  const onSelect = () => {
    custom.hidden = select.value !== "custom";
    if (select.value === "custom") return; // waits for Apply
    model.set("window", select.value);
    model.save_changes();
  };
  const onApply = () => {
    model.set("after", after.value);
    model.set("before", before.value);
    model.set("window", "custom");
    model.save_changes();
  };
  select.addEventListener("change", onSelect);
  apply.addEventListener("click", onApply);
  const events = ["change:window", "change:after", "change:before", "change:caption"];
  for (const e of events) model.on(e, draw);
  draw();
  return () => { for (const e of events) model.off(e, draw); };
}
