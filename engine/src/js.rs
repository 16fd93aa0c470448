//! `JS`: client-side commands, run by the shim without a round trip to the server.
//!
//! A `JS` value renders (with `to_string()`) into a binding attribute such as `lv-click`; when
//! the binding fires, the shim runs the commands in order. Their effects on classes, attributes
//! and visibility are sticky: later patches from the server keep them.
//!
//! ```
//! use leptos::prelude::*;
//! use leptos_live::JS;
//! let open = JS::new().show("#menu").add_class("#menu-button", "active").push("opened");
//! let html = view! { <button lv-click=open.to_string()>"Menu"</button> }.to_html();
//! assert!(html.contains("lv-click=\"[[&quot;show&quot;"));
//! ```

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value, json};

/// A transition: classes applied while it runs, at its start and at its end, and its length.
///
/// ```
/// use leptos_live::js::Transition;
/// let fade = Transition::new("transition-opacity duration-200", "opacity-0", "opacity-100");
/// assert_eq!(fade.time_ms, 200);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// Classes present for the whole transition.
    pub running: String,
    /// Classes at its start.
    pub start: String,
    /// Classes at its end.
    pub end: String,
    /// Its length in milliseconds (default 200).
    pub time_ms: u32,
}

impl Transition {
    /// A transition of 200 ms.
    ///
    /// ```
    /// use leptos_live::js::Transition;
    /// let slide = Transition::new("transition-transform duration-300", "translate-x-full", "translate-x-0");
    /// assert_eq!(slide.time_ms, 200); // the length: set it with `time`
    /// ```
    pub fn new(running: &str, start: &str, end: &str) -> Self {
        Transition {
            running: running.into(),
            start: start.into(),
            end: end.into(),
            time_ms: 200,
        }
    }

    /// Sets its length.
    ///
    /// ```
    /// use leptos_live::js::Transition;
    /// let slow = Transition::new("transition-opacity duration-500", "opacity-0", "opacity-100").time(500);
    /// assert_eq!(slow.time_ms, 500);
    /// ```
    pub fn time(mut self, ms: u32) -> Self {
        self.time_ms = ms;
        self
    }

    fn value(&self) -> Value {
        json!([self.running, self.start, self.end])
    }
}

/// A list of client-side commands; builder methods append one each.
///
/// `to` is a CSS selector for the elements a command acts on; the `*_self` forms act on the
/// element whose binding fired.
///
/// ```
/// use leptos_live::JS;
/// let close = JS::new().hide("#dialog").pop_focus();
/// let open = JS::new().show("#dialog").push_focus(None).focus_first("#dialog");
/// assert_ne!(open, close);
/// assert!(open.to_string().starts_with(r##"[["show",{"to":"#dialog"}]"##));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JS(Vec<Value>);

fn args(to: Option<&str>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(to) = to {
        m.insert("to".into(), Value::String(to.into()));
    }
    m
}

impl JS {
    /// No commands yet.
    ///
    /// ```
    /// assert_eq!(leptos_live::JS::new().to_string(), "[]");
    /// ```
    pub fn new() -> Self {
        JS(Vec::new())
    }

    fn cmd(mut self, kind: &str, args: Map<String, Value>) -> Self {
        self.0.push(json!([kind, Value::Object(args)]));
        self
    }

    fn visibility(
        self,
        kind: &str,
        to: Option<&str>,
        display: Option<&str>,
        t: Option<&Transition>,
    ) -> Self {
        let mut a = args(to);
        if let Some(d) = display {
            a.insert("display".into(), d.into());
        }
        if let Some(t) = t {
            a.insert("transition".into(), t.value());
            a.insert("time".into(), t.time_ms.into());
        }
        self.cmd(kind, a)
    }

    /// Shows the elements (`display` back to the stylesheet's value).
    ///
    /// ```
    /// let open = leptos_live::JS::new().show("#menu");
    /// assert_eq!(open.to_string(), r##"[["show",{"to":"#menu"}]]"##);
    /// ```
    pub fn show(self, to: &str) -> Self {
        self.visibility("show", Some(to), None, None)
    }

