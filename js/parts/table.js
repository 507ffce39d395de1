// @ts-check
// The table part: a searchable, filterable table of rows that never live in model state. The
// view asks with {kind: "hello"} and Python answers with {kind: "rows", columns, ids, rows}.
// Filtering runs here so a keystroke never waits for the kernel; only the query, category,
// selection and counts go back as (small) traits.
import { h } from "./dom.js";

/** @typedef {import("./dom.js").Model} Model */
/** @typedef {{ id: string, cells: unknown[], cats: string[], hay: string }} Row */

/** How many matching rows get DOM nodes; the rest are counted ("N more"), which keeps a
 * keystroke cheap at thousands of rows. */
export const MAX_RENDERED = 200;

/** @param {unknown} value @returns {string} */
export function formatCell(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(formatCell).filter(Boolean).join(", ");
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** @param {string} text @returns {string} */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Index rows once (lower-cased haystack, category list) so filtering is a substring scan.
 * @param {string[]} columns @param {unknown[]} ids @param {unknown[][]} rows
 * @param {string} categoryColumn @returns {Row[]}
 */
export function prepareRows(columns, ids, rows, categoryColumn) {
  const catIdx = categoryColumn ? columns.indexOf(categoryColumn) : -1;
  return rows.map((cells, i) => {
    const id = formatCell(ids[i]);
    const raw = catIdx >= 0 ? cells[catIdx] : null;
    const cats = Array.isArray(raw) ? raw.map(formatCell) : raw == null || raw === "" ? [] : [formatCell(raw)];
    const hay = [id, ...cells.map(formatCell)].join("\u0001").toLowerCase();
    return { id, cells, cats, hay };
  });
}

/**
 * Rows matching every whitespace-separated word of `query` (in any column, the id included)
 * and, when `category` is set, having that category.
 * @param {Row[]} rows @param {string} query @param {string} category @returns {Row[]}
 */
export function filterRows(rows, query, category) {
  const words = (query || "").toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length && !category) return rows;
  return rows.filter(
    (r) => (!category || r.cats.includes(category)) && words.every((w) => r.hay.includes(w)),
  );
}

/**
 * The <tbody> markup for the first `limit` rows (every cell escaped).
 * @param {Row[]} rows @param {string} selectedId @param {number} [limit]
 * @returns {string}
 */
export function rowsHtml(rows, selectedId, limit = MAX_RENDERED) {
  let out = "";
  for (const r of rows.slice(0, limit)) {
    const sel = r.id === selectedId;
    out += `<tr class="cyclr-table-row${sel ? " selected" : ""}" data-id="${escapeHtml(r.id)}"`;
    out += ` aria-selected="${sel}" tabindex="0">`;
    for (const c of r.cells) out += `<td>${escapeHtml(formatCell(c))}</td>`;
    out += "</tr>";
  }
  return out;
}

/** @param {number} shown @param {number} matched @param {number} total @returns {string} */
export function countLabel(shown, matched, total) {
  const n = (/** @type {number} */ x) => x.toLocaleString("en-US");
  if (matched === total) {
    return shown < matched ? `${n(total)} rows (first ${n(shown)} shown, ${n(matched - shown)} more: refine the search)` : `${n(total)} rows`;
  }
  const more = shown < matched ? `, ${n(matched - shown)} more not shown` : "";
  return `${n(matched)} of ${n(total)} rows match${more}`;
}

/** @param {{ model: Model, el: HTMLElement }} ctx */
export function renderTable({ model, el }) {
  const root = h("div", { class: "cyclr-table" });
  const bar = h("div", { class: "cyclr-table-toolbar" });
  const search = /** @type {HTMLInputElement} */ (h("input", { class: "cyclr-table-search", type: "search", placeholder: "Search…", "aria-label": "Search" }));
  const select = /** @type {HTMLSelectElement} */ (h("select", { class: "cyclr-table-category", "aria-label": "Category" }));
  const count = h("span", { class: "cyclr-table-count" }, "Loading…");
  const caption = h("div", { class: "cyclr-table-caption" });
  const scroll = h("div", { class: "cyclr-table-scroll" });
  const table = h("table");
  const thead = h("thead");
  const tbody = h("tbody");
  table.append(thead, tbody);
  scroll.append(table);
  bar.append(search, select, count);
  root.append(caption, bar, scroll);
  el.replaceChildren(root);

  /** @type {Row[]} */ let rows = [];
  let loaded = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ let timer;
  let echoing = false; // our own model.set calls must not reset the inputs from stale traits
  // Typed but not reported yet: a state echo arriving meanwhile (a row clicked within the
  // debounce) carries the previous query and must not overwrite what is in the box.
  let typing = false;

  const drawCategories = () => {
    const cats = /** @type {string[]} */ (model.get("categories") || []);
    select.hidden = cats.length === 0;
    select.replaceChildren(h("option", { value: "" }, "All categories"), ...cats.map((c) => h("option", { value: c }, c)));
    select.value = model.get("category") || "";
  };
  const draw = () => {
    caption.textContent = model.get("caption") || "";
    if (!loaded) return;
    const matches = filterRows(rows, search.value, select.value);
    tbody.innerHTML = rowsHtml(matches, model.get("selected_id") || "");
    count.textContent = countLabel(Math.min(matches.length, MAX_RENDERED), matches.length, rows.length);
    return matches.length;
  };
  // Keystrokes filter at once; the kernel hears about it once typing pauses.
  const report = () => {
    clearTimeout(timer);
    const visible = draw();
    typing = true;
    timer = setTimeout(() => {
      typing = false;
      echoing = true;
      try {
        model.set("query", search.value);
        model.set("category", select.value);
        model.set("visible_count", visible ?? 0);
      } finally {
        echoing = false;
      }
      model.save_changes();
    }, 150);
  };
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || msg.kind !== "rows") return;
    const head = h("tr");
    head.append(...msg.columns.map((/** @type {string} */ c) => h("th", { scope: "col" }, c)));
    thead.replaceChildren(head);
    rows = prepareRows(msg.columns, msg.ids, msg.rows, model.get("category_column") || "");
    loaded = true;
    report();
  };
  /** @param {Event} ev */
  const pick = (ev) => {
    const tr = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (ev.target).closest("tr.cyclr-table-row"));
    if (!tr) return;
    if (ev instanceof KeyboardEvent && ev.key !== "Enter" && ev.key !== " ") return;
    model.set("selected_id", tr.dataset.id || "");
    model.save_changes();
  };
  const fromModel = () => {
    if (echoing) return;
    if (!typing && search.value !== (model.get("query") || "")) search.value = model.get("query") || "";
    if (!typing && select.value !== (model.get("category") || "")) select.value = model.get("category") || "";
    draw();
  };
  search.addEventListener("input", report);
  select.addEventListener("change", report);
  tbody.addEventListener("click", pick);
  tbody.addEventListener("keydown", pick);
  model.on("msg:custom", onMsg);
  model.on("change:categories", drawCategories);
  const events = ["change:query", "change:category", "change:selected_id", "change:caption"];
  for (const e of events) model.on(e, fromModel);
  drawCategories();
  search.value = model.get("query") || "";
  draw();
  model.send({ kind: "hello" });
  return () => {
    clearTimeout(timer);
    model.off("msg:custom", onMsg);
    model.off("change:categories", drawCategories);
    for (const e of events) model.off(e, fromModel);
  };
}

