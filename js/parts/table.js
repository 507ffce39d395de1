// @ts-check
// The table part: a searchable, filterable table of rows that never live in model state. The
// view asks with {kind: "hello"} and Python answers with {kind: "rows", columns, specs, ids, rows,
// now, zone, label, filter_label}. Filtering runs here so a keystroke never waits for the kernel;
// only the query, category, selection and counts go back as (small) traits. Cells are drawn by
// their column's kind (table_cells.js); icons are asked for by message for the rows on screen
// ({kind: "icons", ids}), a row's button sends {kind: "row_action", id, action}. Keyboard: one
// tab stop per table (roving tabindex), arrows/Home/End move, Enter/Space select.
import { h, suppressShortcuts } from "./dom.js";
import { cellHtml, escapeHtml, formatCell, iconHtml } from "./table_cells.js";

export { escapeHtml, formatCell } from "./table_cells.js";

/** @typedef {import("./dom.js").Model} Model */
/** @typedef {import("./table_cells.js").Spec} Spec */
/** @typedef {{ id: string, cells: unknown[], cats: string[], hay: string }} Row */
/** @typedef {{ specs?: Spec[], now?: string | null, zone?: string, icons?: Map<string, string | null>, activeId?: string }} DrawOptions */

/** How many matching rows get DOM nodes; the rest are counted ("N more"), which keeps a
 * keystroke cheap at thousands of rows. */
export const MAX_RENDERED = 200;

const UNSEARCHED = new Set(["icon", "actions"]);

/**
 * Index rows once (lower-cased haystack, category list) so filtering is a substring scan. Icon
 * and button columns are not searched (as in Python's _table.py).
 * @param {string[]} columns @param {unknown[]} ids @param {unknown[][]} rows
 * @param {string} categoryColumn @param {Spec[]} [specs]
 * @returns {Row[]}
 */
