// leptos-live's development companion, loaded only when the server runs under the edit loop
// (`cargo xtask dev`, which sets LEPTOS_LIVE_DEV). It asks the server for the loop's status a
// few times a second:
// - a failed build shows over the page, with the compiler's words, until the next good one;
// - while a build runs, a small badge says so;
// - when a new server process answers (the loop restarted it with the new code), the page's
//   styles are taken again from a fresh render of this URL, so that a change of classes or of
//   a stylesheet shows without a reload. The live page itself resumes over its socket with its
//   state (the shim does that) and the new code's HTML.
// Styles are set through the CSSOM, which a strict Content-Security-Policy allows.

const base = new URL(".", import.meta.url).pathname;
let process;
let overlay;
let badge;
// The failed build shown, and the one whose overlay was dismissed (a click on it, Escape).
let shown;
let dismissed;

function box(css) {
  const el = document.createElement("div");
  Object.assign(el.style, css);
  document.body.appendChild(el);
  return el;
}

function show(error, build) {
  if (build === dismissed) return hide();
  shown = build;
  if (!overlay) {
    overlay = box({
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto", padding: "24px",
      background: "rgba(15,23,42,.92)", color: "#fecaca", font: "13px/1.5 ui-monospace,monospace",
      whiteSpace: "pre-wrap",
    });
    overlay.id = "lv-dev-error";
    overlay.onclick = () => ((dismissed = shown), hide());
  }
  overlay.textContent = "Build failed (the page runs the last good build; click or Escape to hide this):\n\n" + error;
}

function hide() {
  overlay && overlay.remove();
  overlay = undefined;
}

function building(on) {
  if (on && !badge) {
    badge = box({
      position: "fixed", right: "12px", bottom: "12px", zIndex: "2147483647", padding: "4px 10px",
      borderRadius: "9999px", background: "#0f172a", color: "#fff", font: "12px system-ui,sans-serif",
    });
    badge.id = "lv-dev-building";
    badge.textContent = "rebuilding…";
  } else if (!on && badge) {
    badge.remove();
    badge = undefined;
  }
}

// The styles of a fresh render of this URL, in place of the page's: `<style>` texts by
// position, and stylesheet links fetched again.
async function restyle() {
  const html = await (await fetch(location.href, { cache: "no-store" })).text();
  const fresh = new DOMParser().parseFromString(html, "text/html");
  const now = [...document.head.querySelectorAll("style")];
  [...fresh.head.querySelectorAll("style")].forEach((s, i) => {
    if (now[i] && now[i].textContent !== s.textContent) now[i].textContent = s.textContent;
  });
  for (const link of document.querySelectorAll("link[rel=stylesheet]")) {
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin) continue;
    url.searchParams.set("lv-dev", process);
    const next = link.cloneNode();
    next.href = url.href;
    next.onload = () => link.remove();
    link.after(next);
  }
}

async function poll() {
  try {
    const res = await fetch(base + "dev/status", { cache: "no-store" });
    const { process: p, status } = await res.json();
    building(status.state === "building");
    if (status.state === "error") show(status.error || "", status.build);
    else hide();
    if (process && p !== process) {
      process = p;
      await restyle();
    }
    process = p;
  } catch {
    // The server is restarting: ask again.
  }
  setTimeout(poll, 250);
}

addEventListener("keydown", (e) => e.key === "Escape" && overlay && overlay.onclick());
poll();
