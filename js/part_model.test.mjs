// Unit tests of js/parts/part_model.js: a part's model inside its host widget's model.
import assert from "node:assert/strict";
import { test } from "node:test";

import { acquirePartModel, partModel } from "./parts/part_model.js";

function hostModel(parts) {
  const state = { parts };
  const handlers = {};
  const sent = [];
  const fire = (e, ...a) => (handlers[e] || []).slice().forEach((f) => f(...a));
  return {
    sent, fire,
    get: (k) => state[k],
    set: (k, v) => { state[k] = v; fire(`change:${k}`); },
    save_changes() {},
    send: (m) => sent.push(m),
    on: (e, f) => (handlers[e] ||= []).push(f),
    off: (e, f) => { handlers[e] = (handlers[e] || []).filter((g) => g !== f); },
    count: (e) => (handlers[e] || []).length,
  };
}

test("get reads the part's state; a change of it fires change:<trait>, others do not", () => {
  const host = hostModel({ library: { query: "", caption: "Lib", _id: 3 }, form: { busy: false } });
  const m = partModel(host, "library");
  assert.equal(m.get("caption"), "Lib");
  assert.equal(m.id, 3);
  const seen = [];
  m.on("change:caption", () => seen.push(m.get("caption")));
  m.on("change:query", () => seen.push("query"));
  host.set("parts", { library: { query: "", caption: "Lib 2", _id: 3 }, form: { busy: true } });
  assert.deepEqual(seen, ["Lib 2"]);
});

test("set is local until Python answers; save_changes sends one state message", () => {
  const host = hostModel({ library: { query: "", selected_id: "", _id: 1 } });
  const m = partModel(host, "library");
  const seen = [];
  m.on("change:selected_id", () => seen.push(m.get("selected_id")));
  m.set("selected_id", "7");
  m.set("query", "acme");
  assert.deepEqual(seen, ["7"]);
  m.save_changes();
  m.save_changes(); // nothing pending: nothing sent
  assert.deepEqual(host.sent, [{ kind: "state", part: "library", state: { selected_id: "7", query: "acme" } }]);
  // another part changes: the local values stay
  host.set("parts", { library: { query: "", selected_id: "", _id: 1 }, status: { value: "x" } });
  assert.equal(m.get("query"), "acme");
  // Python's value wins once it comes (its echo, then a change of its own)
  host.set("parts", { library: { query: "acme", selected_id: "7", _id: 1 } });
  assert.equal(m.get("selected_id"), "7");
  host.set("parts", { library: { query: "acme", selected_id: "", _id: 1 } });
  assert.equal(m.get("selected_id"), "");
});

test("messages: tagged with the part going out, filtered and untagged coming in", () => {
  const host = hostModel({ form: { _id: 1 } });
  const m = partModel(host, "form");
  const got = [];
  m.on("msg:custom", (msg) => got.push(msg));
  m.send({ kind: "install", fields: {} });
  host.fire("msg:custom", { kind: "install:ok", part: "form", message: "ok" });
  host.fire("msg:custom", { kind: "rows", part: "library" });
  assert.deepEqual(host.sent, [{ kind: "install", fields: {}, part: "form" }]);
  assert.deepEqual(got, [{ kind: "install:ok", message: "ok" }]);
  m.dispose();
  assert.equal(host.count("msg:custom"), 0);
  assert.equal(host.count("change:parts"), 0);
});

test("views of one widget share a part's model; a new part instance gets a new one", () => {
  const host = hostModel({ popup: { status: "idle", _id: 5 } });
  const a = acquirePartModel(host, "popup");
  const b = acquirePartModel(host, "popup");
  assert.equal(a.model, b.model);
  a.release();
  b.release();
  const again = acquirePartModel(host, "popup"); // within the linger time: the same model
  assert.equal(again.model, a.model);
  host.set("parts", { popup: { status: "idle", _id: 6 } });
  const next = acquirePartModel(host, "popup");
  assert.notEqual(next.model, a.model);
  assert.equal(next.model.id, 6);
  again.release();
  next.release();
});
