// Unit tests of the table cells (js/parts/table_cells.js) and the table's keyboard and kinds
// (js/parts/table.js): `node --test js/*.test.mjs`. Every time is relative to a given "now" (the
// client's clock, sent by Python): no test reads the machine's clock.
import assert from "node:assert/strict";
import test from "node:test";

import { nextIndex, prepareRows, rowsHtml } from "./parts/table.js";
import { actionsHtml, cellHtml, chipHtml, exactTime, iconHtml, relativeTime, safeIconUrl, timeHtml } from "./parts/table_cells.js";

const NOW = "2026-12-01T12:00:00+00:00";

test("relativeTime: just now, minutes, hours, days, months, years, and the future", () => {
  assert.equal(relativeTime("2026-12-01T11:59:30Z", NOW), "just now");
  assert.equal(relativeTime("2026-12-01T12:00:40Z", NOW), "just now");
  assert.equal(relativeTime("2026-12-01T11:58:00Z", NOW), "2 min ago");
  assert.equal(relativeTime("2026-12-01T09:00:00Z", NOW), "3 h ago");
  assert.equal(relativeTime("2026-12-01T08:59:59Z", NOW), "3 h ago"); // rounded down
  assert.equal(relativeTime("2026-11-28T12:00:00Z", NOW), "3 d ago");
  assert.equal(relativeTime("2026-09-01T12:00:00Z", NOW), "3 mo ago");
  assert.equal(relativeTime("2024-01-02T03:04:05Z", NOW), "2 y ago");
  assert.equal(relativeTime("2026-12-03T12:00:00Z", NOW), "in 2 d");
  assert.equal(relativeTime("2026-12-01T12:05:00Z", NOW), "in 5 min");
  assert.equal(relativeTime("not a time", NOW), "");
  assert.equal(relativeTime("2026-12-01T11:00:00Z", ""), "");
});

test("exactTime: the account's zone and UTC; an unknown zone gives UTC alone", () => {
  const t = exactTime("2026-12-01T09:00:00Z", "America/New_York");
  assert.match(t, /1 Dec 2026/);
  assert.match(t, /04:00:00 America\/New_York/);
  assert.ok(t.endsWith("(2026-12-01 09:00:00 UTC)"), t);
  assert.equal(exactTime("2026-12-01T09:00:00Z", "Not/AZone"), "2026-12-01 09:00:00 UTC");
});

test("timeHtml: <time class=cw-time> with datetime, title and the relative text", () => {
  const html = timeHtml("2026-12-01T09:00:00+00:00", NOW, "Europe/London");
  assert.ok(html.startsWith('<time class="cw-time" datetime="2026-12-01T09:00:00.000Z" title="'), html);
  assert.ok(html.includes("09:00:00 Europe/London (2026-12-01 09:00:00 UTC)"), html);
  assert.ok(html.endsWith(">3 h ago</time>"), html);
  // Without the client's clock: the exact UTC time, never the browser's "now".
  assert.ok(timeHtml("2026-12-01T09:00:00Z", null).endsWith(">2026-12-01 09:00 UTC</time>"));
  assert.equal(timeHtml(null, NOW), "");
  assert.equal(timeHtml("<b>", NOW), "&#60;b&#62;");
});

test("chipHtml: text always present, the tone from the column's map, escaped", () => {
  const tones = { Authenticated: "ok", "Not authenticated": "warn", Error: "error" };
  assert.equal(
    chipHtml("Authenticated", tones),
    '<span class="cw-chip" data-tone="ok"><span class="cw-chip-glyph" aria-hidden="true">✓</span>Authenticated</span>',
  );
  assert.ok(chipHtml("Not authenticated", tones).includes('data-tone="warn"'));
  assert.ok(chipHtml("Error", tones).includes('data-tone="error"'));
  assert.equal(chipHtml("Paused", tones), '<span class="cw-chip" data-tone="neutral">Paused</span>');
  assert.ok(chipHtml("<i>x</i>", { "<i>x</i>": "bogus" }).includes('data-tone="neutral">&#60;i&#62;'));
  assert.equal(chipHtml(null, tones), "");
});