export function prepareRows(columns, ids, rows, categoryColumn, specs = []) {
  const catIdx = categoryColumn ? columns.indexOf(categoryColumn) : -1;
  const searched = columns.map((_, i) => !UNSEARCHED.has((specs[i] && specs[i].kind) || "text"));
  return rows.map((cells, i) => {
    const id = formatCell(ids[i]);
    const raw = catIdx >= 0 ? cells[catIdx] : null;
    const cats = Array.isArray(raw) ? raw.map(formatCell) : raw == null || raw === "" ? [] : [formatCell(raw)];
    const hay = [id, ...cells.filter((_, k) => searched[k]).map(formatCell)].join("\u0001").toLowerCase();
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
 * The <tbody> markup for the first `limit` rows (every cell escaped, drawn by its kind). One row
 * is the table's tab stop (`activeId`, else the selected one, else the first).
 * @param {Row[]} rows @param {string} selectedId @param {number} [limit] @param {DrawOptions} [opts]
 * @returns {string}
 */
export function rowsHtml(rows, selectedId, limit = MAX_RENDERED, opts = {}) {
  const shown = rows.slice(0, limit);
  const specs = opts.specs || [];
  const ids = new Set(shown.map((r) => r.id));
  const active = [opts.activeId, selectedId].find((x) => x && ids.has(x)) || (shown[0] ? shown[0].id : "");
  const nameIdx = specs.findIndex((s) => s.kind === "text");
  let out = "";
  for (const r of shown) {
    const sel = r.id === selectedId;
    const on = r.id === active;
    out += `<tr class="cyclr-table-row${sel ? " selected" : ""}" data-id="${escapeHtml(r.id)}"`;
    out += ` aria-selected="${sel}" tabindex="${on ? 0 : -1}">`;
    const rowName = nameIdx >= 0 ? formatCell(r.cells[nameIdx]) : "";
    r.cells.forEach((c, i) => {
      const spec = specs[i];
      const html = cellHtml(spec, c, { id: r.id, now: opts.now, zone: opts.zone, icons: opts.icons, active: on, rowName });
      out += spec && spec.kind && spec.kind !== "text" ? `<td class="cw-cell-${spec.kind}">${html}</td>` : `<td>${html}</td>`;
    });
    out += "</tr>";
  }
  return out;
}

/** @param {number} shown @param {number} matched @param {number} total @returns {string} */
export function countLabel(shown, matched, total) {
  const n = (/** @type {number} */ x) => x.toLocaleString("en-US");
  const rows = (/** @type {number} */ x) => `${n(x)} ${x === 1 ? "row" : "rows"}`;
  if (matched === total) {
    return shown < matched ? `${rows(total)} (first ${n(shown)} shown, ${n(matched - shown)} more: refine the search)` : rows(total);
  }
  const more = shown < matched ? `, ${n(matched - shown)} more not shown` : "";
  return `${n(matched)} of ${rows(total)} ${matched === 1 ? "matches" : "match"}${more}`;
}

/**
 * Where the focus goes for a key among `count` rows from row `index`; -1 for another key.
 * @param {string} key @param {number} index @param {number} count @returns {number}
 */
export function nextIndex(key, index, count) {
  if (!count) return -1;
  if (key === "ArrowDown") return Math.min(index + 1, count - 1);
  if (key === "ArrowUp") return Math.max(index - 1, 0);
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return -1;
}

/**
 * Keyboard for a table body: one tab stop (the active row, its buttons with it), arrows, Home,
 * End move it; Enter/Space call `select(tr)` (as a click does). `restore` after a redraw keeps
 * the active row (and the focus, if the table had it).
 * @param {HTMLElement} tbody @param {(tr: HTMLElement) => void} select
 */
export function rowNavigation(tbody, select) {
  let activeId = "";
  const rowsOf = () => /** @type {HTMLElement[]} */ (Array.from(tbody.querySelectorAll("tr.cyclr-table-row")));
  /** @param {HTMLElement} tr @param {boolean} focus */
  const setActive = (tr, focus) => {
    for (const r of rowsOf()) {
      const on = r === tr;
      r.tabIndex = on ? 0 : -1;
      for (const b of /** @type {NodeListOf<HTMLElement>} */ (r.querySelectorAll("button"))) b.tabIndex = on ? 0 : -1;
    }
    activeId = tr.dataset.id || "";
    if (focus) tr.focus();
  };
  /** @param {KeyboardEvent} ev */
  const onKey = (ev) => {
    const target = /** @type {HTMLElement} */ (ev.target);
    const tr = /** @type {HTMLElement | null} */ (target.closest("tr.cyclr-table-row"));
    if (!tr || target.closest("button")) return; // a row's button handles its own keys
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      ev.stopPropagation(); // the notebook's own keys (run cell, move cell) stay out of a table
      select(tr);
      return;
    }
    const rows = rowsOf();
    const i = nextIndex(ev.key, rows.indexOf(tr), rows.length);
    if (i < 0) return;
    ev.preventDefault();
    ev.stopPropagation();
    setActive(rows[i], true);
  };
  /** @param {FocusEvent} ev */
  const onFocus = (ev) => {
    const tr = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (ev.target).closest("tr.cyclr-table-row"));
    if (tr && (tr.dataset.id || "") !== activeId) setActive(tr, false);
  };
  // Notebook 7 (Lumino) handles arrow keys before they reach us unless told not to.
  suppressShortcuts(tbody);
  tbody.addEventListener("keydown", onKey);
  tbody.addEventListener("focusin", onFocus);
  return {
    get activeId() { return activeId; },
    /** @param {string} selectedId @param {boolean} refocus */
    restore(selectedId, refocus) {
      const rows = rowsOf();
      const tr = rows.find((r) => r.dataset.id === activeId) || rows.find((r) => r.dataset.id === selectedId) || rows[0];
      if (tr) setActive(tr, refocus);
    },
    dispose() {
      tbody.removeEventListener("keydown", onKey);
      tbody.removeEventListener("focusin", onFocus);
    },
  };
}

/**
 * Ask the kernel for the icons of the rows on screen: an IntersectionObserver on the icon cells
 * where the browser has one (only rows scrolled into view ask), else every rendered row. Each id
 * is asked once per view; the answers fill the cells in place.
 * @param {Model} model @param {HTMLElement} scroll @param {HTMLElement} tbody
 */
export function iconLoader(model, scroll, tbody) {
  /** @type {Map<string, string | null>} */ const icons = new Map();
  const asked = new Set();
  /** @type {Set<string>} */ let wanted = new Set();
  /** @type {ReturnType<typeof setTimeout> | undefined} */ let timer;
  const flush = () => {
    timer = undefined;
    const ids = [...wanted].filter((id) => !asked.has(id));
    wanted = new Set();
    if (!ids.length) return;
    for (const id of ids) asked.add(id);
    model.send({ kind: "icons", ids });
  };
  /** @param {string} id */
  const want = (id) => {
    if (asked.has(id) || icons.has(id)) return;
    wanted.add(id);
    if (timer === undefined) timer = setTimeout(flush, 30);
  };
  const io = typeof IntersectionObserver === "function"
    ? new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        want(/** @type {HTMLElement} */ (e.target).dataset.iconId || "");
        io?.unobserve(e.target);
      }
    }, { root: scroll, rootMargin: "64px" })
    : null;
  return {
    icons,
    /** After a redraw: watch (or ask for) the icon cells not filled in yet. */
    watch() {
      io?.disconnect();
      for (const span of /** @type {NodeListOf<HTMLElement>} */ (tbody.querySelectorAll('.cw-icon[data-loaded="false"]'))) {
        if (io) io.observe(span);
        else want(span.dataset.iconId || "");
      }
    },
    /** @param {Record<string, string | null>} answer */
    fill(answer) {
      for (const [id, url] of Object.entries(answer || {})) icons.set(id, url || null);
      for (const span of /** @type {NodeListOf<HTMLElement>} */ (tbody.querySelectorAll(".cw-icon"))) {
        const id = span.dataset.iconId || "";
        if (icons.has(id) && span.dataset.loaded !== "true") span.outerHTML = iconHtml(id, icons.get(id));
      }
    },
    /** New rows (a reload): icons may have changed, ask again. */
    reset() { icons.clear(); asked.clear(); },
    dispose() { clearTimeout(timer); io?.disconnect(); },
  };
}

