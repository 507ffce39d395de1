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

/**
 * Lumino (JupyterLab, Notebook 7) handles keys at the window, in the capture phase, for its
 * shortcuts, and a binding whose selector is `... :focus` matches a focused control of ours
 * (Notebook 7 takes the arrow keys so): this attribute, on the control itself, opts it out.
 * @param {HTMLElement} node
 */
export function suppressShortcuts(node) {
  node.setAttribute("data-lm-suppress-shortcuts", "true");
}

/**
 * Make `buttons` a WAI-ARIA tablist over `panes` (one pane per button): roles, ids,
 * aria-controls / aria-labelledby, one tab in the Tab order (the selected one), and the arrow
 * keys, Home and End moving between tabs (activating the tab they land on).
 * @param {HTMLElement} bar @param {HTMLElement[]} buttons @param {HTMLElement[]} panes
 * @returns {(index: number) => void} shows pane `index` and selects its tab
 */
export function tablist(bar, buttons, panes) {
  bar.setAttribute("role", "tablist");
  buttons.forEach((b, i) => {
    b.id = b.id || uid("cyclr-tab");
    panes[i].id = panes[i].id || uid("cyclr-tabpanel");
    b.setAttribute("role", "tab");
    b.setAttribute("aria-controls", panes[i].id);
    suppressShortcuts(b);
    panes[i].setAttribute("role", "tabpanel");
    panes[i].setAttribute("aria-labelledby", b.id);
  });
  /** @param {number} index */
  const show = (index) => {
    panes.forEach((p, i) => { p.hidden = i !== index; });
    buttons.forEach((b, i) => {
      b.setAttribute("aria-selected", String(i === index));
      b.tabIndex = i === index ? 0 : -1;
    });
  };
  bar.addEventListener("keydown", (ev) => {
    const at = buttons.indexOf(/** @type {HTMLElement} */ (ev.target));
    if (at < 0) return;
    const n = buttons.length;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1 + n, Home: 0, End: n - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    ev.stopPropagation(); // JupyterLab's notebook would move between cells on arrow keys
    show(to % n);
    buttons[to % n].focus();
  });
  return show;
}