    /// Shows the elements with a `display` value and a transition.
    ///
    /// ```
    /// use leptos_live::{JS, js::Transition};
    /// let fade = Transition::new("transition-opacity", "opacity-0", "opacity-100");
    /// let open = JS::new().show_with("#dialog", Some("flex"), Some(&fade));
    /// assert!(open.to_string().contains(r#""display":"flex""#));
    /// ```
    pub fn show_with(
        self,
        to: &str,
        display: Option<&str>,
        transition: Option<&Transition>,
    ) -> Self {
        self.visibility("show", Some(to), display, transition)
    }

    /// Hides the elements (`display: none`).
    ///
    /// ```
    /// let close = leptos_live::JS::new().hide("#menu");
    /// assert_eq!(close.to_string(), r##"[["hide",{"to":"#menu"}]]"##);
    /// ```
    pub fn hide(self, to: &str) -> Self {
        self.visibility("hide", Some(to), None, None)
    }

    /// Hides the elements after a transition.
    ///
    /// ```
    /// use leptos_live::{JS, js::Transition};
    /// let fade = Transition::new("transition-opacity", "opacity-100", "opacity-0");
    /// let close = JS::new().hide_with("#toast", Some(&fade));
    /// assert!(close.to_string().contains("transition"));
    /// ```
    pub fn hide_with(self, to: &str, transition: Option<&Transition>) -> Self {
        self.visibility("hide", Some(to), None, transition)
    }

    /// Shows hidden elements and hides shown ones.
    ///
    /// ```
    /// let menu = leptos_live::JS::new().toggle("#menu");
    /// assert!(menu.to_string().starts_with(r#"[["toggle""#));
    /// ```
    pub fn toggle(self, to: &str) -> Self {
        self.visibility("toggle", Some(to), None, None)
    }

    /// Toggles with a `display` value and transitions in and out.
    ///
    /// ```
    /// use leptos_live::{JS, js::Transition};
    /// let fade = Transition::new("transition-opacity", "opacity-0", "opacity-100");
    /// let menu = JS::new().toggle_with("#menu", Some("block"), Some(&fade));
    /// assert!(menu.to_string().starts_with(r#"[["toggle""#));
    /// ```
    pub fn toggle_with(
        self,
        to: &str,
        display: Option<&str>,
        transition: Option<&Transition>,
    ) -> Self {
        self.visibility("toggle", Some(to), display, transition)
    }

    fn classes(self, kind: &str, to: Option<&str>, names: &str) -> Self {
        let mut a = args(to);
        a.insert("names".into(), names.into());
        self.cmd(kind, a)
    }

    /// Adds classes (space-separated) to the elements.
    ///
    /// ```
    /// let js = leptos_live::JS::new().add_class("#menu-button", "active ring");
    /// assert!(js.to_string().contains(r#""names":"active ring""#));
    /// ```
    pub fn add_class(self, to: &str, names: &str) -> Self {
        self.classes("add_class", Some(to), names)
    }

    /// Adds classes to the element whose binding fired.
    ///
    /// ```
    /// let js = leptos_live::JS::new().add_class_self("pressed");
    /// assert!(!js.to_string().contains(r#""to""#));
    /// ```
    pub fn add_class_self(self, names: &str) -> Self {
        self.classes("add_class", None, names)
    }

    /// Removes classes from the elements.
    ///
    /// ```
    /// let js = leptos_live::JS::new().remove_class("#menu-button", "active");
    /// assert!(js.to_string().contains("remove_class"));
    /// ```
    pub fn remove_class(self, to: &str, names: &str) -> Self {
        self.classes("remove_class", Some(to), names)
    }

