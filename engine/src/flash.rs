//! Flash: short messages for the user (done, failed) that a page shows until they are dismissed
//! and that travel with one navigation or redirect.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::wire::token::{fresh, open, sign};

/// What a flash message says about what just happened.
///
/// ```
/// use leptos_live::FlashKind;
/// assert_eq!(FlashKind::Error.as_str(), "error");
/// assert_eq!(FlashKind::parse("info"), Some(FlashKind::Info));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlashKind {
    /// Something went as asked.
    Info,
    /// Something failed or was refused.
    Error,
}

impl FlashKind {
    /// The kind's name, as templates and the `lv:clear-flash` event use it.
    ///
    /// ```
    /// assert_eq!(leptos_live::FlashKind::Info.as_str(), "info");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            FlashKind::Info => "info",
            FlashKind::Error => "error",
        }
    }

    /// The kind named `name`.
    ///
    /// ```
    /// use leptos_live::FlashKind;
    /// assert_eq!(FlashKind::parse("error"), Some(FlashKind::Error));
    /// assert_eq!(FlashKind::parse("warning"), None);
    /// ```
    pub fn parse(name: &str) -> Option<FlashKind> {
        match name {
            "info" => Some(FlashKind::Info),
            "error" => Some(FlashKind::Error),
            _ => None,
        }
    }
}

/// The flash messages of a page: at most one per kind.
///
/// A page sets them with [`crate::Ctx::put_flash`]; its view reads them with [`flash`] (the
/// `Flash` component of `leptos_live_components` does), so they show in the HTTP render and in
/// the live page alike.
///
/// ```
/// use leptos_live::FlashKind;
/// use leptos_live::flash::Flash;
/// let mut f = Flash::default();
/// f.put(FlashKind::Info, "Saved");
/// assert_eq!(f.get(FlashKind::Info), Some("Saved"));
/// assert_eq!(f.iter().count(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Flash(BTreeMap<FlashKind, String>);

impl Flash {
    /// The message of `kind`.
    ///
    /// ```
    /// use leptos_live::{FlashKind, flash::Flash};
    /// let mut f = Flash::default();
    /// f.put(FlashKind::Error, "Not saved.");
    /// assert_eq!(f.get(FlashKind::Error), Some("Not saved."));
    /// assert_eq!(f.get(FlashKind::Info), None);
    /// ```
    pub fn get(&self, kind: FlashKind) -> Option<&str> {
        self.0.get(&kind).map(String::as_str)
    }

    /// Sets the message of `kind`, replacing the one before.
    ///
    /// ```
    /// use leptos_live::{FlashKind, flash::Flash};
    /// let mut f = Flash::default();
    /// f.put(FlashKind::Info, "Saved.");
    /// f.put(FlashKind::Info, "Saved again.");
    /// assert_eq!(f.get(FlashKind::Info), Some("Saved again."));
    /// ```
    pub fn put(&mut self, kind: FlashKind, message: impl Into<String>) {
        self.0.insert(kind, message.into());
    }

    /// Removes the message of `kind`.
    ///
    /// ```
    /// use leptos_live::{FlashKind, flash::Flash};
    /// let mut f = Flash::default();
    /// f.put(FlashKind::Info, "Saved.");
    /// f.put(FlashKind::Error, "But late.");
    /// f.clear(FlashKind::Info);
    /// assert_eq!(f.iter().count(), 1);
    /// ```
    pub fn clear(&mut self, kind: FlashKind) {
        self.0.remove(&kind);
    }

    /// Removes every message.
    ///
    /// ```
    /// use leptos_live::{FlashKind, flash::Flash};
    /// let mut f = Flash::default();
    /// f.put(FlashKind::Info, "Saved.");
    /// f.clear_all();
    /// assert!(f.is_empty());
    /// ```
    pub fn clear_all(&mut self) {
        self.0.clear();
    }

