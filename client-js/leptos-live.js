// leptos-live.js: the browser side of leptos-live. One ES module, no dependencies, no build step.
// It joins the page's socket, sends lv-* events, applies the server's DOM operations in order,
// keeps what the user is doing (focus, selection, typed value), reconnects and resumes, and asks
// for a resync whenever an operation does not fit the DOM. Protocol: engine/PROTOCOL.md.

const SVG_NS = "http://www.w3.org/2000/svg";
const MATH_NS = "http://www.w3.org/1998/Math/MathML";
// Error codes after which the socket is closed (ErrorCode::is_fatal); a test checks the list.
const FATAL = ["bad_token", "expired_token", "unknown_page", "page_crashed", "replaced", "mount_failed", "too_many_pages"];
// Operation codes (Op::code in engine/src/diff/op.rs); a test checks they match.
const [REPLACE, SET_TEXT, SET_ATTR, REMOVE_ATTR, INSERT, REMOVE, MOVE, SPLICE, REORDER] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
// The other codes of the wire (engine/PROTOCOL.md), each named once; a test checks them against
// the engine's. Frames the browser sends, by kind (ClientFrame::decode):
const [JOIN, NAVIGATE, PATCH, EVENT, UPLOAD, HEARTBEAT, RESYNC] = ["j", "n", "l", "e", "u", "h", "r"];
// frames the server sends besides patches (error_frame, html_frame, nav_frame, upload_*_frame):
// (TOKEN: a fresh token for the page's next join, token_frame)
const [ERROR, HTML, NAV, UPLOAD_ACK, UPLOAD_END, TOKEN] = ["err", "html", "nav", "uk", "uf", "t"];
// where the server sends the browser (a nav's kind; a redirect is a full load within this site):
const [NAV_PATCH, NAV_NAVIGATE, NAV_EXTERNAL] = ["patch", "navigate", "external"];
// stream operations (reset, delete, insert):
const [STREAM_RESET, STREAM_DELETE, STREAM_INSERT] = ["r", "d", "i"];
// the cookie that carries a flash across a full load:
const FLASH_COOKIE = "lv_flash";
// Error codes after which the page reloads, with a back-off; a test checks they are fatal ones.
const RELOAD = ["bad_token", "expired_token", "page_crashed", "mount_failed"];
const BACKOFF = [100, 250, 500, 1000, 2000, 5000];
const HEARTBEAT_MS = 25000;
// At most this many events wait for their answer (queued offline, or in flight); past it the
// newest is refused and the root gets lv-queue-full. The server keeps more answers (MAX_RESENT).
const QUEUE_MAX = 100;
// What the page's observer hears: elements added or removed anywhere, and the window-level and
// click-away bindings set or taken off.
const WATCH = { childList: true, subtree: true, attributeFilter: ["lv-click-away", "lv-window-keydown", "lv-window-keyup"] };
// An event in flight this long is slow: its elements get lv-<kind>-slow too (liveSocket.slowAfter).
const SLOW_MS = 100;
const FOCUSABLE = "a[href],button:not([disabled]),input:not([disabled]):not([type=hidden]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex='-1'])";
const REFLECTS_VALUE = /^(checkbox|radio|button|submit|reset|image|hidden|file)$/;

class Mismatch extends Error {}
const IGNORED = {};
// The beforeunload listener while the page has an lv-unload-guard element.
const UNLOAD = (e) => e.preventDefault();

// What the shim keeps about an element of the page: one record per element, kept beside it
// (never on the node) and let go with it.
class ElState {
  constructor() {
    // What JS commands did to it, by what they set: applied again after every patch of it.
    this.sticky = new Map();
    // Attributes whose browser values patches leave alone (ignore_attributes).
    this.ignore = new Set();
    // The marks on it now (classes the shim added), and whether its class attribute is to go
    // with the last: it had none before the first, or the server removed it since.
    this.marks = 0;
    this.bare = false;
    // Its lv-mounted commands ran; its lv-trigger-action form was submitted.
    this.mounted = false;
    this.triggered = false;
    // lv-debounce and lv-throttle timers, by binding; the call a throttle makes at its end; the
    // call lv-debounce="blur" makes on blur.
    this.timers = {};
    this.trailing = null;
    this.onBlur = null;
    // lv-poll's timer, and whether a tick came while the tab was hidden.
    this.poll = 0;
    this.missed = 0;
  }
}
const STATES = new WeakMap();

// el's record, made on first use.
function state(el) {
  let s = STATES.get(el);
  if (!s) STATES.set(el, (s = new ElState()));
  return s;
}

// el's record if it has one (reads that should not make one).
const peek = (el) => STATES.get(el);

const on = (target, type, fn) => target.addEventListener(type, fn);
const closest = (e, attr) => e.target.closest && e.target.closest(`[${attr}]`);