    /// Toggles classes on the elements.
    ///
    /// ```
    /// let js = leptos_live::JS::new().toggle_class("body", "dark");
    /// assert!(js.to_string().contains("toggle_class"));
    /// ```
    pub fn toggle_class(self, to: &str, names: &str) -> Self {
        self.classes("toggle_class", Some(to), names)
    }

    /// Runs a transition on the elements.
    ///
    /// ```
    /// use leptos_live::{JS, js::Transition};
    /// let shake = Transition::new("animate-shake", "", "").time(300);
    /// let js = JS::new().transition("#form", &shake);
    /// assert!(js.to_string().contains("300"));
    /// ```
    pub fn transition(self, to: &str, transition: &Transition) -> Self {
        let mut a = args(Some(to));
        a.insert("transition".into(), transition.value());
        a.insert("time".into(), transition.time_ms.into());
        self.cmd("transition", a)
    }

    /// Sets an attribute on the elements.
    ///
    /// ```
    /// let js = leptos_live::JS::new().set_attribute("#menu-button", "aria-expanded", "true");
    /// assert!(js.to_string().contains("aria-expanded"));
    /// ```
    pub fn set_attribute(self, to: &str, name: &str, value: &str) -> Self {
        let mut a = args(Some(to));
        a.insert("attr".into(), json!([name, value]));
        self.cmd("set_attribute", a)
    }

    /// Removes an attribute from the elements.
    ///
    /// ```
    /// let js = leptos_live::JS::new().remove_attribute("#save", "disabled");
    /// assert!(js.to_string().contains("disabled"));
    /// ```
    pub fn remove_attribute(self, to: &str, name: &str) -> Self {
        let mut a = args(Some(to));
        a.insert("attr".into(), name.into());
        self.cmd("remove_attribute", a)
    }

    /// Sets the attribute to `on` when it is absent or has another value, else to `off` (or
    /// removes it when `off` is `None`).
    ///
    /// ```
    /// let js = leptos_live::JS::new().toggle_attribute("#menu-button", "aria-expanded", "true", Some("false"));
    /// assert!(js.to_string().contains("aria-expanded"));
    /// ```
    pub fn toggle_attribute(self, to: &str, name: &str, on: &str, off: Option<&str>) -> Self {
        let mut a = args(Some(to));
        a.insert("attr".into(), json!([name, on, off]));
        self.cmd("toggle_attribute", a)
    }

    /// Keeps the browser's own values of these attributes (space-separated) through patches.
    ///
    /// ```
    /// // A <details> the user opened stays open whatever the server renders.
    /// let js = leptos_live::JS::new().ignore_attributes("details", "open");
    /// assert!(js.to_string().contains("open"));
    /// ```
    pub fn ignore_attributes(self, to: &str, names: &str) -> Self {
        self.classes("ignore_attributes", Some(to), names)
    }

    /// Sends an event to the server, as a binding would.
    ///
    /// ```
    /// let js = leptos_live::JS::new().hide("#menu").push("menu_closed");
    /// assert!(js.to_string().ends_with(r#"["push",{"event":"menu_closed"}]]"#));
    /// ```
    pub fn push(self, event: &str) -> Self {
        let mut a = Map::new();
        a.insert("event".into(), event.into());
        self.cmd("push", a)
    }

