// Unit tests of js/parts/dom.js's DOM-free helpers: the classes every button gets.
import assert from "node:assert/strict";
import { test } from "node:test";

import { buttonClass } from "./parts/dom.js";

test("every button is a jupyter-button and a cw-button; the main action is also primary", () => {
  assert.equal(buttonClass("cyclr-oauth-check"), "cyclr-oauth-check jupyter-button cw-button");
  assert.equal(buttonClass("cyclr-install-btn", true), "cyclr-install-btn jupyter-button cw-button cw-button--primary");
});
