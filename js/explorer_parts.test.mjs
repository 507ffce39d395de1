// Unit tests of the explorer's DOM-free helpers (js/parts/actions.js, js/parts/time_window.js,
// js/parts/health_table.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { SECRET_NAME, isSecretName } from "./parts/actions.js";
import { WINDOWS as HEALTH_WINDOWS, healthRowsHtml, mergeRows, progressLabel, scoreBand } from "./parts/health_table.js";
import { prepareRows } from "./parts/table.js";
import { WINDOWS } from "./parts/time_window.js";

test("a property's value is a password input when its name looks secret or the kernel says so", () => {
  const known = [{ name: "PortalId", secret: false }, { name: "Signing", secret: true }];
  assert.equal(isSecretName("ClientSecret", known), true);
  assert.equal(isSecretName("api_key", known), true);
  assert.equal(isSecretName("password", []), true);
  assert.equal(isSecretName("signing", known), true); // the kernel's word, any case
  assert.equal(isSecretName("PortalId", known), false);
  assert.equal(isSecretName("Region", known), false);
  assert.ok(SECRET_NAME.test("RefreshToken"));
});

test("the time window offers the kernel's window names", () => {
  assert.deepEqual(WINDOWS.map(([v]) => v), ["hour", "day", "week", "custom"]);
});

const COLUMNS = ["Score", "Name", "Id", "Error"];
/** @param {[number | null, string, string, string | null][]} cells */
const healthRows = (cells) => prepareRows(COLUMNS, cells.map((c) => c[2]), cells, "");

test("health batches merge worst first: Score ascending, then Id, whatever order they arrive in", () => {
  let rows = mergeRows([], healthRows([[100, "Globex", "b", null], [40, "Acme", "z", null]]), 0);
  rows = mergeRows(rows, healthRows([[40, "Initech", "a", null], [0, "Hooli", "h", "403"]]), 0);
  rows = mergeRows(rows, healthRows([[null, "?", "c", null]]), 0); // no score: the worst
  assert.deepEqual(rows.map((r) => r.id), ["c", "h", "a", "z", "b"]);
  assert.deepEqual(mergeRows(rows, [], 0).map((r) => r.id), rows.map((r) => r.id));
});

test("health rows are escaped and marked by how bad their score is", () => {
  const rows = healthRows([[0, "<b>Evil</b>", "e\"1", "AccessDeniedError: no"], [80, "Ok-ish", "o", null]]);
  const html = healthRowsHtml(rows, 0, "o");
  assert.ok(html.includes("&#60;b&#62;Evil") && !html.includes("<b>"));
  assert.ok(html.includes('data-id="e&#34;1" data-band="bad"'));
  assert.ok(html.includes('data-id="o" data-band="warn" aria-selected="true"'));
  assert.deepEqual([scoreBand(0), scoreBand(49), scoreBand(50), scoreBand(99), scoreBand(100)], ["bad", "bad", "warn", "warn", "ok"]);
});

test("the health progress says done of total, or done while the accounts are listed", () => {
  assert.equal(progressLabel(120, 3000, true), "Scanning: 120 of 3,000 accounts");
  assert.equal(progressLabel(5, -1, true), "Listing accounts… 5 scanned");
  assert.equal(progressLabel(3000, 3000, false), "");
  assert.deepEqual(HEALTH_WINDOWS.map(([v]) => v), ["24h", "7d"]);
});
