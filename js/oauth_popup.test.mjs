// Unit tests for the OAuthPopup controller: node --test js/oauth_popup.test.mjs
// No DOM: a fake model, fake popup windows, fake timers and a fake window event target.
import { test } from "node:test";
import assert from "node:assert/strict";
import widget, * as mod from "./oauth_popup.js";

const { createController, viewState, OPTIONS } = mod;
const ORIGIN = "http://127.0.0.1:8888";
const SERVICE = "http://127.0.0.1:51235";

function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map();
  const add = (fn, ms, every) => {
    const id = nextId++;
    timers.set(id, { at: now + ms, fn, every });
    return id;
  };
  return {
    timers,
    now: () => now,
    setTimeout: (fn, ms) => add(fn, ms, null),
    setInterval: (fn, ms) => add(fn, ms, ms),
    clear: (id) => timers.delete(id),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let pick = null;
        for (const [id, t] of timers) if (t.at <= end && (!pick || t.at < pick[1].at)) pick = [id, t];
        if (!pick) break;
        const [id, t] = pick;
        now = t.at;
        if (t.every) t.at += t.every;
        else timers.delete(id);
        t.fn();
      }
      now = end;
    },
  };
}

function fakePopup() {
  const p = {
    closed: false, focused: 0, closeCalls: 0, url: null,
    document: { title: "", body: { textContent: "" } },
    location: { replace: (url) => { p.url = url; } },
    focus: () => { p.focused += 1; },
    close: () => { p.closed = true; p.closeCalls += 1; },
  };
  return p;
}

function fakeModel(state = {}) {
  const values = { status: "idle", message: "", connector_name: "", timeout_s: 600,
    poll_interval_s: 3, popup_features: "popup,width=520,height=720", ...state };
  const handlers = new Map();
  return {
    sent: [],
    get: (k) => values[k],
    on(ev, fn) { if (!handlers.has(ev)) handlers.set(ev, new Set()); handlers.get(ev).add(fn); },
    off(ev, fn) { handlers.get(ev)?.delete(fn); },
    send(msg) { this.sent.push(structuredClone(msg)); },
    emit(ev, ...args) { for (const fn of handlers.get(ev) ?? []) fn(...args); },
    listeners: (ev) => handlers.get(ev)?.size ?? 0,
    kinds() { return this.sent.map((m) => m.kind); },
  };
}

function setup({ open = () => fakePopup(), model = fakeModel() } = {}) {
  const clock = fakeClock();
  const listeners = new Map();
  const opened = [];
  let ids = 0;
  const env = {
    open: (url, name, features) => { const w = open(); opened.push({ url, name, features, w }); return w; },
    addEventListener: (type, fn) => { if (!listeners.has(type)) listeners.set(type, new Set()); listeners.get(type).add(fn); },
    removeEventListener: (type, fn) => listeners.get(type)?.delete(fn),
    setTimeout: clock.setTimeout, clearTimeout: clock.clear,
    setInterval: clock.setInterval, clearInterval: clock.clear,
    now: clock.now, origin: ORIGIN, randomId: () => `id${++ids}`,
  };
  const ctl = createController(model, env);
  const dispatch = (event) => [...(listeners.get("message") ?? [])].forEach((fn) => fn(event));
  const lastFlow = () => model.sent.filter((m) => m.kind === "begin").at(-1)?.flow;
  const reply = (kind, extra = {}) => model.emit("msg:custom", { kind, flow: lastFlow(), ...extra });
  const beginOk = (url = `${SERVICE}/connectorauth/x?token=T1`) =>
    reply("begin:ok", { url, expected_origin: SERVICE, callback_message: `cyclr-widgets:${lastFlow()}:N` });
  return { ctl, model, clock, opened, env, dispatch, reply, beginOk, lastFlow,
    messageListeners: () => listeners.get("message")?.size ?? 0 };
}

test("click opens a named about:blank window synchronously, then asks the kernel", () => {
  const t = setup();
  t.ctl.connect();
  assert.equal(t.opened.length, 1);
  const { url, name, features, w } = t.opened[0];
  assert.equal(url, "about:blank");
  assert.match(name, /^cyclr-oauth-/);
  assert.equal(features, "popup,width=520,height=720");
  assert.doesNotMatch(features, /noopener|noreferrer/);
  assert.deepEqual(t.model.sent, [{ kind: "begin", flow: t.lastFlow(), origin: ORIGIN, blocked: false }]);
  assert.equal(w.url, null, "no navigation before the kernel answers");
  assert.equal(t.ctl.state().localStatus, "opening");
  assert.equal(t.messageListeners(), 0);
});

