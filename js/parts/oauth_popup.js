// @ts-check
/**
 * OAuthPopup's flow controller (no DOM): shared by js/oauth_popup.js and the widgets that embed
 * a popup part (bundled into each entry module by esbuild).
 *
 * The kernel owns `status`/`message`; this module only opens the popup inside the click,
 * relays events to the kernel by custom message (protocol table in ARCHITECTURE.md) and
 * renders the model. The sign-in URL arrives by message and lives only in JS memory: it is
 * never written to the model, so it is never saved into the notebook.
 */

/**
 * @typedef {{ get(key: string): any, on(event: string, fn: (...args: any[]) => void): void,
 *   off(event: string, fn?: (...args: any[]) => void): void, send(msg: object): void }} Model
 * @typedef {{ closed?: boolean, focus(): void, close(): void,
 *   location: { replace(url: string): void }, document?: any }} PopupLike
 * @typedef {object} Env
 * @property {(url: string, name: string, features: string) => PopupLike | null} open
 * @property {(type: string, fn: (event: any) => void) => void} addEventListener
 * @property {(type: string, fn: (event: any) => void) => void} removeEventListener
 * @property {(fn: () => void, ms: number) => any} setTimeout
 * @property {(id: any) => void} clearTimeout
 * @property {(fn: () => void, ms: number) => any} setInterval
 * @property {(id: any) => void} clearInterval
 * @property {string} origin  the notebook frame's own origin (Cyclr's `targetOrigin`)
 * @property {() => string} randomId
 * @typedef {object} Flow
 * @property {string} id
 * @property {PopupLike | null} popup  null when blocked (fallback link)
 * @property {boolean} blocked
 * @property {boolean} acked  `begin:ok` arrived
 * @property {string | null} url  fallback link target; null once used or while refreshing
 * @property {string} expectedOrigin
 * @property {string} callbackMessage
 * @property {boolean} polling
 * @property {boolean} done  callback relayed or deadline reached: listen no more
 * @property {() => void} [stopRenewal]  cancels the pending fallback-link renewal
 * @property {Array<() => void>} cleanups
 */

export const OPTIONS = {
  closedWatchMs: 500, // how often to look at popup.closed
  closeDelayMs: 500, // let Cyclr's last page finish posting before closing it
  linkMaxAgeMs: 240_000, // sign-in tokens live 5 min: renew the fallback link before that
  replyTimeoutMs: 20_000, // kernel answer to `begin`
  orphanMs: 1_000, // all views gone this long: cancel the flow
};
const FEATURES = "popup,width=520,height=720";
const LABELS = /** @type {Record<string, string>} */ ({
  idle: "Not connected", opening: "Opening…", waiting: "Waiting for sign-in…",
  verifying: "Checking with Cyclr…", authenticated: "Connected", denied: "Not connected",
  cancelled: "Cancelled", blocked: "Pop-up blocked", timeout: "Timed out", error: "Error",
});

/** @returns {Env} the real browser environment */
export function browserEnv() {
  return {
    open: (url, name, features) => window.open(url, name, features),
    addEventListener: (type, fn) => window.addEventListener(type, fn),
    removeEventListener: (type, fn) => window.removeEventListener(type, fn),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (id) => window.clearTimeout(id),
    setInterval: (fn, ms) => window.setInterval(fn, ms),
    clearInterval: (id) => window.clearInterval(id),
    origin: window.location.origin,
    randomId: () => globalThis.crypto?.randomUUID?.() ??
      Math.random().toString(36).slice(2) + Date.now().toString(36),
  };
}

/** @param {PopupLike | null | undefined} w */
function isClosed(w) {
  try { return !w || w.closed !== false; } catch { return true; } // `undefined`: blocked/odd host
}

/**
 * Per-model flow logic, without DOM. One controller per model, so a widget displayed twice
 * still runs one flow and relays each callback once.
 * @param {Model} model
 * @param {Env} env
 * @param {Partial<typeof OPTIONS>} [options]
 */