export class LiveSocket {
  constructor(root) {
    this.root = root;
    // A sticky part of the layout leaves the URL, history and navigation to the page's socket.
    this.sticky = root.hasAttribute("lv-sticky");
    this.path = root.getAttribute("lv-socket") || "/live/socket";
    // The page's token (renewed while the socket lives), and the page's id in history entries.
    this.id = this.token = root.getAttribute("lv-token");
    this.ws = null;
    // The sticky parts beside the page, which join over its socket; a part's page.
    this.subs = [];
    this.main = null;
    this.ref = 0;
    this.version = 0;
    this.joinRef = 0;
    this.joined = false;
    // Whether a join ever succeeded: the next one is a reconnect.
    this.everJoined = false;
    this.tries = 0;
    this.queue = [];
    this.pending = new Map();
    this.times = [];
    this.closedByUs = false;
    this.latency = 0;
    this.stale = false;
    this.lastSeen = 0;
    // The heartbeat's interval.
    this.beat = 0;
    // The reference of the frame being applied: changes sent after it are newer.
    this.applying = 0;
    // Form values to put back after a rejoin that had to mount again.
    this.recovered = null;
    // The live patch or navigation in flight: its reference, history and scroll.
    this.nav = null;
    // The path and query shown, and the timer that saves the scroll position.
    this.at = "";
    this.scrolled = 0;
    this.hooks = window.lvHooks || {};
    // Colocated hooks (LiveRouter::hook): their modules by name, imported when first shown.
    this.mods = JSON.parse(root.getAttribute("lv-hooks")) || {};
    // Portals: each <template lv-portal> of the page, and the <div> its content moved to.
    this.ports = new Map();
    this.slowAfter = SLOW_MS;
    this.slowTimer = 0;
    this.focusStack = [];
    this.hooked = new Map();
    this.handlers = new Map();
    // The child each lv-viewport-* element watches.
    this.seen = new WeakMap();
    // Upload entries being sent, by id, and the object URLs of their previews.
    this.up = new Map();
    this.urls = new Map();
    // Hooks see every removal, whatever removed the element; the bindings found once (shown)
    // are found again when one is added or taken off, by whatever did it.
    (this.mo = new MutationObserver(() => this.scanHooks())).observe(root, WATCH);
    // Into the back-forward cache and out of it: the socket goes, the page waits on the server
    // (past the retention window, in the snapshot store) and resumes on the way back.
    addEventListener("pagehide", (e) => e.persisted && this.disconnect());
    addEventListener("pageshow", (e) => e.persisted && this.connect());
    // lv-poll: what a hidden tab missed is sent once when it shows again.
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) for (const el of this.all("lv-poll")) if (state(el).missed) this.tick(el);
    });
    // Live navigations in view transitions, where the app asks for them: the module's URL is
    // the content of <meta name="lv-view-transitions"> (leptos-live-transitions.js).
    const vt = document.querySelector("meta[name=lv-view-transitions]");
    if (vt) import(vt.content).then((m) => m.transitions(this));
    this.bind();
    this.scanHooks();
  }

  // --- connection -------------------------------------------------------------------------

  // A WebSocket, or long-polling (leptos-live-poll.js, loaded on demand) after three sockets in a
  // row were refused or died within 3 s without a join, or when this tab chose it lately. A slow
  // socket that opens is no failure; a server that cannot be reached over HTTP either (a restart)
  // sends the next try back to the WebSocket.
  connect() {
    this.closedByUs = false;
    // A sticky part joins over the page's socket, when that opens.
    if (this.main) return;
    this.setState("lv-loading");
    if (this.fails > 2 || sessionStorage.getItem("lv-poll") > Date.now())
      return import(this.root.getAttribute("lv-poll-js")).then((m) => this.open(new m.LongPoll(this.path), 1), () => this.onClose(this.ws));
    this.open(new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + this.path));
  }

  open(ws, poll) {
    const t = Date.now();
    this.ws = ws;
    ws.onopen = () => {
      this.lastSeen = Date.now();
      // After a mismatch the version is unknown (null): the server sends the whole page. Events
      // sent on an earlier socket and not answered are named: they follow, and apply once.
      const again = [...this.pending].filter(([, p]) => p.out).map(([r]) => r);
      this.joinRef = this.send([JOIN, this.token, this.stale ? null : this.version, this.here(), again], true);
      // The sticky parts join over it too: each is a channel, its frames numbered both ways.
      this.subs.forEach((s, i) => {
        if (!s.closedByUs)
          s.open({
            get readyState() {
              return ws.readyState;
            },
            send: (d) => ws.send(typeof d == "string" ? i + 1 + d : new Blob([i + 1, d])),
            close: () => s.ws.onclose(),
          }),
            s.ws.onopen();
      });
    };
    ws.onmessage = (e) => {
      this.lastSeen = Date.now();
      const n = parseInt(e.data);
      n ? this.subs[n - 1]?.ws?.onmessage({ data: e.data.slice((n + "").length) }) : this.delay(() => this.onFrame(e.data));
    };
    ws.onclose = () => {
      this.fails = poll ? ws.at && this.fails : !this.joined && Date.now() - t < 3e3 ? ~~this.fails + 1 : 0;
      this.onClose(ws);
      for (const s of this.subs) s.ws?.onclose();
    };
    ws.onerror = () => {};
  }

  disconnect() {
    this.closedByUs = true;
    if (this.ws) this.ws.close();
  }

  isConnected() {
    return this.joined;
  }

  // Simulates network latency in both directions, for development: liveSocket.enableLatencySim(300).
  enableLatencySim(ms) {
    this.latency = ms;
  }

  delay(fn) {
    this.latency ? setTimeout(fn, this.latency) : fn();
  }

  onClose(ws) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.joined = false;
    clearInterval(this.beat);
    this.root.classList.remove("lv-connected");
    // Frames in flight get no answer from this socket. Events wait (lv-pending) and go again,
    // first, after the next join; anything else is settled.
    const again = [];
    for (const [r, p] of this.pending)
      if (!p.text) this.settle(r, undefined, "disconnected");
      else if (!this.queue.includes(this.wait(p))) again.push(p.text);
    this.queue.unshift(...again);
    this.eachHook("disconnected");
    this.runAll("lv-disconnected");
    if (this.closedByUs) return;
    this.setState("lv-loading");
    const wait = BACKOFF[Math.min(this.tries++, BACKOFF.length - 1)];
    setTimeout(() => this.connect(), wait * (0.75 + Math.random() / 2));
  }

  setState(cls) {
    const c = this.root.classList;
    for (const k of ["lv-connected", "lv-loading", "lv-error"]) c.toggle(k, k === cls);
  }

  // Sends a frame now, or queues it until the page is joined. Returns the reference number.
  send(frame, now) {
    const r = ++this.ref;
    const text = (this.text = JSON.stringify([r, ...frame]));
    if (now || this.joined) this.delay(() => (this.ws && this.ws.readyState === 1 ? this.ws.send(text) : this.queue.push(text)));
    else this.queue.push(text);
    return r;
  }

  onJoined() {
    if (this.everJoined) this.eachHook("reconnected");
    this.runAll(this.everJoined ? "lv-connected" : null);
    this.everJoined = true;
    this.joined = true;
    this.tries = 0;
    sessionStorage.removeItem("lv-reloads");
    this.setState("lv-connected");
    this.scanHooks();
    for (const p of this.pending.values()) p.out = 1;
    const q = this.queue.splice(0);
    for (const text of q) this.delay(() => this.ws.send(text));
    // Uploads go on where the server says they are (a chunk it has is answered at once).
    for (const [id, u] of this.up) if (u.go) (u.busy = 0), this.next(id);
    this.recover();
    clearInterval(this.beat);
    this.beat = setInterval(() => {
      // A server silent for two beats is gone, even if the connection looks open.
      if (Date.now() - this.lastSeen > 2 * HEARTBEAT_MS) this.ws.close();
      else this.send(this.times.length ? [HEARTBEAT, this.times.splice(0)] : [HEARTBEAT]);
    }, HEARTBEAT_MS);
  }

  onError(r, code, message) {
    console.warn(`leptos-live: ${code}: ${message}`);
    if (!FATAL.includes(code)) return;
    this.setState("lv-error");
    this.disconnect();
    if (RELOAD.includes(code)) {
      const n = +(sessionStorage.getItem("lv-reloads") || 0);
      sessionStorage.setItem("lv-reloads", n + 1);
      setTimeout(() => location.reload(), Math.min(30000, 1000 * 2 ** n));
    }
  }

  formValues() {
    return [...this.root.querySelectorAll("form[id][lv-change]")].map((f) => [f.id, [...f.elements].map((e) => [e.name, e.value])]);
  }

  // Puts the recovered values back and sends each form's change event.
  recover() {
    for (const [id, values] of this.recovered || []) {
      const form = document.getElementById(id);
      if (!form) continue;
      for (const [name, value] of values) if (name && form.elements[name]) form.elements[name].value = value;
      this.push(form, "change", form.getAttribute("lv-change"), Object.assign(this.serialize(form), { _target: null }));
    }
    this.recovered = null;
  }

  // --- frames from the server -------------------------------------------------------------

  onFrame(data) {
    let f;
    try {
      f = JSON.parse(data);
    } catch {
      return;
    }
    const [r, x] = f;
    if (x === UPLOAD_ACK || x === UPLOAD_END) return this.acked && this.acked(x, f[2], f[3]);
    if (x === TOKEN) return void (this.token = f[2]);
    let pushed = {};
    const nav = this.nav && this.nav.r === r ? this.nav : null;
    if (Array.isArray(x)) {
      pushed = f[2] || {};
      // Patches after a mismatch do not fit either; the whole page is on its way.
      if (!this.stale) {
        this.version++;
        // Changes sent after this frame's event are newer than what it carries.
        this.applying = r || 0;
        this.patch(x);
      }
    } else if (x === HTML) {
      pushed = f[4] || {};
      this.version = f[3];
      this.stale = false;
      // A rejoin that had to mount again: forms with an id and lv-change replay their values.
      const recover = r === this.joinRef && this.everJoined ? this.formValues() : [];
      // Stream children are the browser's: they outlive a whole-page render, not a new page.
      const kept = new Map(pushed.token ? [] : [...this.all("lv-stream")].map((c) => [c.getAttribute("lv-stream"), [...c.children]]));
      this.withFocus(() => this.root.replaceChildren(this.page(f[2])));
      for (const c of this.all("lv-stream")) {
        const old = kept.get(c.getAttribute("lv-stream"));
        if (old) this.place(c, [...c.children], -1, 0, old);
      }
      this.scanHooks();
      this.recovered = recover;
    } else if (x === ERROR) {
      this.onError(r, f[2], f[3]);
    } else if (x === NAV) pushed.nav = Object.assign(f[2], { replace: nav && !nav.push });
    // A live navigation landed: the new page's token, and its history entry and scroll.
    if (pushed.token) {
      this.up.clear();
      this.root.setAttribute("lv-token", (this.id = this.token = pushed.token));
      this.entry(pushed.url, !nav || nav.push);
      const to = nav && nav.scroll;
      const el = nav && nav.hash && document.getElementById(nav.hash);
      el ? el.scrollIntoView() : scrollTo(0, to || 0);
    } else if (nav && nav.scroll != null) scrollTo(0, nav.scroll);
    if (nav) this.nav = null;
    if (r && r === this.joinRef && x !== ERROR) this.onJoined();
    this.settle(r, pushed.reply, x === ERROR ? f[2] : undefined);
    // Stream ops find their container by name and items by id: they apply even while the page
    // waits for a resync (the server keeps no copy of the items to send again).
    if (pushed.s) this.streams(pushed.s);
    if (pushed.title != null) document.title = pushed.title;
    if (pushed.nav) this.follow(pushed.nav);
    for (const [name, payload] of pushed.events || []) {
      for (const { cb } of this.handlers.get(name) || []) cb(payload);
      window.dispatchEvent(new CustomEvent("lv:" + name, { detail: payload }));
    }
  }

  settle(r, reply, error) {
    const p = this.pending.get(r);
    if (!p) return;
    this.pending.delete(r);
    // toggle(…, false), not remove: a class that is not there is not written back to the root.
    this.root.classList.toggle("lv-queue-full", false);
    p.undo.forEach((f) => f());
    // Click-to-reply times (ms) go to the server with the heartbeat, or at once at 16; an event
    // that waited for the socket (lv-pending) measures the cut, not the reply, and is left out.
    if (p.at && !p.w && error === undefined && this.times.push(Math.round((performance.now() - p.at) * 10) / 10) > 15) this.send([HEARTBEAT, this.times.splice(0)]);
    if (error !== undefined) p.reject && p.reject(new Error(error));
    else p.resolve && p.resolve(reply);
  }

  // --- navigation -------------------------------------------------------------------------

  here() {
    return location.pathname + location.search;
  }

  // Keeps the scroll position in the current history entry, for back and forward.
  save() {
    clearTimeout(this.scrolled);
    history.replaceState({ ...history.state, scroll: scrollY }, "");
  }

  // Adds (push) or replaces a history entry for url that belongs to the page joined now.
  entry(url, push) {
    history[push ? "pushState" : "replaceState"]({ id: this.id, scroll: push ? 0 : scrollY }, "", url);
    this.current();
  }

  // Marks the layout's link to the page shown: aria-current="page" where the href is this URL,
  // none elsewhere. The page's links come marked from the server by the same rule. (ariaCurrent
  // reflects the attribute; null removes it.)
  current() {
    this.at = this.here();
    for (const a of document.querySelectorAll("a[lv-patch],a[lv-navigate]"))
      if (!this.root.contains(a)) a.ariaCurrent = a.getAttribute("href") == this.at ? "page" : null;
  }

  // Where the server sends the browser: its own patch (the page already ran handle_params), a
  // live navigation, or a full load (with the flash in a short-lived cookie).
  follow({ kind, to, replace, flash }) {
    if (this.sticky && kind !== NAV_EXTERNAL) return liveSocket.go(to, kind === NAV_PATCH ? PATCH : NAVIGATE, !replace, flash);
    if (kind === NAV_PATCH) this.save(), this.entry(to, !replace);
    else if (kind === NAV_NAVIGATE) this.go(to, NAVIGATE, !replace, flash);
    else if (kind === NAV_EXTERNAL || this.local(to)) {
      if (flash) document.cookie = `${FLASH_COOKIE}=${flash}; path=/; max-age=60; samesite=lax`;
      // Back or forward already made the entry: a full load takes its place.
      location[replace ? "replace" : "assign"](to);
    }
  }

  local(href) {
    return new URL(href, location.href).origin === location.origin;
  }

  // Navigates to url from a script as an lv-navigate link does: the page there mounts over this
  // socket (a full load outside the live session); {replace: true} replaces the history entry.
  navigate(url, { replace = false } = {}) {
    this.go(url, NAVIGATE, !replace);
  }

  // A live patch (PATCH) or navigation (NAVIGATE) to href, for links, back and forward, the
  // server's navs and navigate; a full load when it cannot be live. First the window hears
  // lv:before-navigate: preventDefault() there keeps the page as it is, nothing is sent, and
  // back or forward, which moved the URL already, put it back (as a new entry).
  go(href, kind, push, flash, scroll) {
    const u = new URL(href, location.href);
    if (!dispatchEvent(new CustomEvent("lv:before-navigate", { cancelable: true, detail: { to: u.href, kind: kind === PATCH ? NAV_PATCH : NAV_NAVIGATE } })))
      return scroll != null && this.entry(this.at, 1);
    if (!this.joined || !this.local(href)) return location.assign(href);
    const url = u.pathname + u.search;
    if (push) this.save();
    // A link's patch makes its entry, or takes the current one's place with lv-replace; back and
    // forward (which pass the scroll to restore) already moved the history.
    if (kind === PATCH && scroll == null) this.entry(url, push);
    const r = this.send(flash ? [kind, url, flash] : [kind, url]);
    this.nav = { r, push: push && kind === NAVIGATE, scroll, hash: u.hash.slice(1) };
  }

  // --- hooks ------------------------------------------------------------------------------

  // Mounts hooks of new lv-hook elements and destroys those of elements that left the DOM.
  scanHooks() {
    this.found = {};
    this.uploads();
    this.portals();
    // While an element of the page has lv-unload-guard, the browser asks before leaving it.
    (this.all("lv-unload-guard")[0] ? addEventListener : removeEventListener)("beforeunload", UNLOAD);
    for (const [el, hook] of this.hooked)
      if (!this.has(el)) {
        this.hooked.delete(el);
        for (const list of this.handlers.values()) list.splice(0, list.length, ...list.filter((h) => h.el !== el));
        hook.destroyed && hook.destroyed();
      }
    if (!this.joined) return;
    for (const el of this.all("lv-mounted"))
      if (!state(el).mounted) {
        state(el).mounted = true;
        this.run(el, JSON.parse(el.getAttribute("lv-mounted")), "js");
      }
    for (const form of this.all("lv-trigger-action")) if (form.localName === "form" && !state(form).triggered) {
      state(form).triggered = true;
      form.submit();
    }
    this.viewport();
    // lv-poll: its event every lv-poll-every ms (2 s), while the tab is shown and joined.
    for (const el of this.all("lv-poll")) {
      const s = state(el);
      s.poll ||= setInterval(() => (el.isConnected ? (document.hidden || !this.joined ? (s.missed = 1) : this.tick(el)) : clearInterval(s.poll)), +el.getAttribute("lv-poll-every") || 2000);
    }
    for (const el of this.all("lv-hook")) {
      const n = el.getAttribute("lv-hook");
      const def = this.hooks[n];
      const url = !def && this.mods[n];
      // The colocated hooks' module (one for all) loads the first time an element names one.
      if (url) {
        for (const k in this.mods) this.mods[k] = 0;
        import(url).then((m) => {
          for (const k in m) this.hooks[k] ||= m[k];
          this.scanHooks();
        });
      }
      if (!def || this.hooked.has(el)) continue;
      const hook = this.hook(el, def);
      this.hooked.set(el, hook);
      hook.mounted && hook.mounted();
    }
  }

  // <template lv-portal="selector">: its content shows at the end of the element the selector
  // names, outside the root (the body, say), in a <div> of its own. The nodes move there, not
  // copies: the server's operations reach them through the template (kids), and bindings,
  // hooks and focus work there as in the root. The div goes with its template.
  portals() {
    for (const [t, w] of this.ports) if (!this.root.contains(t)) this.ports.delete(t), w.remove();
    for (const t of this.root.querySelectorAll("template[lv-portal]")) {
      let to;
      try {
        // (A selector that is not one shows nothing, and breaks nothing else.)
        to = !this.ports.has(t) && document.querySelector(t.getAttribute("lv-portal"));
      } catch {}
      if (!to || this.root.contains(to)) continue;
      const w = document.createElement("div");
      // lv-target="" inside finds its component through the div (none: "", the page).
      w.setAttribute("lv-component", t.closest("[lv-component]")?.getAttribute("lv-component") || "");
      w.append(t.content);
      to.append(w);
      this.ports.set(t, w);
      this.listen(w);
      this.mo.observe(w, WATCH);
    }
  }

  // The root and the portals' divs: where the page's elements are.
  boxes() {
    return [this.root, ...this.ports.values()];
  }

  has(n) {
    return this.boxes().some((b) => b.contains(n));
  }

  hook(el, def) {
    const hook = Object.create(def);
    hook.el = el;
    hook.liveSocket = this;
    hook.pushEvent = (name, payload = {}) =>
      new Promise((resolve, reject) => {
        const p = this.pending.get(this.push(el, "hook", name, payload));
        p ? Object.assign(p, { resolve, reject }) : reject(new Error("queue_full"));
      });
    hook.pushEventTo = (_target, name, payload) => hook.pushEvent(name, payload);
    hook.js = () => this.jsApi(el);
    hook.handleEvent = (name, cb) => {
      if (!this.handlers.has(name)) this.handlers.set(name, []);
      this.handlers.get(name).push({ el, cb });
    };
    return hook;
  }

  // this.js() in hooks: the JS commands on elements, and exec of encoded commands.
  jsApi(el) {
    const on = (op, a) => (t, ...rest) => this.cmd(t, op, a(...rest));
    return {
      exec: (encoded) => this.run(el, JSON.parse(encoded), "js"),
      show: on("show", (o = {}) => o),
      hide: on("hide", (o = {}) => o),
      toggle: on("toggle", (o = {}) => o),
      addClass: on("add_class", (names) => ({ names })),
      removeClass: on("remove_class", (names) => ({ names })),
      toggleClass: on("toggle_class", (names) => ({ names })),
      transition: on("transition", (transition, o = {}) => Object.assign({ transition }, o)),
      setAttribute: on("set_attribute", (n, v) => ({ attr: [n, v] })),
      removeAttribute: on("remove_attribute", (n) => ({ attr: n })),
      toggleAttribute: on("toggle_attribute", (n, v1, v2) => ({ attr: [n, v1, v2] })),
    };
  }

  eachHook(method) {
    for (const hook of this.hooked.values()) hook[method] && hook[method]();
  }

  // --- uploads ----------------------------------------------------------------------------

  // The upload code (leptos-live-upload.js, named by the root's lv-upload-js) loads when an
  // lv-upload input first shows, so that pages without uploads never download it; once it is
  // here, previews follow each change of the page.
  uploads() {
    if (this.previews) this.previews();
    else if (!this.upl && this.root.querySelector("[lv-upload]"))
      this.upl = import(this.root.getAttribute("lv-upload-js")).then((m) => Object.assign(LiveSocket.prototype, m.Uploads), () => (this.upl = null));
    return this.upl;
  }

  // Files picked or dropped for input, sent once the upload code is here.
  picked(input, files) {
    this.pick ? this.pick(input, files) : this.uploads().then(() => this.pick(input, files));
  }

  // --- applying operations ----------------------------------------------------------------

  patch(ops) {
    // Hooks around the nodes the operations touch get beforeUpdate and updated.
    const touched = new Set();
    for (const op of ops) {
      let n = this.root;
      for (const i of op[1]) n = this.kids(n)[i] || n;
      for (const [el, hook] of this.hooked) if (el.contains(n)) touched.add(hook);
    }
    touched.forEach((h) => h.beforeUpdate && h.beforeUpdate());
    this.applyOps(ops);
    touched.forEach((h) => h.el.isConnected && h.updated && h.updated());
    // Text alone adds, removes and rebinds no element.
    if (ops.some(([code]) => code !== SET_TEXT && code !== SPLICE)) this.scanHooks();
  }

  applyOps(ops) {
    try {
      this.withFocus(() =>
        ops.forEach((op) => {
          try {
            this.apply(op);
          } catch (e) {
            if (e !== IGNORED) throw e;
          }
        }),
      );
    } catch (e) {
      // A mismatch, or anything the DOM refused: ask for the whole page.
      console.warn("leptos-live: the DOM does not fit a patch; resyncing", e.message);
      this.stale = true;
      this.send([RESYNC]);
    }
  }

  // Where n's children are: a template's in its content, as the server's tree keeps them, or in
  // its portal's div.
  box(n) {
    return this.ports.get(n) || (n.localName === "template" && n.content) || n;
  }

  kids(n) {
    return this.box(n).childNodes;
  }

  node(path) {
    let n = this.root;
    for (const i of path) {
      // lv-update="ignore": the client keeps what is inside; operations there are skipped.
      if (n !== this.root && n.getAttribute("lv-update") === "ignore") throw IGNORED;
      n = this.kids(n)[i];
      if (!n) throw new Mismatch("no node at " + path);
    }
    return n;
  }

  element(path) {
    const n = this.node(path);
    if (n.nodeType !== 1) throw new Mismatch("not an element at " + path);
    return n;
  }

  // Parses the whole page as the root's content with the browser's full HTML parser, the one the
  // server's parser follows: innerHTML may take a shortcut parser that builds another tree
  // (Chromium keeps a <button> inside a <button>). Scripts stay inert, as innerHTML leaves them.
  page(html) {
    const r = document.createRange();
    r.selectNodeContents(this.root);
    const f = r.createContextualFragment(html);
    for (const s of f.querySelectorAll("script")) s.replaceWith(this.fragment(s.outerHTML, s.parentNode));
    return f;
  }

  // Parses html as the content of parent, as the server's parser did: inside <svg> or <math>
  // for foreign parents (except HTML integration points), else in a <template>.
  fragment(html, parent) {
    const t = document.createElement("template");
    const ns = parent.namespaceURI;
    const wrap =
      ns === SVG_NS && !/^(foreignObject|desc|title)$/.test(parent.localName) ? "svg" : ns === MATH_NS && parent.localName !== "annotation-xml" ? "math" : "";
    if (!wrap) {
      t.innerHTML = html;
      return t.content;
    }
    t.innerHTML = `<${wrap}>${html}</${wrap}>`;
    const f = document.createDocumentFragment();
    f.append(...t.content.firstChild.childNodes);
    return f;
  }

  apply(op) {
    const [code, path, a, b] = op;
    switch (code) {
      case REPLACE: {
        const n = this.node(path);
        if (n === this.root) throw new Mismatch("cannot replace the root");
        n.replaceWith(this.fragment(a, n.parentNode));
        break;
      }
      case SET_TEXT: {
        const n = this.node(path);
        if (n.nodeType !== 3 && n.nodeType !== 8) throw new Mismatch("not text at " + path);
        this.setData(n, a);
        break;
      }
      case SET_ATTR:
      case REMOVE_ATTR: {
        const el = this.element(path);
        const s = peek(el);
        if (s && s.ignore.has(a)) break;
        const set = code === SET_ATTR;
        set ? el.setAttribute(a, b) : el.removeAttribute(a);
        // (Without a record el has no marks: the first mark reads its class attribute.)
        if (a === "class" && s) s.bare = !set;
        // A removal has no value (b): the property goes empty.
        this.syncProp(el, a, set, b || "");
        this.restick(el);
        break;
      }
      case INSERT: {
        const el = this.element(path);
        const kids = this.kids(el);
        if (a > kids.length) throw new Mismatch("no child " + a + " at " + path);
        this.box(el).insertBefore(this.fragment(b, el), kids[a] || null);
        break;
      }
      case REMOVE: {
        const n = this.node(path);
        if (n === this.root) throw new Mismatch("cannot remove the root");
        if (n.nodeType === 1 && n.hasAttribute("lv-remove")) this.run(n, JSON.parse(n.getAttribute("lv-remove")), "js");
        n.remove();
        break;
      }
      case MOVE: {
        const el = this.element(path);
        const kids = this.kids(el);
        const n = kids[a];
        if (!n || b >= kids.length) throw new Mismatch("bad move at " + path);
        n.parentNode.insertBefore(n, kids[b < a ? b : b + 1] || null);
        break;
      }
      case SPLICE: {
        const n = this.node(path);
        if (n.nodeType !== 3) throw new Mismatch("not text at " + path);
        let t = n.data;
        for (let k = 0; k < a.length; k += 3) {
          if (a[k] + a[k + 1] > t.length) throw new Mismatch("splice past the end at " + path);
          t = t.slice(0, a[k]) + a[k + 2] + t.slice(a[k] + a[k + 1]);
        }
        this.setData(n, t);
        break;
      }
      case REORDER: {
        const el = this.element(path);
        const kids = [...this.kids(el)];
        if (a.length !== kids.length || new Set(a).size !== a.length || a.some((i) => !kids[i]))
          throw new Mismatch("bad order at " + path);
        for (const i of a) this.box(el).appendChild(kids[i]);
        break;
      }
      default:
        throw new Mismatch("unknown operation " + code);
    }
  }

  // Whether a change event of el's form (or el) is still unanswered: its reply must not roll
  // back what the user typed since.
  inFlight(el) {
    // (A push, reference 0, is older than every change in flight.)
    for (const [ref, p] of this.pending)
      if (ref > this.applying && p.cls === "lv-change-loading" && (p.el === el || p.el === el.form)) return true;
    return false;
  }

  // Sets a text node's data; a textarea the user is not in shows its new content.
  setData(n, text) {
    n.data = text;
    const p = n.parentNode;
    if (p.localName === "textarea" && p !== document.activeElement) p.value = p.defaultValue;
  }

  // Attributes that also drive a live property: the server's word wins, except in the field the
  // user is typing in.
  syncProp(el, name, on, value) {
    if (el === document.activeElement || this.inFlight(el)) return;
    const tag = el.localName;
    // Only where the property does not write the attribute back (textarea, text-like inputs).
    if (name === "value" && this.typed(el)) el.value = value;
    else if (name === "checked" && tag === "input") el.checked = on;
    else if (name === "selected" && tag === "option") el.selected = on;
  }

  // Whether el's value is what the user typed (a button's or a checkbox's writes its attribute).
  typed(el) {
    return el.localName === "textarea" || (el.localName === "input" && !REFLECTS_VALUE.test(el.type));
  }

  // Runs a DOM change and puts back focus, selection and the typed value if it moved.
  withFocus(fn) {
    const a = document.activeElement;
    const had = a && a !== document.body && this.has(a);
    const saved = had && {
      id: a.id,
      name: a.getAttribute("name"),
      value: a.value,
      start: a.selectionStart,
      end: a.selectionEnd,
    };
    fn();
    if (!had || document.activeElement === a) return;
    let t = a.isConnected && this.has(a) ? a : null;
    if (!t && saved.id) t = document.getElementById(saved.id);
    if (!t && saved.name) t = this.root.querySelector(`[name="${CSS.escape(saved.name)}"]`);
    if (!t) return;
    if (t !== a && this.typed(a) && this.typed(t) && t.value !== saved.value) t.value = saved.value;
    t.focus();
    try {
      if (saved.start != null) t.setSelectionRange(saved.start, saved.end);
    } catch {}
  }

  // --- streams ----------------------------------------------------------------------------

  // [name,"r"] empties a stream, [name,"d",[id…]] removes items, [name,"i",at,limit,[[id,html]…]]
  // inserts a block at the start (0) or the end (-1); an id already there is updated in place.
  streams(ops) {
    for (const [name, kind, a, limit, items] of ops) {
      const c = this.root.querySelector(`[lv-stream="${CSS.escape(name)}"]`);
      if (!c) continue;
      if (kind === STREAM_RESET) c.replaceChildren();
      else if (kind === STREAM_DELETE) for (const id of a) this.byId(c, id)?.remove();
      else if (kind === STREAM_INSERT) {
        const els = items.map(([, html]) => this.fragment(html, c).firstElementChild).filter(Boolean);
        this.place(c, els, a, limit);
      }
    }
    this.scanHooks();
  }

  byId(c, id) {
    if (id) for (const el of c.children) if (el.id === id) return el;
  }

  // Puts els into stream container c at the start (at = 0) or the end, replacing same-id items
  // in place; keeps the scroll position (or the bottom, when it was there) and the limit.
  place(c, els, at, limit, base) {
    if (base) c.replaceChildren(...base);
    const s = c.closest("[lv-scroll]") || document.scrollingElement;
    const [h, top, atBottom] = [s.scrollHeight, s.scrollTop, s.scrollTop + s.clientHeight >= s.scrollHeight - 4];
    const block = document.createDocumentFragment();
    for (const el of els) {
      const old = this.byId(c, el.id);
      if (old) old.replaceWith(el);
      else block.append(el);
    }
    at === 0 ? c.prepend(block) : c.append(block);
    while (limit > 0 && c.children.length > limit) (at === 0 ? c.lastElementChild : c.firstElementChild).remove();
    if (at === 0) s.scrollTop = top + s.scrollHeight - h;
    else if (atBottom) s.scrollTop = s.scrollHeight;
  }

  // --- events from the page ---------------------------------------------------------------

  bind() {
    this.listen(this.root);
    if (!this.sticky) {
      history.scrollRestoration = "manual";
      history.replaceState({ ...history.state, id: this.id }, "");
      this.current();
      // lv-patch and lv-navigate links, in the page or in the layout around it. A press of the
      // primary button navigates at once, a click's ~100 ms early (the server switches pages on
      // the frame, so no early request could be taken back), and the click that ends it is
      // swallowed (below). A click without a press (the keyboard's, a script's) navigates.
      const link = (e) => {
        const a = e.target.closest && e.target.closest("a[lv-patch],a[lv-navigate]");
        if (!a || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target === "_blank") return;
        e.preventDefault();
        this.go(a.href, a.hasAttribute("lv-patch") ? PATCH : NAVIGATE, !a.hasAttribute("lv-replace"));
        return 1;
      };
      on(document, "mousedown", (e) => (this.pressed = link(e)));
      on(document, "click", link);
      // Back and forward: a patch within the page joined now, else a live navigation.
      on(window, "scroll", () => {
        clearTimeout(this.scrolled);
        this.scrolled = setTimeout(() => this.save(), 100);
      });
      on(window, "popstate", (e) => {
        clearTimeout(this.scrolled);
        // Only the #fragment changed: the browser scrolls, the page stays.
        if (this.here() === this.at) return;
        const st = e.state || {};
        this.go(location.href, st.id === this.id ? PATCH : NAVIGATE, false, null, st.scroll || 0);
        this.current();
      });
    }
    // Click-away runs before the click's own bindings, for elements shown then: the click that
    // opens a menu does not close it.
    document.addEventListener(
      "click",
      (e) => {
        // The click that ends a press on a live link is done: nothing else hears it. (The
        // keyboard's and a script's have detail 0 and no press.)
        const p = this.pressed;
        this.pressed = 0;
        if (p && e.detail) return e.preventDefault(), e.stopPropagation();
        for (const el of this.shown("lv-click-away")) if (!el.contains(e.target)) this.fire(el, "lv-click-away", "click");
      },
      true,
    );
    for (const type of ["keydown", "keyup"])
      on(window, type, (e) => {
        for (const el of this.shown("lv-window-" + type)) if (this.keyed(el, e)) this.fire(el, "lv-window-" + type, type, { key: e.key });
      });
    // lv-focus-wrap: Tab and Shift-Tab go round inside the element (an open dialog).
    on(document, "keydown", (e) => {
      const w = e.key === "Tab" && document.activeElement.closest("[lv-focus-wrap]");
      if (!w) return;
      const f = [...w.querySelectorAll(FOCUSABLE)].filter((x) => x.getClientRects().length);
      const end = e.shiftKey ? f[0] : f[f.length - 1];
      if (document.activeElement === end) {
        e.preventDefault();
        (e.shiftKey ? f[f.length - 1] : f[0]).focus();
      }
    });
    for (const type of ["focus", "blur"])
      on(window, type, (e) => {
        if (e.target === window) for (const el of this.all("lv-window-" + type)) this.fire(el, "lv-window-" + type, type);
      });
  }

  // The page's delegated bindings on root: the page's root, or a portal's div.
  listen(root) {
    on(root, "click", (e) => {
      const el = closest(e, "lv-click");
      if (el && root.contains(el)) this.fire(el, "lv-click", "click");
    });
    on(root, "submit", (e) => {
      const form = e.target;
      const name = form.getAttribute && form.getAttribute("lv-submit");
      if (!name) return;
      e.preventDefault();
      if (name[0] === "[") return this.run(form, JSON.parse(name), "submit");
      const go = () => this.submit(form, name);
      this.flush ? this.flush(form, go) : go();
    });
    on(root, "change", (e) => {
      const i = e.target;
      if (i.hasAttribute && i.hasAttribute("lv-upload")) this.picked(i, [...i.files]);
    });
    on(root, "dragover", (e) => closest(e, "lv-drop-target") && e.preventDefault());
    on(root, "drop", (e) => {
      const t = closest(e, "lv-drop-target");
      const i = t && this.root.querySelector(`input[lv-upload="${CSS.escape(t.getAttribute("lv-drop-target"))}"]`);
      if (!i) return;
      e.preventDefault();
      this.picked(i, [...e.dataTransfer.files]);
    });
    on(root, "input", (e) => {
      const input = e.target;
      if (input.hasAttribute("lv-upload")) return;
      const own = input.getAttribute("lv-change");
      const form = input.form || input.closest("form");
      const name = own || (form && form.getAttribute("lv-change"));
      if (!name) return;
      const field = input.getAttribute("name");
      this.limit(input, "lv-change", () => {
        const payload = own || !form ? { [field || "value"]: input.value } : this.serialize(form);
        payload._target = field;
        this.push(own ? input : form, "change", name, payload);
      });
    });
    for (const type of ["keydown", "keyup"])
      on(root, type, (e) => {
        const el = closest(e, "lv-" + type);
        if (el && this.keyed(el, e)) this.fire(el, "lv-" + type, type, { key: e.key });
      });
    on(root, "focusin", (e) => this.fire(e.target, "lv-focus", "focus", this.field(e.target)));
    on(root, "focusout", (e) => {
      const el = e.target;
      const s = peek(el);
      if (s && s.onBlur) {
        const fn = s.onBlur;
        s.onBlur = null;
        fn();
      }
      this.fire(el, "lv-blur", "blur", this.field(el));
    });
  }

  // Elements of the page with attr (for window-level and click-away bindings), portals' too.
  all(attr) {
    return this.boxes().flatMap((b) => [...b.querySelectorAll(`[${attr}]`)]);
  }

  // Those of them shown now: a hidden menu or dialog does not hear the window or a click away.
  // The elements are found once after each change of the page's elements (scanHooks), not on
  // every click or key: a page without such bindings pays nothing per click.
  shown(attr) {
    return (this.found[attr] ||= this.all(attr)).filter((el) => el.isConnected && el.getClientRects().length);
  }

  keyed(el, e) {
    const k = el.getAttribute("lv-key");
    return !k || k.toLowerCase() === e.key.toLowerCase();
  }

  // Sends an event for the page, or with lv-target for a component: the one el is in (an
  // empty value) or the one with that id. Returns its reference; 0 when refused (QUEUE_MAX).
  push(el, kind, name, payload) {
    if (this.pending.size >= QUEUE_MAX) {
      this.root.classList.add("lv-queue-full");
      console.warn("leptos-live: queue full; refused " + name);
      return 0;
    }
    const t = el.getAttribute("lv-target");
    const id = t ? t.replace(/^#/, "") : t === "" && el.closest("[lv-component]")?.getAttribute("lv-component");
    const r = this.send(id ? [EVENT, name, payload, id] : Object.keys(payload).length ? [EVENT, name, payload] : [EVENT, name]);
    const cls = "lv-" + kind + "-loading";
    const p = { el, kind, cls, els: [el], at: performance.now(), undo: [this.mark(el, cls)], text: this.text, out: this.joined };
    this.pending.set(r, p);
    if (!this.joined) this.wait(p);
    this.slow(this.slowAfter);
    return r;
  }

  // Marks a waiting event's element lv-pending until its answer; returns the event's frame.
  wait(p) {
    if (!p.w) p.w = p.undo.push(this.mark(p.el, "lv-pending"));
    return p.text;
  }

  // Marks the elements of events in flight for slowAfter ms lv-<kind>-slow. A reply within a
  // frame or two looks instant: what styles the wait keys on -slow, so that it neither flashes
  // nor costs the browser a restyle before the reply. One timer serves every event.
  slow(wait) {
    if (this.slowTimer) return;
    this.slowTimer = setTimeout(() => {
      this.slowTimer = 0;
      let next = Infinity;
      for (const p of this.pending.values()) {
        const left = p.els ? p.at + this.slowAfter - performance.now() : Infinity;
        if (left > 0) next = Math.min(next, left);
        else {
          for (const t of p.els) p.undo.push(this.mark(t, "lv-" + p.kind + "-slow"));
          p.els = null;
        }
      }
      if (next < Infinity) this.slow(next);
    }, wait);
  }

  // Adds classes to el; the function it returns takes them off (and more). The last of the
  // marks on el to go takes the class attribute too when it is empty and el had none before
  // the first (bare; the server's own class changes set it).
  mark(el, ...names) {
    const s = state(el);
    if (!s.marks) s.bare = !el.hasAttribute("class");
    s.marks++;
    el.classList.add(...names);
    return (...more) => {
      el.classList.remove(...names, ...more);
      if (!--s.marks && s.bare && !el.classList.length) el.removeAttribute("class");
    };
  }

  values(el) {
    const v = {};
    for (const n of el.getAttributeNames()) if (n.startsWith("lv-value-")) v[n.slice(9)] = el.getAttribute(n);
    return v;
  }

  serialize(form) {
    const v = {};
    for (const [k, x] of new FormData(form)) {
      if (typeof x !== "string") continue;
      if (k in v) v[k] = [].concat(v[k], x);
      else v[k] = x;
    }
    return v;
  }

  // Runs fn now, or as lv-debounce (ms, or "blur") / lv-throttle (ms) on el ask.
  limit(el, key, fn) {
    const d = el.getAttribute("lv-debounce");
    const t = el.getAttribute("lv-throttle");
    const s = state(el);
    const timers = s.timers;
    if (d === "blur") s.onBlur = fn;
    else if (d) {
      clearTimeout(timers[key]);
      timers[key] = setTimeout(fn, +d);
    } else if (t) {
      if (timers[key]) s.trailing = fn;
      else {
        fn();
        const tick = () => {
          const next = s.trailing;
          s.trailing = null;
          timers[key] = next ? (next(), setTimeout(tick, +t)) : 0;
        };
        timers[key] = setTimeout(tick, +t);
      }
    } else fn();
  }

  // Runs el's binding attr: JS commands when it holds them, else sends the event it names with
  // el's values and extra.
  fire(el, attr, kind, extra) {
    const name = el.getAttribute(attr);
    if (!name) return;
    this.limit(el, attr, () =>
      name[0] === "[" ? this.run(el, JSON.parse(name), kind) : this.push(el, kind, name, Object.assign(this.values(el), extra)),
    );
  }

  // Sends form's lv-submit event; lv-disable-with buttons are disabled with its text until the reply.
  // A form whose submit waits for its answer (offline, or slow) is not submitted again.
  submit(form, name) {
    for (const p of this.pending.values()) if (p.el === form && p.kind === "submit") return;
    const r = this.push(form, "submit", name, Object.assign(this.serialize(form), this.values(form)));
    if (!r) return;
    for (const b of form.querySelectorAll("[lv-disable-with]")) {
      const text = b.textContent;
      b.textContent = b.getAttribute("lv-disable-with");
      b.disabled = true;
      this.pending.get(r).undo.push(() => {
        b.textContent = text;
        b.disabled = false;
      });
    }
  }

  tick(el) {
    state(el).missed = 0;
    this.fire(el, "lv-poll", "poll");
  }

  // lv-viewport-top / lv-viewport-bottom: an event when the first / last child comes into view.
  viewport() {
    if (!window.IntersectionObserver) return;
    for (const [attr, pick] of [
      ["lv-viewport-top", (el) => el.firstElementChild],
      ["lv-viewport-bottom", (el) => el.lastElementChild],
    ])
      for (const el of this.all(attr)) {
        const child = pick(el);
        if (!child || this.seen.get(el) === child) continue;
        this.seen.set(el, child);
        const io = new IntersectionObserver((entries) => {
          if (entries.some((e) => e.isIntersecting)) {
            io.disconnect();
            this.fire(el, attr, "viewport");
          }
        });
        io.observe(child);
      }
  }

  field(el) {
    return "value" in el && el.localName !== "button" ? { value: el.value } : {};
  }

  // --- JS commands ------------------------------------------------------------------------

  // Runs the JS commands in attr of every element that has it.
  runAll(attr) {
    if (attr) for (const el of this.all(attr)) this.run(el, JSON.parse(el.getAttribute(attr)), "js");
  }

  run(el, cmds, kind) {
    for (const [op, a] of cmds) {
      const targets = a.to ? [...document.querySelectorAll(a.to)] : [el];
      if (op === "push") {
        const p = this.pending.get(this.push(el, kind, a.event, Object.assign(this.values(el), a.value || {})));
        for (const t of p && a.loading ? document.querySelectorAll(a.loading) : []) {
          p.undo.push(this.mark(t, p.cls));
          p.els.push(t);
        }
      } else if (op === "pop_focus") {
        const f = this.focusStack.pop();
        if (f) f.focus();
      } else if (op === "push_focus") this.focusStack.push(a.to ? targets[0] : document.activeElement);
      else if (op === "exec") {
        for (const t of targets) {
          const v = t.getAttribute(a.attr);
          if (v) this.run(t, JSON.parse(v), kind);
        }
      } else for (const t of targets) this.cmd(t, op, a);
    }
  }

  cmd(t, op, a) {
    const words = (s) => (s || "").split(/\s+/).filter(Boolean);
    // Sticky: the effect is applied now and again after every patch of this element.
    const sticky = (key, fn) => {
      fn();
      state(t).sticky.set(key, fn);
    };
    const display = (show) => sticky("display", () => (t.style.display = show ? a.display || "block" : "none"));
    switch (op) {
      case "show":
      case "hide":
      case "toggle": {
        const show = op === "show" || (op === "toggle" && getComputedStyle(t).display === "none");
        if (!a.transition) display(show);
        else if (show) {
          display(true);
          this.transit(t, a.transition, a.time);
        } else this.transit(t, a.transition, a.time, () => display(false));
        break;
      }
      case "add_class":
      case "remove_class":
      case "toggle_class":
        for (const n of words(a.names)) {
          const add = op === "add_class" || (op === "toggle_class" && !t.classList.contains(n));
          sticky("class:" + n, () => t.classList.toggle(n, add));
        }
        break;
      case "transition":
        this.transit(t, a.transition, a.time);
        break;
      case "set_attribute":
        sticky("attr:" + a.attr[0], () => t.setAttribute(a.attr[0], a.attr[1]));
        break;
      case "remove_attribute":
        sticky("attr:" + a.attr, () => t.removeAttribute(a.attr));
        break;
      case "toggle_attribute": {
        const [n, on, off] = a.attr;
        const next = t.getAttribute(n) === on ? off : on;
        sticky("attr:" + n, () => (next == null ? t.removeAttribute(n) : t.setAttribute(n, next)));
        break;
      }
      case "ignore_attributes":
        for (const n of words(a.names)) state(t).ignore.add(n);
        break;
      case "dispatch":
        t.dispatchEvent(new CustomEvent(a.event, { bubbles: true, detail: a.detail }));
        break;
      case "focus":
        t.focus();
        break;
      case "focus_first": {
        const f = [...t.querySelectorAll(FOCUSABLE)].find((x) => x.getClientRects().length);
        if (f) f.focus();
        break;
      }
    }
  }

  transit(t, [run, start, end], time = 200, done) {
    const w = (s) => s.split(/\s+/).filter(Boolean);
    const off = this.mark(t, ...w(run), ...w(start));
    requestAnimationFrame(() => {
      t.classList.remove(...w(start));
      t.classList.add(...w(end));
    });
    setTimeout(() => {
      off(...w(end));
      if (done) done();
    }, time);
  }

  // Re-applies what JS commands did to el after the server patched it.
  restick(el) {
    const s = peek(el);
    if (s) for (const fn of s.sticky.values()) fn();
  }
}

// The page's live root (window.liveSocket), and the layout's sticky parts (lv-sticky), which
// join over its socket.
const sockets = [...document.querySelectorAll("[lv-token]")].map((root) => new LiveSocket(root));
const main = (window.liveSocket = sockets.find((s) => !s.sticky));
if (main) {
  main.subs = sockets.filter((s) => (s.main = s.sticky && main));
  // A page with uploads joins once their code is here (from the cache after the first time), so
  // that a joined page can always take files.
  Promise.all(sockets.map((s) => s.upl)).then(() => main.connect());
}
