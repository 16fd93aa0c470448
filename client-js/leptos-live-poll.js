// leptos-live's long-poll transport: loaded by the shim, on demand, when its WebSocket cannot get
// through. It speaks the same frames as the socket, over HTTP, behind the socket's interface
// (send, close, readyState, onopen, onmessage, onclose): one POST at a time carries client
// frames up ("\n" between them, or one upload chunk as its binary body), and one GET at a time
// waits for the server's. Any failed request closes it, as a dropped socket closes: the shim
// joins again and resumes.
export class LongPoll {
  // path: the socket's (`/live/socket`); polls go to its sibling `/live/poll`.
  constructor(path) {
    this.url = path.replace(/\w+$/, "poll");
    this.readyState = 0;
    this.q = [];
    this.busy = 0;
    this.stop = new AbortController();
    // A page that unloads ends its session at once (a socket closes with its page; a poll
    // session would wait for its heartbeat to run out), so that its presence goes with it.
    addEventListener("pagehide", () => this.close());
    this.req("", { method: "POST" })
      .then((r) => r.text())
      .then((s) => {
        this.at = "?s=" + s;
        this.readyState = 1;
        // The choice holds for this tab for five minutes: pages loaded meanwhile skip the
        // WebSocket; the first one after tries it again.
        sessionStorage.setItem("lv-poll", Date.now() + 3e5);
        this.onopen();
        this.flush();
        this.poll();
      }, () => this.close());
  }

  req(q, o) {
    return fetch(this.url + q, { ...o, cache: "no-store", signal: this.stop.signal }).then((r) => (r.ok ? r : Promise.reject(r.status)));
  }

  send(d) {
    this.q.push(d);
    this.flush();
  }

  // Sends what waits, in order: text frames together (up to 64 KiB), a chunk alone.
  flush() {
    if (this.busy || !this.q.length || this.readyState !== 1) return;
    let body = this.q.shift();
    if (typeof body === "string")
      while (typeof this.q[0] === "string" && body.length + this.q[0].length < 65536) body += "\n" + this.q.shift();
    this.busy = 1;
    const bin = typeof body !== "string";
    this.req(this.at, { method: "POST", body, headers: { "content-type": bin ? "application/octet-stream" : "text/plain" } }).then(() => {
      this.busy = 0;
      this.flush();
    }, () => this.close());
  }

  async poll() {
    while (this.readyState === 1)
      try {
        const t = await (await this.req(this.at)).text();
        for (const data of t ? t.split("\n") : []) if (this.readyState === 1) this.onmessage({ data });
      } catch {
        return this.close();
      }
  }

  close() {
    if (this.readyState === 3) return;
    const open = this.readyState === 1;
    this.readyState = 3;
    this.stop.abort();
    if (open) fetch(this.url + this.at, { method: "DELETE", keepalive: true }).catch(() => {});
    this.onclose();
  }
}
