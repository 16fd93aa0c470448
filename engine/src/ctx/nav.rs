//! Where a callback sends the browser: patches, navigations and redirects.

use super::Ctx;
use crate::view::LiveView;
use crate::wire::pushed::Nav;

impl<V: LiveView> Ctx<V> {
    /// Changes the page's URL to `url` (a path and query on this site) without mounting
    /// again: `handle_params` runs with the new params, and the browser adds a history entry.
    /// A URL of another route becomes a [`Ctx::push_navigate`].
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.push_patch("/rooms/lobby?tab=members");
    /// # }
    /// ```
    pub fn push_patch(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Patch {
            to: url.into(),
            replace: false,
        });
    }

    /// Like [`Ctx::push_patch`], replacing the current history entry.
    pub fn replace_patch(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Patch {
            to: url.into(),
            replace: true,
        });
    }

    /// Ends this page and mounts the live page at `url` over the same socket, with no document
    /// load; the flash this page put goes along. A URL outside this page's live session, or
    /// not live at all, is loaded in full instead.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.push_navigate("/rooms/lobby");
    /// # }
    /// ```
    pub fn push_navigate(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Navigate {
            to: url.into(),
            replace: false,
        });
    }

    /// Like [`Ctx::push_navigate`], replacing the current history entry.
    pub fn replace_navigate(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Navigate {
            to: url.into(),
            replace: true,
        });
    }

    /// Sends the browser to `url`, a path on this site, with a full page load; the flash this
    /// page put goes along (in a signed cookie). A URL on another origin is refused with an
    /// error in the log: use [`Ctx::redirect_external`] for those.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.redirect("/login");
    /// # }
    /// ```
    pub fn redirect(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Redirect {
            to: url.into(),
            external: false,
        });
    }

    /// Sends the browser to `url`, which may be on another origin, with a full page load.
    pub fn redirect_external(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Redirect {
            to: url.into(),
            external: true,
        });
    }

    fn set_nav(&mut self, nav: Nav) {
        let local = matches!(nav, Nav::Redirect { external: true, .. })
            || crate::wire::url::local_uri(nav.to()).is_ok();
        if local {
            self.pushed.nav = Some(nav);
        } else {
            tracing::error!(
                url = nav.to(),
                "refused to leave for a URL that is not a path on this site; use redirect_external"
            );
        }
    }
}
