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
    pub fn new(running: &str, start: &str, end: &str) -> Self {
        Transition {
            running: running.into(),
            start: start.into(),
            end: end.into(),
            time_ms: 200,
        }
    }

    /// Sets its length.
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
    pub fn show(self, to: &str) -> Self {
        self.visibility("show", Some(to), None, None)
    }

    /// Shows the elements with a `display` value and a transition.
    pub fn show_with(
        self,
        to: &str,
        display: Option<&str>,
        transition: Option<&Transition>,
    ) -> Self {
        self.visibility("show", Some(to), display, transition)
    }

    /// Hides the elements (`display: none`).
    pub fn hide(self, to: &str) -> Self {
        self.visibility("hide", Some(to), None, None)
    }

    /// Hides the elements after a transition.
    pub fn hide_with(self, to: &str, transition: Option<&Transition>) -> Self {
        self.visibility("hide", Some(to), None, transition)
    }

    /// Shows hidden elements and hides shown ones.
    pub fn toggle(self, to: &str) -> Self {
        self.visibility("toggle", Some(to), None, None)
    }

    /// Toggles with a `display` value and transitions in and out.
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
    pub fn add_class(self, to: &str, names: &str) -> Self {
        self.classes("add_class", Some(to), names)
    }

    /// Adds classes to the element whose binding fired.
    pub fn add_class_self(self, names: &str) -> Self {
        self.classes("add_class", None, names)
    }

    /// Removes classes from the elements.
    pub fn remove_class(self, to: &str, names: &str) -> Self {
        self.classes("remove_class", Some(to), names)
    }

    /// Toggles classes on the elements.
    pub fn toggle_class(self, to: &str, names: &str) -> Self {
        self.classes("toggle_class", Some(to), names)
    }

    /// Runs a transition on the elements.
    pub fn transition(self, to: &str, transition: &Transition) -> Self {
        let mut a = args(Some(to));
        a.insert("transition".into(), transition.value());
        a.insert("time".into(), transition.time_ms.into());
        self.cmd("transition", a)
    }

    /// Sets an attribute on the elements.
    pub fn set_attribute(self, to: &str, name: &str, value: &str) -> Self {
        let mut a = args(Some(to));
        a.insert("attr".into(), json!([name, value]));
        self.cmd("set_attribute", a)
    }

    /// Removes an attribute from the elements.
    pub fn remove_attribute(self, to: &str, name: &str) -> Self {
        let mut a = args(Some(to));
        a.insert("attr".into(), name.into());
        self.cmd("remove_attribute", a)
    }

    /// Sets the attribute to `on` when it is absent or has another value, else to `off` (or
    /// removes it when `off` is `None`).
    pub fn toggle_attribute(self, to: &str, name: &str, on: &str, off: Option<&str>) -> Self {
        let mut a = args(Some(to));
        a.insert("attr".into(), json!([name, on, off]));
        self.cmd("toggle_attribute", a)
    }

    /// Keeps the browser's own values of these attributes (space-separated) through patches.
    pub fn ignore_attributes(self, to: &str, names: &str) -> Self {
        self.classes("ignore_attributes", Some(to), names)
    }

    /// Sends an event to the server, as a binding would.
    pub fn push(self, event: &str) -> Self {
        let mut a = Map::new();
        a.insert("event".into(), event.into());
        self.cmd("push", a)
    }

    /// Sends an event with values merged into the payload, and `lv-<kind>-loading` classes on the
    /// elements `loading` selects until the reply (and `lv-<kind>-slow` once it has been in flight
    /// for 100 ms).
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
    pub fn focus(self, to: &str) -> Self {
        self.cmd("focus", args(Some(to)))
    }

    /// Focuses the first focusable element inside the element.
    pub fn focus_first(self, to: &str) -> Self {
        self.cmd("focus_first", args(Some(to)))
    }

    /// Remembers the focused element (or `to`) for a later [`JS::pop_focus`].
    pub fn push_focus(self, to: Option<&str>) -> Self {
        self.cmd("push_focus", args(to))
    }

    /// Focuses the element last remembered by [`JS::push_focus`].
    pub fn pop_focus(self) -> Self {
        self.cmd("pop_focus", Map::new())
    }

    /// Runs the commands in attribute `attr` of the element `to` (or of the element whose binding
    /// fired).
    pub fn exec(self, attr: &str, to: Option<&str>) -> Self {
        let mut a = args(to);
        a.insert("attr".into(), attr.into());
        self.cmd("exec", a)
    }

    /// These commands, then `other`'s.
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
