// @ts-check
// Small DOM helpers shared by the parts.

/** @typedef {{ get(k: string): any, set(k: string, v: any): void, save_changes(): void,
 *              send(m: any): void, on(e: string, f: Function): void, off(e: string, f?: Function): void }} Model */

/** @param {string} tag @param {Record<string, string>} [attrs] @param {string} [text] */
export function h(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

let lastId = 0;
/** A page-unique id for `for`/`aria-*` links (two widgets on one page never share one).
 * @param {string} prefix @returns {string} */
export function uid(prefix) {
  lastId += 1;
  return `${prefix}-${lastId}-${Math.random().toString(36).slice(2, 7)}`;
}

/** The classes of every button the widgets create: `jupyter-button` so JupyterLab and Notebook 7
 * style it as theirs, `cw-button` for our own look where no host CSS exists (marimo, Voilà).
 * @param {string} cls our own class(es) @param {boolean} [primary] the part's main action */
export function buttonClass(cls, primary = false) {
  return `${cls} jupyter-button cw-button${primary ? " cw-button--primary" : ""}`;
}

/** A `type="button"` (or submit) button with the shared classes.
 * @param {string} cls @param {string} text @param {{ primary?: boolean, type?: string }} [o]
 * @returns {HTMLButtonElement} */
export function button(cls, text, o = {}) {
  return /** @type {HTMLButtonElement} */ (h("button", { type: o.type || "button", class: buttonClass(cls, o.primary) }, text));
}

/** A status chip (the shared markup): the text always present, a glyph before it, aria-hidden.
 * @param {string} text @param {"ok" | "warn" | "error" | "neutral"} tone @returns {HTMLElement} */
export function chip(text, tone) {
  const glyph = { ok: "✓", warn: "!", error: "✕", neutral: "" }[tone];
  const node = h("span", { class: "cw-chip", "data-tone": tone });
  if (glyph) node.append(h("span", { "aria-hidden": "true" }, glyph));
  node.append(text);
  return node;
}
