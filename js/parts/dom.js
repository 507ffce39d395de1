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
