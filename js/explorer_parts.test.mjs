// Unit tests of the explorer's DOM-free helpers (js/parts/actions.js, js/parts/time_window.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { SECRET_NAME, isSecretName } from "./parts/actions.js";
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