export function createController(model, env, options = {}) {
  const o = { ...OPTIONS, ...options };
  const name = `cyclr-oauth-${env.randomId().replace(/[^A-Za-z0-9_-]/g, "")}`;
  /** @type {Flow | null} */
  let flow = null;
  let note = ""; // JS-only message (e.g. the kernel never answered)
  /** @type {string | null} */
  let localStatus = null; // immediate "opening" before the kernel's status arrives
  let views = 0;
  /** @type {any} */
  let orphanTimer = null;
  const subscribers = new Set();
  const pendingCloses = new Set();
  const notify = () => subscribers.forEach((fn) => fn());
  const send = (/** @type {string} */ kind, extra = {}) =>
    flow && model.send({ kind, flow: flow.id, ...extra });
  const seconds = (/** @type {string} */ key, /** @type {number} */ dflt) =>
    Math.max(0.05, Number(model.get(key)) || dflt) * 1000;

  /** @param {Flow} f @param {number} ms @param {() => void} fn */
  function after(f, ms, fn) {
    const id = env.setTimeout(fn, ms);
    const stop = () => env.clearTimeout(id);
    f.cleanups.push(stop);
    return stop;
  }
  /** @param {Flow} f @param {number} ms @param {() => void} fn */
  function every(f, ms, fn) {
    const id = env.setInterval(fn, ms);
    const stop = () => env.clearInterval(id);
    f.cleanups.push(stop);
    return stop;
  }
  /** @param {PopupLike | null} popup @param {number} ms */
  function closeSoon(popup, ms) {
    const close = () => {
      try { if (popup && !isClosed(popup)) popup.close(); } catch { /* gone */ }
    };
    if (!popup || ms <= 0) return close();
    const id = env.setTimeout(() => { pendingCloses.delete(id); close(); }, ms);
    pendingCloses.add(id);
  }
  /** End the local flow: every listener and timer of it goes. */
  function teardown(closePopup = true, delay = 0) {
    const f = flow;
    if (!f) return;
    flow = null;
    localStatus = null;
    f.cleanups.splice(0).forEach((fn) => fn());
    if (closePopup) closeSoon(f.popup, delay);
    notify();
  }
  function startPolling() {
    const f = flow;
    if (!f || f.polling) return;
    f.polling = true;
    every(f, seconds("poll_interval_s", 3), () => send("poll"));
  }

  /** The window `message` listener: origin, source and data must all match this flow. */
  function onMessage(/** @type {MessageEvent} */ event) {
    const f = flow;
    if (!f || !f.acked || f.done) return;
    if (event.origin !== f.expectedOrigin) return;
    // The source check needs a live popup reference; the fallback tab has none.
    if (f.popup && event.source !== f.popup) return;
    if (typeof event.data !== "string" || event.data !== f.callbackMessage) return;
    f.done = true;
    env.removeEventListener("message", onMessage);
    send("callback", { data: event.data });
    closeSoon(f.popup, o.closeDelayMs);
    startPolling(); // covers a transient API error while the kernel verifies
  }

  /** @param {any} msg */
  function onCustom(msg) {
    const f = flow;
    if (!f || !msg || typeof msg !== "object" || msg.flow !== f.id) return; // stale/other
    if (msg.kind === "begin:ok") onBeginOk(f, msg);
    else if (msg.kind === "begin:error") {
      note = String(msg.message || "Could not start the sign-in.");
      teardown(true);
    } else if (msg.kind === "refresh:ok" && f.blocked && typeof msg.url === "string") {
      setLink(f, msg.url);
    } else if (msg.kind === "refresh:error") {
      note = String(msg.message || "Could not renew the sign-in link.");
      notify();
    } else if (msg.kind === "end") teardown(true, o.closeDelayMs);
  }

  /** @param {Flow} f @param {any} msg */
  function onBeginOk(f, msg) {
    if (f.acked || typeof msg.url !== "string") return;
    Object.assign(f, { acked: true, expectedOrigin: String(msg.expected_origin),
      callbackMessage: String(msg.callback_message) });
    localStatus = null;
    env.addEventListener("message", onMessage);
    f.cleanups.push(() => env.removeEventListener("message", onMessage));
    after(f, seconds("timeout_s", 600), () => onDeadline(f));
    if (!f.blocked && isClosed(f.popup)) {
      send("cancel"); // closed between the click and the kernel's answer
      teardown(false);
      return;
    }
    if (!f.blocked) {
      try {
        f.popup?.location.replace(msg.url);
      } catch {
        f.blocked = true; // cannot navigate it: carry on with the link
        f.popup = null;
      }
    }
    if (f.blocked) {
      setLink(f, msg.url);
      startPolling();
    } else {
      send("navigated");
      const stop = every(f, o.closedWatchMs, () => {
        if (!isClosed(f.popup) || f.done) return;
        stop(); // COOP can make `closed` lie: the kernel keeps polling through a grace time
        send("closed");
        startPolling();
        notify();
      });
    }
    notify();
  }

  /** A fresh fallback link, renewed before its token expires. @param {Flow} f @param {string} url */
  function setLink(f, url) {
    f.url = url;
    f.stopRenewal?.();
    f.stopRenewal = after(f, o.linkMaxAgeMs, () => refresh(f));
    notify();
  }

  /** @param {Flow} f */
  function refresh(f) {
    if (flow !== f) return;
    f.url = null; // single-use token: never offer a used or stale link
    send("refresh");
    notify();
  }

  /** @param {Flow} f */
  function onDeadline(f) {
    f.done = true;
    f.cleanups.splice(0).forEach((fn) => fn()); // keep the flow id: `end` still matches
    send("deadline");
    after(f, o.replyTimeoutMs, () => { note = "The kernel did not answer."; teardown(true); });
    notify();
  }

  const controller = {
    name,
    /** Click handler. Must stay synchronous up to `open` or browsers block the popup. */
    connect() {
      if (flow && flow.popup && !isClosed(flow.popup)) {
        try { flow.popup.focus(); } catch { /* ignore */ }
        return;
      }
      const popup = env.open("about:blank", name, String(model.get("popup_features") || FEATURES));
      const blocked = isClosed(popup);
      teardown(false); // an older flow (closed popup or link) is superseded
      flow = { id: env.randomId(), popup: blocked ? null : popup, blocked, acked: false,
        url: null, expectedOrigin: "", callbackMessage: "", polling: false, done: false,
        cleanups: [] };
      if (!blocked && popup) {
        try {
          popup.document.title = "Connecting…";
          popup.document.body.textContent = "Preparing sign-in…";
        } catch { /* not same-origin after all */ }
      }
      note = "";
      localStatus = "opening";
      send("begin", { origin: env.origin, blocked });
      const f = flow;
      after(f, o.replyTimeoutMs, () => {
        if (f.acked) return;
        note = "The kernel did not answer; is it still running?";
        teardown(true);
      });
      notify();
    },
    cancel() {
      if (!flow) return;
      send("cancel");
      teardown(true);
    },
    check() {
      if (flow?.acked) send("check");
    },
    /** The fallback link was used: its token is spent, fetch a fresh one after this turn. */
    linkClicked() {
      const f = flow;
      if (f?.blocked && f.url) after(f, 0, () => refresh(f));
    },
    onMessage,
    /** Snapshot for rendering. */
    state() {
      return { active: !!flow, acked: !!flow?.acked, blocked: !!flow?.blocked,
        popupOpen: !!flow?.popup && !isClosed(flow.popup), polling: !!flow?.polling,
        url: flow?.blocked ? flow.url : null, note, localStatus };
    },
    /** @param {() => void} fn */
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    /** Views count in so that a flow nobody can see any more is cancelled. */
    attachView() {
      views += 1;
      if (orphanTimer !== null) env.clearTimeout(orphanTimer);
      orphanTimer = null;
      return () => {
        views -= 1;
        if (views > 0) return;
        orphanTimer = env.setTimeout(() => { orphanTimer = null; if (views === 0) controller.cancel(); }, o.orphanMs);
      };
    },
    dispose() {
      model.off("msg:custom", onCustom);
      model.off("change:message", onModelMessage);
      teardown(true);
      if (orphanTimer !== null) env.clearTimeout(orphanTimer);
      pendingCloses.forEach((id) => env.clearTimeout(id));
      pendingCloses.clear();
      subscribers.clear();
    },
  };
  function onModelMessage() {
    note = ""; // the kernel has spoken; its message wins over a local note
    localStatus = null;
    notify();
  }
  model.on("msg:custom", onCustom);
  model.on("change:message", onModelMessage);
  return controller;
}

/**
 * What a view shows, from the model and the controller state (pure; unit-tested).
 * @param {{ status: string, message: string, connectorName: string }} m
 * @param {ReturnType<ReturnType<typeof createController>["state"]>} s
 */
export function viewState(m, s) {
  const status = s.localStatus ?? m.status;
  const showLink = s.blocked && s.acked;
  return {
    status,
    label: LABELS[status] ?? status,
    message: s.note || m.message,
    connect: s.popupOpen ? "Show sign-in window"
      : s.blocked ? "Try the pop-up again"
      : m.status === "authenticated" ? "Reconnect" : `Connect${m.connectorName ? ` ${m.connectorName}` : ""}`,
    showLink,
    href: showLink ? s.url : null,
    linkText: s.url ? "Open the sign-in page" : "Preparing a fresh sign-in link…",
    showCheck: s.acked,
    showCancel: s.active,
  };
}