test("icons: data:image and http(s) URLs only; a placeholder until the kernel answers", () => {
  const png = "data:image/png;base64,iVBORw0KGgo=";
  assert.equal(safeIconUrl(png), png);
  assert.equal(safeIconUrl("https://cdn.example.com/i.png"), "https://cdn.example.com/i.png");
  for (const bad of ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", 'https://x/"onerror=', "ftp://x/i.png", 42, null]) {
    assert.equal(safeIconUrl(bad), "", String(bad));
  }
  assert.equal(iconHtml("7", undefined), '<span class="cw-icon" data-icon-id="7" data-loaded="false"></span>');
  assert.ok(iconHtml("7", png).includes(`<img class="cw-icon-img" src="${png}" alt=""`));
  assert.equal(iconHtml("7", null), '<span class="cw-icon" data-icon-id="7" data-loaded="true"></span>');
  assert.ok(!iconHtml("7", "javascript:alert(1)").includes("<img"));
});

test("actionsHtml: buttons with jupyter-button, out of the tab order but in the active row", () => {
  const html = actionsHtml([["connect", "Connect"]], false, "Salesforce");
  assert.equal(
    html,
    '<button type="button" class="jupyter-button cw-button cw-row-action" data-action="connect" tabindex="-1" aria-label="Connect Salesforce">Connect</button>',
  );
  assert.ok(actionsHtml([["install", "Install"]], true).includes('tabindex="0"'));
  assert.equal(actionsHtml(null, true), "");
  assert.equal(cellHtml({ field: "x", label: "x", kind: "text" }, "<b>", { id: "1" }), "&#60;b&#62;");
});

const SPECS = [
  { field: "@icon", label: "", kind: "icon" },
  { field: "Name", label: "Name", kind: "text" },
  { field: "Authenticated", label: "Status", kind: "chip", tones: { Authenticated: "ok" } },
  { field: "Seen", label: "Seen", kind: "time" },
  { field: "@actions", label: "Actions", kind: "actions" },
];
const COLUMNS = SPECS.map((s) => s.field);
const DATA = [
  [null, "Salesforce", "Not authenticated", "2026-12-01T11:00:00Z", [["connect", "Connect"]]],
  [null, "HubSpot", "Authenticated", null, [["reauthenticate", "Re-authenticate"]]],
];

test("prepareRows searches text, chips and times, never icons or buttons; filters by chip text", () => {
  const rows = prepareRows(COLUMNS, ["51", "52"], DATA, "Authenticated", SPECS);
  assert.ok(!rows[0].hay.includes("connect\u0001") && !rows[0].hay.includes("connect,"));
  assert.ok(rows[0].hay.includes("not authenticated") && rows[0].hay.includes("salesforce"));
  assert.deepEqual(rows.map((r) => r.cats), [["Not authenticated"], ["Authenticated"]]);
});

test("rowsHtml draws each kind and makes one row the table's tab stop", () => {
  const rows = prepareRows(COLUMNS, ["51", "52"], DATA, "", SPECS);
  const html = rowsHtml(rows, "", 200, { specs: SPECS, now: NOW, zone: "UTC", icons: new Map([["52", null]]) });
  assert.equal((html.match(/tabindex="0"/g) || []).length, 2); // the first row and its button
  assert.ok(html.includes('data-id="51" aria-selected="false" tabindex="0"'));
  assert.ok(html.includes('data-id="52" aria-selected="false" tabindex="-1"'));
  assert.ok(html.includes('<td class="cw-cell-icon"><span class="cw-icon" data-icon-id="51" data-loaded="false">'));
  assert.ok(html.includes('data-icon-id="52" data-loaded="true"'));
  assert.ok(html.includes(">1 h ago</time>"));
  assert.ok(html.includes('data-tone="ok"') && html.includes(">Authenticated</span>"));
  assert.ok(html.includes('data-action="connect" tabindex="0" aria-label="Connect Salesforce"'));
  const selected = rowsHtml(rows, "52", 200, { specs: SPECS, now: NOW });
  assert.ok(selected.includes('data-id="52" aria-selected="true" tabindex="0"'));
  assert.ok(selected.includes('data-id="51" aria-selected="false" tabindex="-1"'));
});

test("nextIndex: arrows move one row and stop at the ends, Home and End jump", () => {
  assert.equal(nextIndex("ArrowDown", 0, 3), 1);
  assert.equal(nextIndex("ArrowDown", 2, 3), 2);
  assert.equal(nextIndex("ArrowUp", 0, 3), 0);
  assert.equal(nextIndex("ArrowUp", 2, 3), 1);
  assert.equal(nextIndex("Home", 2, 3), 0);
  assert.equal(nextIndex("End", 0, 3), 2);
  assert.equal(nextIndex("a", 0, 3), -1);
  assert.equal(nextIndex("ArrowDown", 0, 0), -1);
});