test("begin:ok navigates the popup, reports navigated and starts listening", () => {
  const t = setup();
  t.ctl.connect();
  t.beginOk("https://svc.example/u?token=A");
  assert.equal(t.opened[0].w.url, "https://svc.example/u?token=A");
  assert.deepEqual(t.model.kinds(), ["begin", "navigated"]);
  assert.equal(t.messageListeners(), 1);
  assert.equal(t.ctl.state().localStatus, null);
  assert.equal(t.ctl.state().url, null, "the popup's URL is not kept for the view");
});

test("only a message with the service origin, the popup as source and the exact data counts", () => {
  const t = setup();
  t.ctl.connect();
  t.beginOk();
  const w = t.opened[0].w;
  const good = `cyclr-widgets:${t.lastFlow()}:N`;
  t.dispatch({ origin: ORIGIN, source: w, data: good }); // wrong origin (the notebook itself)
  t.dispatch({ origin: "http://127.0.0.1:9999", source: w, data: good });
  t.dispatch({ origin: SERVICE, source: fakePopup(), data: good }); // another window
  t.dispatch({ origin: SERVICE, source: w, data: `${good}x` });
  t.dispatch({ origin: SERVICE, source: w, data: { msg: good } });
  t.dispatch({ origin: SERVICE, source: w, data: "cyclr-widgets:other:N" });
  assert.deepEqual(t.model.kinds(), ["begin", "navigated"]);
  t.dispatch({ origin: SERVICE, source: w, data: good });
  t.dispatch({ origin: SERVICE, source: w, data: good }); // a replay is not relayed twice
  assert.deepEqual(t.model.kinds(), ["begin", "navigated", "callback"]);
  assert.deepEqual(t.model.sent[2], { kind: "callback", flow: t.lastFlow(), data: good });
  assert.equal(t.messageListeners(), 0, "listener removed after the callback");
  assert.equal(w.closed, false, "the page gets time to finish");
  t.clock.advance(OPTIONS.closeDelayMs);
  assert.equal(w.closed, true);
});

test("messages before begin:ok are ignored (no expected origin yet)", () => {
  const t = setup();
  t.ctl.connect();
  t.dispatch({ origin: SERVICE, source: t.opened[0].w, data: "anything" });
  assert.deepEqual(t.model.kinds(), ["begin"]);
});

test("replies for another flow are ignored", () => {
  const t = setup();
  t.ctl.connect();
  t.model.emit("msg:custom", { kind: "begin:ok", flow: "stale", url: "https://x/y",
    expected_origin: SERVICE, callback_message: "m" });
  assert.equal(t.opened[0].w.url, null);
  t.model.emit("msg:custom", { kind: "end", flow: "stale", status: "cancelled" });
  assert.equal(t.ctl.state().active, true);
});

test("a second click while the popup is open focuses it instead of starting a flow", () => {
  const t = setup();
  t.ctl.connect();
  t.beginOk();
  t.ctl.connect();
  assert.equal(t.opened.length, 1);
  assert.equal(t.opened[0].w.focused, 1);
  assert.equal(t.model.kinds().filter((k) => k === "begin").length, 1);
});

test("blocked popup: begin says so, then a fallback link, polling, refresh after use", () => {
  const t = setup({ open: () => null });
  t.ctl.connect();
  assert.equal(t.model.sent[0].blocked, true);
  t.beginOk("https://svc.example/u?token=A");
  let s = t.ctl.state();
  assert.equal(s.blocked, true);
  assert.equal(s.url, "https://svc.example/u?token=A");
  const v = viewState({ status: "blocked", message: "m", connectorName: "" }, s);
  assert.equal(v.showLink, true);
  assert.equal(v.href, "https://svc.example/u?token=A");
  assert.deepEqual(t.model.kinds(), ["begin"], "no navigated without a popup");
  t.clock.advance(3000);
  assert.deepEqual(t.model.kinds(), ["begin", "poll"]);
  t.ctl.linkClicked();
  assert.equal(t.ctl.state().url, "https://svc.example/u?token=A", "href stays during the click");
  t.clock.advance(0);
  assert.equal(t.ctl.state().url, null, "a used single-use link is not offered again");
  assert.equal(t.model.kinds().at(-1), "refresh");
  t.reply("refresh:ok", { url: "https://svc.example/u?token=B" });
  assert.equal(t.ctl.state().url, "https://svc.example/u?token=B");
  t.ctl.check();
  assert.equal(t.model.kinds().at(-1), "check");
});

