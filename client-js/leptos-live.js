// leptos-live.js: the browser side of leptos-live. One ES module, no dependencies, no build step.
// It joins the page's socket, sends lv-* events, applies the server's DOM operations in order,
// keeps what the user is doing (focus, selection, typed value), reconnects and resumes, and asks
// for a resync whenever an operation does not fit the DOM. Protocol: engine/PROTOCOL.md.

const SVG_NS = "http://www.w3.org/2000/svg";
const FATAL = ["bad_token", "expired_token", "unknown_page", "page_crashed", "replaced", "mount_failed"];
const RELOAD = ["bad_token", "expired_token", "page_crashed", "mount_failed"];
const BACKOFF = [100, 250, 500, 1000, 2000, 5000];
const HEARTBEAT_MS = 25000;

class Mismatch extends Error {}

export class LiveSocket {
  constructor(root) {
    this.root = root;
    this.path = root.getAttribute("lv-socket") || "/live/socket";
    this.token = root.getAttribute("lv-token");
    this.ref = 0;
    this.version = 0;
    this.joinRef = 0;
    this.joined = false;
    this.tries = 0;
    this.queue = [];
    this.pending = new Map();
    this.closedByUs = false;
    this.latency = 0;
    this.bind();
  }

  // --- connection -------------------------------------------------------------------------

  connect() {
    this.closedByUs = false;
    this.setState("lv-loading");
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + this.path;
    const ws = (this.ws = new WebSocket(url));
    ws.onopen = () => {
      this.joinRef = this.send(["j", this.token, this.version], true);
    };
    ws.onmessage = (e) => this.delay(() => this.onFrame(e.data));
    ws.onclose = () => this.onClose(ws);
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
    this.joined = false;
    clearInterval(this.beat);
    this.root.classList.remove("lv-connected");
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
    const text = JSON.stringify([r, ...frame]);
    if (now || this.joined) this.delay(() => this.ws && this.ws.readyState === 1 && this.ws.send(text));
    else this.queue.push(text);
    return r;
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
    if (Array.isArray(x)) {
      this.version++;
      this.patch(x);
    } else if (x === "html") {
      this.version = f[3];
      this.withFocus(() => (this.root.innerHTML = f[2]));
    } else if (x === "err") {
      this.onError(r, f[2], f[3]);
    }
    if (r && r === this.joinRef && x !== "err") this.onJoined();
    this.settle(r);
  }

