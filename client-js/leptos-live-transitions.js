// leptos-live's view transitions: loaded by the shim, on demand, when the page's
// <meta name="lv-view-transitions"> names this module (LiveRouter::view_transitions), so that
// apps without them never download it. The answer to a live navigation or patch is then
// applied inside document.startViewTransition: the browser animates from the old page to the
// new one (a cross-fade unless the app's CSS says otherwise). A browser without view
// transitions, or a user who prefers reduced motion, gets the update applied directly.

export const transitions = (socket) => {
  const apply = socket.onFrame;
  // The update of the transition under way, until it is applied: frames that come meanwhile
  // (the new page's first pushes) wait for it, in order, so that they patch the new page.
  let update = null;
  socket.onFrame = function (data) {
    if (update) return update.finally(() => this.onFrame(data));
    const nav = this.nav;
    let r;
    try {
      r = nav && JSON.parse(data)[0];
    } catch {}
    if (!nav || r !== nav.r || !document.startViewTransition || matchMedia("(prefers-reduced-motion: reduce)").matches) return apply.call(this, data);
    update = document.startViewTransition(() => apply.call(this, data)).updateCallbackDone.finally(() => (update = null));
  };
};