test("blocked: the link is renewed before the 5-minute token expires", () => {
  const t = setup({ open: () => ({ closed: undefined }) }); // closed undefined counts as blocked
  t.ctl.connect();
  assert.equal(t.model.sent[0].blocked, true);
  t.beginOk();
  t.clock.advance(OPTIONS.linkMaxAgeMs);
  assert.ok(t.model.kinds().includes("refresh"));
});

test("blocked flow: a message from the fallback tab (no popup reference) is accepted", () => {
  const t = setup({ open: () => null });
  t.ctl.connect();
  t.beginOk();
  t.dispatch({ origin: SERVICE, source: {}, data: `cyclr-widgets:${t.lastFlow()}:N` });
  assert.equal(t.model.kinds().at(-1), "callback");
});

test("closed popup: reports closed once, then polls every poll_interval_s", () => {
  const t = setup({ model: fakeModel({ poll_interval_s: 2 }) });
  t.ctl.connect();
  t.beginOk();
  t.clock.advance(1000);
  assert.deepEqual(t.model.kinds(), ["begin", "navigated"]);
  t.opened[0].w.closed = true;
  t.clock.advance(OPTIONS.closedWatchMs);
  assert.deepEqual(t.model.kinds(), ["begin", "navigated", "closed"]);
  t.clock.advance(4000);
  assert.deepEqual(t.model.kinds(), ["begin", "navigated", "closed", "poll", "poll"]);
  t.model.emit("msg:custom", { kind: "end", flow: t.lastFlow(), status: "cancelled" });
  t.clock.advance(60_000); // includes the delayed close
  assert.equal(t.model.kinds().length, 5, "no timer survives the end of the flow");
  assert.equal(t.clock.timers.size, 0);
});

test("popup closed before the kernel answered: cancel, no navigation", () => {
  const t = setup();
  t.ctl.connect();
  t.opened[0].w.closed = true;
  t.beginOk();
  assert.deepEqual(t.model.kinds(), ["begin", "cancel"]);
  assert.equal(t.opened[0].w.url, null);
  assert.equal(t.ctl.state().active, false);
  assert.equal(t.messageListeners(), 0);
});

test("deadline: tells the kernel, stops polling and listening, ends on `end`", () => {
  const t = setup({ model: fakeModel({ timeout_s: 30 }) });
  t.ctl.connect();
  t.beginOk();
  t.opened[0].w.closed = true;
  t.clock.advance(30_000);
  const kinds = t.model.kinds();
  assert.equal(kinds.at(-1), "deadline");
  assert.equal(t.messageListeners(), 0);
  t.clock.advance(10_000);
  assert.deepEqual(t.model.kinds(), kinds, "nothing is sent after the deadline");
  t.model.emit("msg:custom", { kind: "end", flow: t.lastFlow(), status: "timeout" });
  assert.equal(t.ctl.state().active, false);
  t.clock.advance(OPTIONS.closeDelayMs);
  assert.equal(t.clock.timers.size, 0);
});

test("begin:error closes the blank popup, shows the error and allows a retry", () => {
  const t = setup();
  t.ctl.connect();
  t.reply("begin:error", { message: "Account not found." });
  assert.equal(t.opened[0].w.closed, true);
  assert.equal(t.ctl.state().active, false);
  assert.equal(t.ctl.state().note, "Account not found.");
  t.ctl.connect();
  assert.equal(t.opened.length, 2);
  assert.notEqual(t.model.sent.at(-1).flow, t.model.sent[0].flow);
});

test("a kernel that never answers: the blank popup is closed after the reply timeout", () => {
  const t = setup();
  t.ctl.connect();
  t.clock.advance(OPTIONS.replyTimeoutMs);
  assert.equal(t.opened[0].w.closed, true);
  assert.match(t.ctl.state().note, /kernel did not answer/);
});

