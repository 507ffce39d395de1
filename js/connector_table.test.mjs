// Unit tests for the pure parts of connector_table.js: run with `node --test js/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  MAX_RENDERED,
  countLabel,
  escapeHtml,
  filterRows,
  formFields,
  formatCell,
  missingRequired,
  prepareRows,
  render,
  rowsHtml,
} from "./connector_table.js";

const columns = ["Name", "Version", "Categories", "AuthTypes"];
const ids = [1, 2, 3];
const data = [
  ["Salesforce", "v2", ["CRMs", "Sales"], "OAuth2"],
  ["Mailchimp", "v3", ["Marketing"], "ApiKey"],
  ["HubSpot CRM", null, ["CRMs"], "OAuth2, ApiKey"],
];
const rows = prepareRows(columns, ids, data, "Categories");

test("formatCell renders lists, booleans and missing values", () => {
  assert.equal(formatCell(["a", "b"]), "a, b");
  assert.equal(formatCell(true), "Yes");
  assert.equal(formatCell(false), "No");
  assert.equal(formatCell(null), "");
  assert.equal(formatCell(undefined), "");
  assert.equal(formatCell(12), "12");
  assert.equal(formatCell({ a: 1 }), '{"a":1}');
});

test("prepareRows keeps ids as strings and indexes categories", () => {
  assert.deepEqual(rows.map((r) => r.id), ["1", "2", "3"]);
  assert.deepEqual(rows[0].cats, ["CRMs", "Sales"]);
  const scalar = prepareRows(["Level"], ["a"], [["Error"]], "Level");
  assert.deepEqual(scalar[0].cats, ["Error"]);
  assert.deepEqual(prepareRows(["Level"], ["a"], [[null]], "Level")[0].cats, []);
  assert.deepEqual(prepareRows(columns, ids, data, "")[0].cats, []);
});

test("filterRows matches words case-insensitively in any column", () => {
  assert.equal(filterRows(rows, "", ""), rows);
  assert.deepEqual(filterRows(rows, "sales", "").map((r) => r.id), ["1"]);
  assert.deepEqual(filterRows(rows, "CRM", "").map((r) => r.id), ["1", "3"]);
  assert.deepEqual(filterRows(rows, "  hub   crm ", "").map((r) => r.id), ["3"]);
  assert.deepEqual(filterRows(rows, "apikey", "").map((r) => r.id), ["2", "3"]);
  assert.deepEqual(filterRows(rows, "nothing-like-this", ""), []);
});

test("filterRows searches the id too", () => {
  assert.deepEqual(filterRows(rows, "3", "").map((r) => r.id), ["2", "3"]); // "v3" and id 3
});

test("filterRows narrows by exact category", () => {
  assert.deepEqual(filterRows(rows, "", "CRMs").map((r) => r.id), ["1", "3"]);
  assert.deepEqual(filterRows(rows, "", "CRM").map((r) => r.id), []);
  assert.deepEqual(filterRows(rows, "oauth2", "Sales").map((r) => r.id), ["1"]);
});

test("rowsHtml escapes every cell and marks the selected row", () => {
  const evil = prepareRows(["Name"], ['x"y'], [["<img src=x onerror=alert(1)>"]], "");
  const html = rowsHtml(evil, 'x"y');
  assert.ok(!html.includes("<img"));
  assert.ok(html.includes("&#60;img"));
  assert.ok(html.includes('data-id="x&#34;y"'));
  assert.ok(html.includes('class="cyclr-table-row selected"'));
  assert.ok(html.includes('aria-selected="true"'));
  const plain = rowsHtml(rows, "2");
  assert.equal((plain.match(/<tr /g) || []).length, 3);
  assert.equal((plain.match(/selected"/g) || []).length, 1);
  assert.ok(plain.includes("<td>CRMs, Sales</td>"));
});

test("escapeHtml covers the five special characters", () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), "&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;");
});

test("rowsHtml caps the rendered rows", () => {
  const many = prepareRows(["Name"], Array.from({ length: 1500 }, (_, i) => i), Array.from({ length: 1500 }, (_, i) => [`c${i}`]), "");
  const html = rowsHtml(many, "");
  assert.equal((html.match(/<tr /g) || []).length, MAX_RENDERED);
  assert.equal((rowsHtml(many, "", 5).match(/<tr /g) || []).length, 5);
});

test("filtering 5,000 rows stays far below a keystroke budget", () => {
  const n = 5000;
  const big = prepareRows(
    columns,
    Array.from({ length: n }, (_, i) => i),
    Array.from({ length: n }, (_, i) => [`Connector ${i}`, "v1", [`Cat${i % 20}`], i % 2 ? "OAuth2" : "ApiKey"]),
    "Categories",
  );
  const start = performance.now();
  for (const q of ["c", "co", "con", "conn", "connector 4", "connector 49"]) {
    const m = filterRows(big, q, "Cat9");
    rowsHtml(m, "");
  }
  const perKey = (performance.now() - start) / 6;
  assert.ok(perKey < 50, `${perKey.toFixed(1)} ms per keystroke`);
});

test("countLabel describes shown, matched and total", () => {
  assert.equal(countLabel(3, 3, 3), "3 rows");
  assert.equal(countLabel(1, 1, 1), "1 row");
  assert.equal(countLabel(1, 1, 7), "1 of 7 rows matches");
  assert.equal(countLabel(200, 1200, 1200), "1,200 rows (first 200 shown, 1,000 more: refine the search)");
  assert.equal(countLabel(2, 2, 1200), "2 of 1,200 rows match");
  assert.equal(countLabel(200, 450, 1200), "450 of 1,200 rows match, 250 more not shown");
});

const schema = {
  connector_id: 7,
  connector_name: "Acme",
  auth: [
    { id: "g1", label: "API key", kind: "ApiKey", fields: [{ name: "api_key", label: "API key", kind: "password", required: true, secret: true }] },
    { id: "g2", label: "OAuth 2.0", kind: "OAuth2", fields: [{ name: "client_id", label: "Client ID", kind: "text", secret: true }] },
  ],
  fields: [
    { name: "name", label: "Name", kind: "text", required: true, value: "Acme" },
    { name: "prop:Region", label: "Region", kind: "select", required: false, options: ["eu", "us"] },
  ],
};

test("formFields shows the chosen auth method's fields then the common ones", () => {
  assert.deepEqual(formFields(schema, "g1").map((f) => f.name), ["api_key", "name", "prop:Region"]);
  assert.deepEqual(formFields(schema, "g2").map((f) => f.name), ["client_id", "name", "prop:Region"]);
  assert.deepEqual(formFields(schema, "unknown").map((f) => f.name), ["api_key", "name", "prop:Region"]);
  assert.deepEqual(formFields({ fields: [] }, null), []);
});

test("missingRequired lists empty required fields by label", () => {
  const fields = formFields(schema, "g1");
  assert.deepEqual(missingRequired(fields, { name: "x" }), ["API key"]);
  assert.deepEqual(missingRequired(fields, { name: "  ", api_key: "k" }), ["Name"]);
  assert.deepEqual(missingRequired(fields, { name: "x", api_key: "k" }), []);
});

test("render is exported as a function", () => {
  assert.equal(typeof render, "function");
});
