// @ts-check
// How a table cell is drawn, by its column's kind (cyclr_widgets/widgets/_columns.py): text, a
// status chip (its text always there, the tone a data attribute), a time relative to the
// CLIENT's clock "now" that Python sends with the rows (never Date.now here: a test with an
// injected clock sees the same text every run), the row's icon (filled in later, by message) and
// the row's buttons. Every string is escaped; an icon URL is checked again before it is used.

/** @typedef {{ field: string, label: string, kind: string, tones?: Record<string, string> }} Spec */

/** @param {string} text @returns {string} */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** @param {unknown} value @returns {string} */
export function formatCell(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(formatCell).filter(Boolean).join(", ");
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const UNITS = /** @type {const} */ ([
  [60, "s"], [60, "min"], [24, "h"], [30, "d"], [12, "mo"], [Infinity, "y"],
]);

/**
 * "3 h ago", "in 2 d", "just now": `iso` relative to `nowIso` (both ISO 8601); "" if unreadable.
 * Rounded down in the largest unit that is at least 1 (45 s either way is "just now").
 * @param {string} iso @param {string} nowIso @returns {string}
 */
export function relativeTime(iso, nowIso) {
  const when = Date.parse(iso);
  const now = Date.parse(nowIso);
  if (Number.isNaN(when) || Number.isNaN(now)) return "";
  let diff = Math.round((now - when) / 1000);
  const future = diff < 0;
  diff = Math.abs(diff);
  if (diff < 45) return "just now";
  let amount = diff;
  let unit = "s";
  for (const [size, name] of UNITS) {
    unit = name;
    if (amount < size) break;
    amount = Math.floor(amount / size);
  }
  return future ? `in ${amount} ${unit}` : `${amount} ${unit} ago`;
}

/**
 * The exact time for a hover: in `zone` (the account's IANA zone; the browser's when empty or
 * unknown) and in UTC, e.g. "1 Dec 2026, 09:00:00 Europe/London (2026-12-01 09:00:00 UTC)".
 * @param {string} iso @param {string} [zone] @returns {string}
 */
export function exactTime(iso, zone = "") {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const utc = `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  /** @type {Intl.DateTimeFormatOptions} */
  const opts = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
  let local;
  try {
    local = new Intl.DateTimeFormat("en-GB", zone ? { ...opts, timeZone: zone } : opts).format(d);
  } catch {
    return utc; // an unknown zone: UTC alone
  }
  return `${local}${zone ? ` ${zone}` : ""} (${utc})`;
}

/**
 * A <time class="cw-time">: relative text, ISO datetime, exact title. Without "now" (a table
 * without the client's clock) the exact UTC time is the text.
 * @param {unknown} value @param {string | null | undefined} now @param {string} [zone]
 * @returns {string}
 */
export function timeHtml(value, now, zone = "") {
  if (value === null || value === undefined || value === "") return "";
  const iso = String(value);
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return escapeHtml(iso);
  const title = exactTime(iso, zone);
  const text = (now && relativeTime(iso, now)) || `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<time class="cw-time" datetime="${escapeHtml(d.toISOString())}" title="${escapeHtml(title)}">${escapeHtml(text)}</time>`;
}

/** A glyph before a chip's text (decoration only: aria-hidden, the text says it all). */
const GLYPHS = /** @type {Record<string, string>} */ ({ ok: "✓", warn: "!", error: "✕" });

/**
 * A status chip: `<span class="cw-chip" data-tone>` with its text (never colour alone).
 * @param {unknown} value @param {Record<string, string>} [tones] @returns {string}
 */
export function chipHtml(value, tones = {}) {
  const text = formatCell(value);
  if (!text) return "";
  const tone = ["ok", "warn", "error", "neutral"].includes(tones[text]) ? tones[text] : "neutral";
  const glyph = GLYPHS[tone] ? `<span class="cw-chip-glyph" aria-hidden="true">${GLYPHS[tone]}</span>` : "";
  return `<span class="cw-chip" data-tone="${tone}">${glyph}${escapeHtml(text)}</span>`;
}

const DATA_ICON = /^data:image\/(png|jpe?g|gif|webp|svg\+xml|x-icon|vnd\.microsoft\.icon|bmp);base64,[A-Za-z0-9+/]+={0,2}$/;
const HTTP_ICON = /^https?:\/\/[^\s"'<>`]+$/i;

/** @param {unknown} src @returns {string} the icon URL if it is a data:image or http(s) URL, else "" */
export function safeIconUrl(src) {
  if (typeof src !== "string") return "";
  return DATA_ICON.test(src) || HTTP_ICON.test(src) ? src : "";
}

/**
 * The icon cell: an <img alt=""> (decoration: the row's name is the next cell) once the icon is
 * known, a placeholder until then (filled in when the kernel answers).
 * @param {string} id @param {string | null | undefined} src @returns {string}
 */
export function iconHtml(id, src) {
  const url = safeIconUrl(src);
  const img = url ? `<img class="cw-icon-img" src="${escapeHtml(url)}" alt="" width="20" height="20" loading="lazy">` : "";
  return `<span class="cw-icon" data-icon-id="${escapeHtml(id)}" data-loaded="${src === undefined ? "false" : "true"}">${img}</span>`;
}

/**
 * A row's buttons: [[name, label], ...]; out of the tab order but in the active row's (roving).
 * @param {unknown} value @param {boolean} active @param {string} rowName @returns {string}
 */
export function actionsHtml(value, active, rowName = "") {
  if (!Array.isArray(value)) return "";
  return value
    .filter((a) => Array.isArray(a) && a.length >= 2)
    .map(([name, label]) => {
      const aria = rowName ? ` aria-label="${escapeHtml(`${label} ${rowName}`)}"` : "";
      return `<button type="button" class="jupyter-button cw-button cw-row-action" data-action="${escapeHtml(String(name))}" tabindex="${active ? 0 : -1}"${aria}>${escapeHtml(String(label))}</button>`;
    })
    .join("");
}

/**
 * One cell's inner HTML by its column's kind.
 * @param {Spec | undefined} spec @param {unknown} value
 * @param {{ id: string, now?: string | null, zone?: string, icons?: Map<string, string | null>, active?: boolean, rowName?: string }} ctx
 * @returns {string}
 */
export function cellHtml(spec, value, ctx) {
  switch (spec && spec.kind) {
    case "chip":
      return chipHtml(value, (spec && spec.tones) || {});
    case "time":
      return timeHtml(value, ctx.now, ctx.zone);
    case "icon":
      return iconHtml(ctx.id, ctx.icons ? ctx.icons.get(ctx.id) : undefined);
    case "actions":
      return actionsHtml(value, Boolean(ctx.active), ctx.rowName || "");
    default:
      return escapeHtml(formatCell(value));
  }
}