test("cancel sends cancel, closes the popup, clears timers and listeners", () => {
  const t = setup();
  t.ctl.connect();
  t.beginOk();
  t.ctl.cancel();
  assert.equal(t.model.kinds().at(-1), "cancel");
  assert.equal(t.opened[0].w.closed, true);
  assert.equal(t.messageListeners(), 0);
  assert.equal(t.clock.timers.size, 0);
});

test("dispose removes every listener and timer", () => {
  const t = setup({ open: () => null });
  t.ctl.connect();
  t.beginOk();
  assert.ok(t.clock.timers.size > 0);
  t.ctl.dispose();
  assert.equal(t.messageListeners(), 0);
  assert.equal(t.clock.timers.size, 0);
  assert.equal(t.model.listeners("msg:custom"), 0);
  assert.equal(t.model.listeners("change:message"), 0);
});

test("the last view going away cancels the flow; a new view in time keeps it", () => {
  const t = setup();
  t.ctl.connect();
  t.beginOk();
  const detach = t.ctl.attachView();
  detach();
  const detach2 = t.ctl.attachView(); // re-rendered quickly
  t.clock.advance(OPTIONS.orphanMs * 2);
  assert.equal(t.ctl.state().active, true);
  detach2();
  t.clock.advance(OPTIONS.orphanMs);
  assert.equal(t.model.kinds().at(-1), "cancel");
  assert.equal(t.ctl.state().active, false);
});

test("two controllers (two widgets) never relay each other's callbacks", () => {
  const a = setup();
  a.ctl.connect();
  a.beginOk();
  const data = `cyclr-widgets:${a.lastFlow()}:N`;
  const b = setup();
  b.ctl.connect();
  b.beginOk();
  b.dispatch({ origin: SERVICE, source: a.opened[0].w, data });
  assert.deepEqual(b.model.kinds(), ["begin", "navigated"]);
});

test("a change of the kernel's message replaces the local note", () => {
  const t = setup();
  t.ctl.connect();
  assert.equal(t.ctl.state().localStatus, "opening");
  t.model.emit("change:message");
  assert.equal(t.ctl.state().localStatus, null);
});

test("viewState: labels, buttons and the link follow status and flow", () => {
  const idle = { active: false, acked: false, blocked: false, popupOpen: false, polling: false,
    url: null, note: "", localStatus: null };
  let v = viewState({ status: "idle", message: "", connectorName: "Salesforce" }, idle);
  assert.equal(v.connect, "Connect Salesforce");
  assert.equal(v.showLink, false);
  assert.equal(v.showCancel, false);
  v = viewState({ status: "authenticated", message: "Connected: x", connectorName: "" }, idle);
  assert.equal(v.label, "Connected");
  assert.equal(v.connect, "Reconnect");
  v = viewState({ status: "idle", message: "", connectorName: "" }, { ...idle, active: true,
    localStatus: "opening", popupOpen: true });
  assert.equal(v.status, "opening");
  assert.equal(v.connect, "Show sign-in window");
  v = viewState({ status: "blocked", message: "m", connectorName: "" }, { ...idle, active: true,
    acked: true, blocked: true, url: null, note: "Could not renew" });
  assert.equal(v.showLink, true);
  assert.equal(v.href, null);
  assert.match(v.linkText, /Preparing/);
  assert.equal(v.message, "Could not renew");
  assert.equal(v.showCheck, true);
});

test("AFM shape: default export only, so anywidget calls initialize", () => {
  assert.equal(typeof widget.initialize, "function");
  assert.equal(typeof widget.render, "function");
  assert.equal(mod.render, undefined, "a named render export switches anywidget to its legacy path");
});

test("blocked: a link renewed early does not schedule a second renewal", () => {
  const t = setup({ open: () => null });
  t.ctl.connect();
  t.beginOk();
  t.clock.advance(60_000);
  t.reply("refresh:ok", { url: "https://svc.example/u?token=B" }); // pushed by the kernel
  t.clock.advance(OPTIONS.linkMaxAgeMs - 1);
  assert.equal(t.model.kinds().filter((k) => k === "refresh").length, 0);
  t.clock.advance(1);
  assert.equal(t.model.kinds().filter((k) => k === "refresh").length, 1);
});
