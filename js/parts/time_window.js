// @ts-check
// The time window part: last hour / day / week, or custom After and Before (datetime-local
// inputs, read by the kernel in the account's timezone). Choosing a preset, or Apply for the
// custom bounds, sets the part's window/after/before traits; the kernel re-queries and writes the
// caption ("Last week (times in America/New_York and UTC)").
import { h } from "./dom.js";

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
  const select = /** @type {HTMLSelectElement} */ (h("select", { class: "cyclr-window-select", "aria-label": "Time window" }));
  select.append(...WINDOWS.map(([v, label]) => h("option", { value: v }, label)));
  const custom = h("span", { class: "cyclr-window-custom" });
  const after = /** @type {HTMLInputElement} */ (h("input", { type: "datetime-local", class: "cyclr-window-after", "aria-label": "After" }));
  const before = /** @type {HTMLInputElement} */ (h("input", { type: "datetime-local", class: "cyclr-window-before", "aria-label": "Before" }));
  const apply = h("button", { type: "button", class: "cyclr-window-apply" }, "Apply");
  custom.append(h("span", {}, "After"), after, h("span", {}, "Before"), before, apply);
  const caption = h("span", { class: "cyclr-window-caption" });
  root.append(h("span", { class: "cyclr-window-label" }, "Time window"), select, custom, caption);
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
