// leptos-live's uploads: loaded by the shim, on demand, the first time its page shows an
// lv-upload input, so that pages without uploads never download it. Its methods join the
// shim's LiveSocket (`this` is the socket): picking and dropping files, previews, chunked
// sending with acknowledgements, resuming after a rejoin and the submit that follows the last
// chunk. The socket keeps the entries (`up`) and preview URLs (`urls`) and routes the frames.

// the frames this module sends (the shim names them all with JOIN):
const [EVENT, UPLOAD] = ["e", "u"];
// the server's answers to chunks (upload_ack_frame, upload_end_frame):
const [UPLOAD_ACK, UPLOAD_END] = ["uk", "uf"];
// an upload chunk's binary frame kind and header length (protocol::Chunk):
const [CHUNK, CHUNK_HEADER] = [1, 13];
// the event that cancels an upload entry:
const CANCEL_UPLOAD = "lv:cancel-upload";

export const Uploads = {
  // Files picked or dropped for input's upload: announced with their names, sizes and types;
  // the server checks them and answers each one's entry id (0 when refused). What this script
  // finds too large, of a type not accepted or past the count is never sent either.
  pick(input, files) {
    const a = (n) => +input.getAttribute("lv-" + n);
    const types = input.accept.toLowerCase().split(",").map((t) => t.trim()).filter(Boolean);
    const fits = (f, i) =>
      i < a("max-entries") &&
      f.size <= a("max-size") &&
      (!types.length || types.some((t) => (t[0] === "." ? f.name.toLowerCase().endsWith(t) : t.endsWith("/*") ? f.type.startsWith(t.slice(0, -1)) : f.type === t)));
    const name = input.getAttribute("lv-upload");
    const r = this.send([UPLOAD, name, files.map((f) => [f.name, f.size, f.type])]);
    this.pending.set(r, {
      undo: [],
      resolve: (ids) => {
        ids.forEach((id, i) => {
          const f = files[i];
          if (!id) return;
          if (!fits(f, i)) return this.send([EVENT, CANCEL_UPLOAD, { ref: id }]);
          this.up.set(id, { f, name, at: 0, chunk: a("chunk") || 65536 });
          if (/^image\//.test(f.type)) this.urls.set(id, URL.createObjectURL(f));
          if (input.hasAttribute("lv-auto")) this.next(id);
        });
        this.previews();
      },
    });
    input.value = "";
  },

  // Sends entry id's next chunk, once the last is written: [1][id: u32][offset: u64][bytes].
  next(id) {
    const u = this.up.get(id);
    if (!u || u.busy || !this.joined) return;
    const end = (u.busy = Math.min(u.at + u.chunk, u.f.size));
    const h = new DataView(new ArrayBuffer(CHUNK_HEADER));
    h.setUint8(0, CHUNK);
    h.setUint32(1, id);
    h.setBigUint64(5, BigInt(u.at));
    u.go = 1;
    this.ws.send(new Blob([h, u.f.slice(u.at, end)]));
  },

  // [0,"uk",id,bytes]: written so far; [0,"uf",id,code]: the entry takes no more.
  acked(x, id, n) {
    const u = this.up.get(id);
    if (!u) return;
    if (x === UPLOAD_ACK) u.at = n;
    if (x === UPLOAD_END || n >= u.f.size) {
      this.up.delete(id);
      if (u.done) u.done();
    } else if (n >= u.busy) {
      u.busy = 0;
      this.next(id);
    }
  },

  // Uploads of form's inputs still to send go first; then fn.
  flush(form, fn) {
    const names = [...form.querySelectorAll("[lv-upload]")].map((i) => i.getAttribute("lv-upload"));
    const left = [...this.up].filter(([, u]) => names.includes(u.name));
    let n = left.length;
    if (!n) return fn();
    for (const [id, u] of left) {
      u.go = u.done = () => --n || fn();
      this.next(id);
    }
  },

  // Images of picked files, from memory (lv-preview="id"); URLs no image shows are let go.
  previews() {
    for (const img of this.all("lv-preview")) {
      const url = this.urls.get(+img.getAttribute("lv-preview"));
      if (url && !img.getAttribute("src")) img.src = url;
    }
    for (const [id, url] of this.urls)
      if (!this.up.has(id) && !this.root.querySelector(`[lv-preview="${id}"]`)) {
        URL.revokeObjectURL(url);
        this.urls.delete(id);
      }
  },
};