  onJoined() {
    this.joined = true;
    this.tries = 0;
    sessionStorage.removeItem("lv-reloads");
    this.setState("lv-connected");
    const q = this.queue.splice(0);
    for (const text of q) this.delay(() => this.ws.send(text));
    clearInterval(this.beat);
    this.beat = setInterval(() => this.send(["h"]), HEARTBEAT_MS);
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

  settle(r) {
    const p = this.pending.get(r);
    if (!p) return;
    this.pending.delete(r);
    p.el.classList.remove(p.cls);
  }

  // --- applying operations ----------------------------------------------------------------

  patch(ops) {
    try {
      this.withFocus(() => ops.forEach((op) => this.apply(op)));
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      console.warn("leptos-live: the DOM does not fit a patch; resyncing", e.message);
      this.send(["r"]);
    }
  }

  node(path) {
    let n = this.root;
    for (const i of path) {
      n = n.childNodes[i];
      if (!n) throw new Mismatch("no node at " + path);
    }
    return n;
  }

  element(path) {
    const n = this.node(path);
    if (n.nodeType !== 1) throw new Mismatch("not an element at " + path);
    return n;
  }

  fragment(html, parent) {
    const t = document.createElement("template");
    if (parent.namespaceURI === SVG_NS && parent.localName !== "foreignObject") {
      t.innerHTML = "<svg>" + html + "</svg>";
      const f = document.createDocumentFragment();
      f.append(...t.content.firstChild.childNodes);
      return f;
    }
    t.innerHTML = html;
    return t.content;
  }

  apply(op) {
    const [code, path, a, b] = op;
    switch (code) {
      case 0: {
        const n = this.node(path);
        if (n === this.root) throw new Mismatch("cannot replace the root");
        n.replaceWith(this.fragment(a, n.parentNode));
        break;
      }
      case 1: {
        const n = this.node(path);
        if (n.nodeType !== 3 && n.nodeType !== 8) throw new Mismatch("not text at " + path);
        n.data = a;
        const p = n.parentNode;
        if (p.localName === "textarea" && p !== document.activeElement) p.value = p.defaultValue;
        break;
      }
      case 2: {
        const el = this.element(path);
        el.setAttribute(a, b);
        this.syncProp(el, a, true, b);
        break;
      }
      case 3: {
        const el = this.element(path);
        el.removeAttribute(a);
        this.syncProp(el, a, false, "");
        break;
      }
      case 4: {
        const el = this.element(path);
        if (a > el.childNodes.length) throw new Mismatch("no child " + a + " at " + path);
        el.insertBefore(this.fragment(b, el), el.childNodes[a] || null);
        break;
      }
      case 5: {
        const n = this.node(path);
        if (n === this.root) throw new Mismatch("cannot remove the root");
        n.remove();
        break;
      }
      case 6: {
        const el = this.element(path);
        const n = el.childNodes[a];
        if (!n || b >= el.childNodes.length) throw new Mismatch("bad move at " + path);
        el.insertBefore(n, el.childNodes[b < a ? b : b + 1] || null);
        break;
      }
      default:
        throw new Mismatch("unknown operation " + code);
    }
  }

  // Attributes that also drive a live property: the server's word wins, except in the field the
  // user is typing in.
  syncProp(el, name, on, value) {
    if (el === document.activeElement) return;
    if (name === "value" && "value" in el && el.localName !== "li") el.value = value;
    else if (name === "checked") el.checked = on;
    else if (name === "selected") el.selected = on;
  }

  // Runs a DOM change and puts back focus, selection and the typed value if it moved.
  withFocus(fn) {
    const a = document.activeElement;
    const had = a && a !== document.body && this.root.contains(a);
    const saved = had && {
      id: a.id,
      name: a.getAttribute("name"),
      value: a.value,
      start: a.selectionStart,
      end: a.selectionEnd,
    };
    fn();
    if (!had || document.activeElement === a) return;
    let t = a.isConnected && this.root.contains(a) ? a : null;
    if (!t && saved.id) t = document.getElementById(saved.id);
    if (!t && saved.name) t = this.root.querySelector(`[name="${CSS.escape(saved.name)}"]`);
    if (!t) return;
    if (t !== a && "value" in t && saved.value !== undefined) t.value = saved.value;
    t.focus();
    try {
      if (saved.start != null) t.setSelectionRange(saved.start, saved.end);
    } catch {}
  }

  // --- events from the page ---------------------------------------------------------------

  push(el, kind, name, payload) {
    const r = this.send(["e", name, payload]);
    const cls = "lv-" + kind + "-loading";
    el.classList.add(cls);
    this.pending.set(r, { el, cls });
    return r;
  }

  values(el) {
    const v = {};
    for (const at of el.attributes) if (at.name.startsWith("lv-value-")) v[at.name.slice(9)] = at.value;
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

  bind() {
    const root = this.root;
    root.addEventListener("click", (e) => {
      const el = e.target.closest && e.target.closest("[lv-click]");
      if (!el || !root.contains(el)) return;
      this.push(el, "click", el.getAttribute("lv-click"), this.values(el));
    });
    root.addEventListener("submit", (e) => {
      const form = e.target;
      const name = form.getAttribute && form.getAttribute("lv-submit");
      if (!name) return;
      e.preventDefault();
      this.push(form, "submit", name, Object.assign(this.serialize(form), this.values(form)));
    });
    root.addEventListener("input", (e) => {
      const input = e.target;
      const own = input.getAttribute("lv-change");
      const form = input.form || input.closest("form");
      const name = own || (form && form.getAttribute("lv-change"));
      if (!name) return;
      const field = input.getAttribute("name");
      const payload = own || !form ? { [field || "value"]: input.value } : this.serialize(form);
      payload._target = field;
      this.push(own ? input : form, "change", name, payload);
    });
  }
}

const root = document.querySelector("[lv-token]");
if (root) {
  const socket = new LiveSocket(root);
  window.liveSocket = socket;
  socket.connect();
}
