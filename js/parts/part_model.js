// @ts-check
// A part's view of its host widget's model. A composed widget is one anywidget; its parts (tables,
// form, buttons, popup) keep their small state under the host's `parts` trait
// ({name: {trait: value, ..., _id}}) and their messages on the host's channel tagged
// {part: name}. `partModel` gives a part's code the model API it was written against (get, set,
// save_changes, send, on, off), so the same part code runs as a widget of its own or as a part.
// `set` + `save_changes` send {kind: "state", part, state}; Python sets the traits it allows.

/** @typedef {import("./dom.js").Model} Model */
/** @typedef {Model & { id: number, dispose(): void }} PartModel */

/** @param {unknown} a @param {unknown} b */
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * @param {Model} host the widget's model
 * @param {string} name the part's name
 * @returns {PartModel}
 */
export function partModel(host, name) {
  const state = () => /** @type {Record<string, any>} */ ((host.get("parts") || {})[name] || {});
  /** @type {Record<string, any>} */ let local = {};
  /** @type {Record<string, any>} */ let pending = {};
  /** @type {Map<string, Set<Function>>} */ const listeners = new Map();
  let last = { ...state() };
  /** @param {string} ev @param {...any} args */
  const fire = (ev, ...args) => [...(listeners.get(ev) || [])].forEach((f) => f(...args));
  const onParts = () => {
    const now = state();
    const before = last;
    last = { ...now };
    for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
      if (same(before[key], now[key])) continue;
      delete local[key]; // Python set it (or echoed ours): its value wins
      fire(`change:${key}`);
    }
  };
  /** @param {any} msg @param {any} buffers */
  const onMsg = (msg, buffers) => {
    if (!msg || msg.part !== name) return;
    const { part: _part, ...body } = msg;
    fire("msg:custom", body, buffers);
  };
  host.on("change:parts", onParts);
  host.on("msg:custom", onMsg);
  return {
    id: Number(state()._id || 0),
    get: (key) => (key in local ? local[key] : state()[key]),
    set: (key, value) => {
      local[key] = pending[key] = value;
      fire(`change:${key}`);
    },
    save_changes: () => {
      if (!Object.keys(pending).length) return;
      host.send({ kind: "state", part: name, state: pending });
      pending = {};
    },
    send: (msg) => host.send({ ...msg, part: name }),
    on: (ev, fn) => {
      if (!listeners.has(ev)) listeners.set(ev, new Set());
      /** @type {Set<Function>} */ (listeners.get(ev)).add(fn);
    },
    off: (ev, fn) => { if (fn) listeners.get(ev)?.delete(fn); else listeners.delete(ev); },
    dispose: () => {
      host.off("change:parts", onParts);
      host.off("msg:custom", onMsg);
      listeners.clear();
    },
  };
}

/** @type {WeakMap<Model, Map<string, { model: PartModel, refs: number, timer?: any }>>} */
const shared = new WeakMap();
/** How long a part model outlives its last view: a re-render (a host redrawing its output)
 * finds the same one, so a popup's flow (one controller per part model) goes on. */
export const LINGER_MS = 2_000;

/**
 * The part model of part `name` (its current instance) shared by every view of `host`, as one
 * anywidget model is shared by its views; `release` when a view goes.
 * @param {Model} host @param {string} name
 * @returns {{ model: PartModel, release: () => void }}
 */
export function acquirePartModel(host, name) {
  let byKey = shared.get(host);
  if (!byKey) shared.set(host, (byKey = new Map()));
  const key = `${name}#${Number(((host.get("parts") || {})[name] || {})._id || 0)}`;
  let entry = byKey.get(key);
  if (!entry) byKey.set(key, (entry = { model: partModel(host, name), refs: 0 }));
  const held = entry;
  clearTimeout(held.timer);
  held.refs += 1;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.refs -= 1;
    if (held.refs > 0) return;
    held.timer = setTimeout(() => {
      if (held.refs > 0 || byKey?.get(key) !== held) return;
      byKey.delete(key);
      held.model.dispose();
    }, LINGER_MS);
  };
  return { model: held.model, release };
}

/**
 * Render a part into `el` with its part model; returns the cleanup.
 * @param {Model} host @param {string} name @param {HTMLElement} el
 * @param {(ctx: { model: PartModel, el: HTMLElement }) => (void | (() => void))} render
 */
export function mountPart(host, name, el, render) {
  const { model, release } = acquirePartModel(host, name);
  const cleanup = render({ model, el });
  return () => {
    if (cleanup) cleanup();
    release();
  };
}

/**
 * A slot that shows the part `name` while the host has it, re-rendered for a new part under the
 * same name (a new popup after another install); returns the cleanup.
 * @param {Model} host @param {string} name @param {HTMLElement} el
 * @param {(ctx: { model: PartModel, el: HTMLElement }) => (void | (() => void))} render
 */
export function mountSlot(host, name, el, render) {
  /** @type {(() => void) | null} */ let current = null;
  let shown = 0;
  const update = () => {
    const part = (host.get("parts") || {})[name];
    const id = part ? Number(part._id || 0) : 0;
    if (id === shown) return;
    if (current) current();
    current = null;
    el.replaceChildren();
    shown = id;
    if (id) current = mountPart(host, name, el, render);
  };
  host.on("change:parts", update);
  update();
  return () => {
    host.off("change:parts", update);
    if (current) current();
  };
}

/**
 * Escaped HTML from Python (a status line, an incident's text) shown in `el`.
 * @param {{ model: Model, el: HTMLElement }} ctx
 */
export function renderHtml({ model, el }) {
  const draw = () => { el.innerHTML = String(model.get("value") || ""); };
  model.on("change:value", draw);
  draw();
  return () => model.off("change:value", draw);
}

/**
 * A button part: description, disabled, tooltip; a click sends {kind: "click"}.
 * @param {{ model: Model, el: HTMLElement }} ctx
 */
export function renderButton({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "cyclr-button jupyter-button cw-button"; // host look + ours (controls.css)
  const draw = () => {
    button.textContent = String(model.get("description") || "");
    button.disabled = Boolean(model.get("disabled"));
    button.title = String(model.get("tooltip") || "");
  };
  const click = () => model.send({ kind: "click" });
  button.addEventListener("click", click);
  const events = ["change:description", "change:disabled", "change:tooltip"];
  for (const e of events) model.on(e, draw);
  el.replaceChildren(button);
  draw();
  return () => {
    button.removeEventListener("click", click);
    for (const e of events) model.off(e, draw);
  };
}