    /// Whether there is no message.
    ///
    /// ```
    /// assert!(leptos_live::flash::Flash::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages, errors last.
    ///
    /// ```
    /// use leptos_live::{FlashKind, flash::Flash};
    /// let mut f = Flash::default();
    /// f.put(FlashKind::Error, "Failed.");
    /// f.put(FlashKind::Info, "Sent.");
    /// let kinds: Vec<FlashKind> = f.iter().map(|(kind, _)| kind).collect();
    /// assert_eq!(kinds, [FlashKind::Info, FlashKind::Error]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (FlashKind, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// Adds the messages of `other`, which win over these.
    pub(crate) fn merge(&mut self, other: Flash) {
        self.0.extend(other.0);
    }
}

/// The flash of the page being rendered: call it inside a page's (or its components') view.
/// Empty outside a render.
///
/// ```
/// use leptos::prelude::*;
/// fn messages() -> impl IntoView {
///     leptos_live::flash::flash()
///         .iter()
///         .map(|(kind, msg)| view! { <p class=kind.as_str()>{msg.to_string()}</p> })
///         .collect_view()
/// }
/// ```
pub fn flash() -> Flash {
    leptos::prelude::use_context::<Flash>().unwrap_or_default()
}

/// The event that dismisses a flash message: `lv-click="lv:clear-flash" lv-value-kind="info"`.
/// The engine handles it; the page never sees it.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::flash::{flash, CLEAR_FLASH};
/// fn dismissable() -> impl IntoView {
///     flash().iter().map(|(kind, msg)| view! {
///         <p class=kind.as_str()>{msg.to_string()}
///             <button lv-click=CLEAR_FLASH lv-value-kind=kind.as_str()>"×"</button>
///         </p>
///     }).collect_view()
/// }
/// # let _ = dismissable;
/// ```
pub const CLEAR_FLASH: &str = "lv:clear-flash";

/// The cookie that carries a flash across a full page load (`ctx.redirect`, or an `on_mount`
/// check that refused the page).
pub(crate) const COOKIE_NAME: &str = "lv_flash";

/// How long a carried flash stays valid: it is meant for the very next page.
const MAX_AGE_SECS: u64 = 60;

#[derive(Serialize, Deserialize)]
struct Carried {
    #[serde(rename = "f")]
    flash: Flash,
    #[serde(rename = "t")]
    issued: u64,
}

/// A signed, short-lived copy of `flash`, for the client to hand back with its next
/// navigation (the socket) or request (the cookie). The client cannot forge a message.
pub(crate) fn seal(flash: &Flash, secret: &[u8], now: u64) -> String {
    sign(
        &Carried {
            flash: flash.clone(),
            issued: now,
        },
        secret,
    )
}

/// The flash in a sealed copy, when its signature holds and it is fresh.
pub(crate) fn unseal(sealed: &str, secret: &[u8], now: u64) -> Option<Flash> {
    let carried: Carried = open(sealed, secret).ok()?;
    fresh(carried.issued, MAX_AGE_SECS, now).then_some(carried.flash)
}

/// A `Set-Cookie` value that carries `flash` to the next request, or clears the cookie.
pub(crate) fn cookie(sealed: Option<&str>) -> String {
    match sealed {
        Some(v) => format!("{COOKIE_NAME}={v}; Path=/; Max-Age={MAX_AGE_SECS}; SameSite=Lax"),
        None => format!("{COOKIE_NAME}=; Path=/; Max-Age=0; SameSite=Lax"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn a_sealed_flash_opens_once_fresh_and_never_forged() {
        let mut f = Flash::default();
        f.put(FlashKind::Error, "no entry");
        let sealed = seal(&f, b"k", 1000);
        assert_eq!(unseal(&sealed, b"k", 1030), Some(f.clone()));
        assert_eq!(unseal(&sealed, b"k", 1100), None);
        assert_eq!(unseal(&sealed, b"other", 1030), None);
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE_NAME}={sealed}")).unwrap(),
        );
        let carried = crate::params::cookie(&h, COOKIE_NAME).and_then(|v| unseal(v, b"k", 1001));
        assert_eq!(carried, Some(f));
        assert!(cookie(None).contains("Max-Age=0"));
    }
}