    /// Sends an event with values merged into the payload, and `lv-<kind>-loading` classes on the
    /// elements `loading` selects until the reply (and `lv-<kind>-slow` once it has been in flight
    /// for 100 ms).
    ///
    /// ```
    /// let js = leptos_live::JS::new().push_with("pick", serde_json::json!({ "id": 7 }), Some("#list"));
    /// assert!(js.to_string().contains(r#""id":7"#));
    /// ```
    pub fn push_with(self, event: &str, value: impl Serialize, loading: Option<&str>) -> Self {
        let mut a = Map::new();
        a.insert("event".into(), event.into());
        a.insert(
            "value".into(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        if let Some(l) = loading {
            a.insert("loading".into(), l.into());
        }
        self.cmd("push", a)
    }

    /// Dispatches a DOM event (bubbling) with `detail` on the elements.
    ///
    /// ```
    /// // window.addEventListener("copy-link", (e) => navigator.clipboard.writeText(e.detail.url))
    /// let js = leptos_live::JS::new().dispatch("#share", "copy-link", serde_json::json!({ "url": "/rooms/lobby" }));
    /// assert!(js.to_string().contains("copy-link"));
    /// ```
    pub fn dispatch(self, to: &str, event: &str, detail: impl Serialize) -> Self {
        let mut a = args(Some(to));
        a.insert("event".into(), event.into());
        a.insert(
            "detail".into(),
            serde_json::to_value(detail).unwrap_or(Value::Null),
        );
        self.cmd("dispatch", a)
    }

    /// Focuses the element.
    ///
    /// ```
    /// let js = leptos_live::JS::new().show("#search").focus("#search input");
    /// assert!(js.to_string().contains("focus"));
    /// ```
    pub fn focus(self, to: &str) -> Self {
        self.cmd("focus", args(Some(to)))
    }

    /// Focuses the first focusable element inside the element.
    ///
    /// ```
    /// let js = leptos_live::JS::new().show("#dialog").focus_first("#dialog");
    /// assert!(js.to_string().contains("focus_first"));
    /// ```
    pub fn focus_first(self, to: &str) -> Self {
        self.cmd("focus_first", args(Some(to)))
    }

    /// Remembers the focused element (or `to`) for a later [`JS::pop_focus`].
    ///
    /// ```
    /// // Remember where the focus was (the button that opened the dialog), then move it.
    /// let open = leptos_live::JS::new().push_focus(None).show("#dialog").focus_first("#dialog");
    /// assert!(open.to_string().starts_with(r#"[["push_focus""#));
    /// ```
    pub fn push_focus(self, to: Option<&str>) -> Self {
        self.cmd("push_focus", args(to))
    }

    /// Focuses the element last remembered by [`JS::push_focus`].
    ///
    /// ```
    /// let close = leptos_live::JS::new().hide("#dialog").pop_focus();
    /// assert!(close.to_string().contains("pop_focus"));
    /// ```
    pub fn pop_focus(self) -> Self {
        self.cmd("pop_focus", Map::new())
    }

    /// Runs the commands in attribute `attr` of the element `to` (or of the element whose binding
    /// fired).
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::JS;
    /// // The dialog keeps how it closes; Escape and its button both run it.
    /// let close = JS::new().hide("#dialog").pop_focus();
    /// let html = view! {
    ///     <div id="dialog" data-close=close.to_string()>
    ///         <button lv-click=JS::new().exec("data-close", Some("#dialog")).to_string()>"Close"</button>
    ///     </div>
    /// }.to_html();
    /// assert!(html.contains("data-close"));
    /// ```
    pub fn exec(self, attr: &str, to: Option<&str>) -> Self {
        let mut a = args(to);
        a.insert("attr".into(), attr.into());
        self.cmd("exec", a)
    }

    /// These commands, then `other`'s.
    ///
    /// ```
    /// use leptos_live::JS;
    /// let both = JS::new().hide("#a").concat(JS::new().show("#b"));
    /// assert_eq!(both, JS::new().hide("#a").show("#b"));
    /// ```
    pub fn concat(mut self, other: JS) -> Self {
        self.0.extend(other.0);
        self
    }
}

impl fmt::Display for JS {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Value::Array(self.0.clone()).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_render_as_json() {
        let js = JS::new()
            .toggle("#m")
            .set_attribute("#b", "aria-expanded", "true")
            .push("x");
        assert_eq!(
            js.to_string(),
            r##"[["toggle",{"to":"#m"}],["set_attribute",{"attr":["aria-expanded","true"],"to":"#b"}],["push",{"event":"x"}]]"##
        );
        assert_eq!(
            JS::new().pop_focus().concat(JS::new().focus("#a")).0.len(),
            2
        );
    }
}