/** @param {{ model: Model, el: HTMLElement }} ctx */
export function renderTable({ model, el }) {
  const root = h("div", { class: "cyclr-table" });
  const bar = h("div", { class: "cyclr-table-toolbar" });
  const search = /** @type {HTMLInputElement} */ (h("input", { class: "cyclr-table-search", type: "search", placeholder: "Search…", "aria-label": "Search" }));
  const select = /** @type {HTMLSelectElement} */ (h("select", { class: "cyclr-table-category", "aria-label": "Category" }));
  const count = h("span", { class: "cyclr-table-count", role: "status", "aria-live": "polite" }, "Loading…");
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
  /** @type {Spec[]} */ let specs = [];
  /** @type {string | null} */ let now = null;
  let zone = "";
  let label = "";
  let filterLabel = "Category";
  let loaded = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ let timer;
  let echoing = false; // our own model.set calls must not reset the inputs from stale traits
  // Typed but not reported yet: a state echo arriving meanwhile (a row clicked within the
  // debounce) carries the previous query and must not overwrite what is in the box.
  let typing = false;
  const loader = iconLoader(model, scroll, tbody);

  const drawCategories = () => {
    const cats = /** @type {string[]} */ (model.get("categories") || []);
    select.hidden = cats.length === 0;
    select.setAttribute("aria-label", filterLabel);
    const any = `Any ${filterLabel.toLowerCase()}`;
    select.replaceChildren(h("option", { value: "" }, any), ...cats.map((c) => h("option", { value: c }, c)));
    select.value = model.get("category") || "";
  };
  const drawLabels = () => {
    const text = String(model.get("caption") || "");
    caption.textContent = text;
    table.setAttribute("aria-label", text || label || "Table");
    search.setAttribute("aria-label", `Search ${(label || text || "the table").toLowerCase()}`);
  };
  /** @param {HTMLElement} tr */
  const choose = (tr) => {
    model.set("selected_id", tr.dataset.id || "");
    model.save_changes();
  };
  const nav = rowNavigation(tbody, choose);
  const draw = () => {
    drawLabels();
    if (!loaded) return;
    const matches = filterRows(rows, search.value, select.value);
    const hadFocus = tbody.contains(document.activeElement);
    const selectedId = model.get("selected_id") || "";
    tbody.innerHTML = rowsHtml(matches, selectedId, MAX_RENDERED, { specs, now, zone, icons: loader.icons, activeId: nav.activeId });
    nav.restore(selectedId, hadFocus);
    loader.watch();
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
    if (!msg) return;
    if (msg.kind === "icons") {
      loader.fill(msg.icons);
      return;
    }
    if (msg.kind !== "rows") return;
    const columns = /** @type {string[]} */ (msg.columns || []);
    specs = Array.isArray(msg.specs) ? msg.specs : columns.map((c) => ({ field: c, label: c, kind: "text" }));
    now = msg.now || null;
    zone = String(msg.zone || "");
    label = String(msg.label || "");
    filterLabel = String(msg.filter_label || "Category");
    const head = h("tr");
    head.append(...specs.map((s) => {
      const th = h("th", { scope: "col", class: `cw-col-${s.kind}` }, s.label);
      if (!s.label) th.append(h("span", { class: "cw-visually-hidden" }, s.kind === "icon" ? "Icon" : s.field));
      return th;
    }));
    thead.replaceChildren(head);
    rows = prepareRows(columns, msg.ids, msg.rows, model.get("category_column") || "", specs);
    loader.reset();
    loaded = true;
    drawCategories();
    report();
  };
  /** @param {Event} ev */
  const onClick = (ev) => {
    const target = /** @type {HTMLElement} */ (ev.target);
    const tr = /** @type {HTMLElement | null} */ (target.closest("tr.cyclr-table-row"));
    if (!tr) return;
    const button = /** @type {HTMLElement | null} */ (target.closest("button.cw-row-action"));
    if (button) {
      const detail = { id: tr.dataset.id || "", action: button.dataset.action || "" };
      model.send({ kind: "row_action", ...detail });
      // The host widget may move the focus where the action continues (an install form).
      root.dispatchEvent(new CustomEvent("cyclr-row-action", { bubbles: true, detail }));
      return;
    }
    choose(tr);
  };
  const fromModel = () => {
    if (echoing) return;
    if (!typing && search.value !== (model.get("query") || "")) search.value = model.get("query") || "";
    if (!typing && select.value !== (model.get("category") || "")) select.value = model.get("category") || "";
    draw();
  };
  search.addEventListener("input", report);
  select.addEventListener("change", report);
  tbody.addEventListener("click", onClick);
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
    nav.dispose();
    loader.dispose();
    model.off("msg:custom", onMsg);
    model.off("change:categories", drawCategories);
    for (const e of events) model.off(e, fromModel);
  };
}
