//! What a page is mounted with: URL parameters, session data and event payloads.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::LiveError;

/// Path and query parameters of the page's URL, by name.
///
/// ```
/// use leptos_live::Params;
/// let p = Params::from_pairs([("room", "lobby")]);
/// assert_eq!(p.get("room"), Some("lobby"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Params(Named<String>);

impl Params {
    /// Parameters from name/value pairs.
    ///
    /// ```
    /// use leptos_live::Params;
    /// let p = Params::from_pairs([("page", "2"), ("q", "rust")]);
    /// assert_eq!(p.iter().count(), 2);
    /// ```
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Params(Named::from_sorted(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        ))
    }

    /// The params a page at the route `pattern` gets for `uri`, when its path matches.
    pub(crate) fn for_route(pattern: &str, uri: &axum::http::Uri) -> Option<Params> {
        crate::wire::url::params_for(pattern, uri).map(Params::from_pairs)
    }

    /// The value of `name`, if present.
    ///
    /// ```
    /// let p = leptos_live::Params::from_pairs([("tab", "unread")]);
    /// assert_eq!(p.get("tab"), Some("unread"));
    /// assert_eq!(p.get("page"), None);
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Adds or replaces a parameter.
    ///
    /// ```
    /// let mut p = leptos_live::Params::default();
    /// p.insert("room", "lobby");
    /// assert_eq!(p.get("room"), Some("lobby"));
    /// ```
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    /// The parameters decoded into `T` with serde, reading numbers and booleans from their
    /// text as events do; a typed error names what did not fit.
    ///
    /// ```
    /// use leptos_live::Params;
    /// #[derive(serde::Deserialize)]
    /// struct Page { room: String, page: Option<u32> }
    /// let p: Page = Params::from_pairs([("room", "lobby"), ("page", "3")]).deserialize().unwrap();
    /// assert_eq!((p.room.as_str(), p.page), ("lobby", Some(3)));
    /// assert!(Params::from_pairs([("room", "x"), ("page", "many")]).deserialize::<Page>().is_err());
    /// ```
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, LiveError> {
        let map = self
            .0
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        crate::wire::decode::from_value(&Value::Object(map))
            .map_err(|e| LiveError::BadPayload(e.message))
    }

    /// The parameters, by name.
    ///
    /// ```
    /// let p = leptos_live::Params::from_pairs([("b", "2"), ("a", "1")]);
    /// assert_eq!(p.iter().collect::<Vec<_>>(), [("a", "1"), ("b", "2")]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// An event as it came: its name and payload. The `Event` type of pages that match on names.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
///
/// struct Counter(i64);
/// impl LiveView for Counter {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Counter(0)) }
///     async fn handle_event(&mut self, e: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
///         match e.name.as_str() {
///             "add" => self.0 += e.payload.parse::<i64>("by")?,
///             _ => return Err(LiveError::UnknownEvent(e.name)),
///         }
///         Ok(())
///     }
///     fn render(&self) -> impl IntoView { view! { <button lv-click="add" lv-value-by="2">{self.0}</button> } }
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct RawEvent {
    /// The event's name (the binding's value, such as `lv-click="add"`).
    pub name: String,
    /// Its values.
    pub payload: Payload,
}

/// Session data, signed into the page's token so the socket sees what the HTTP request saw.
///
/// ```
/// use leptos_live::Session;
/// let mut s = Session::default();
/// s.insert("user", "ada");
/// assert_eq!(s.get("user").and_then(|v| v.as_str()), Some("ada"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Session(Named<Value>);

impl Session {
    /// The value stored under `key`.
    ///
    /// ```
    /// let mut s = leptos_live::Session::default();
    /// s.insert("user", "ada");
    /// assert_eq!(s.get("user").and_then(|v| v.as_str()), Some("ada"));
    /// ```
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Stores a value under `key`.
    ///
    /// ```
    /// let mut s = leptos_live::Session::default();
    /// s.insert("admin", true);
    /// s.insert("roles", serde_json::json!(["editor"]));
    /// assert_eq!(s.get("admin"), Some(&serde_json::json!(true)));
    /// ```
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.0.insert(key.into(), value.into());
    }
}

/// The value of the cookie `name` in a request's headers, as sent (not decoded): for
/// [`crate::LiveRouter::session`] functions that read a session cookie.
///
/// ```
/// use axum::http::{HeaderMap, HeaderValue, header::COOKIE};
/// let mut h = HeaderMap::new();
/// h.insert(COOKIE, HeaderValue::from_static("a=1; sid=xyz"));
/// assert_eq!(leptos_live::params::cookie(&h, "sid"), Some("xyz"));
/// assert_eq!(leptos_live::params::cookie(&h, "b"), None);
/// ```
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The values an event carries: `lv-value-*` attributes, or a form's fields.
///
/// ```
/// use leptos_live::params::Payload;
/// let p = Payload::new(serde_json::json!({"step": "5"}));
/// assert_eq!(p.parse::<i64>("step").unwrap(), 5);
/// assert!(p.parse::<i64>("missing").is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct Payload(Value);

impl Payload {
    /// A payload around a JSON value.
    ///
    /// ```
    /// let p = leptos_live::params::Payload::new(serde_json::json!({ "id": "7" }));
    /// assert_eq!(p.get_str("id"), Some("7"));
    /// ```
    pub fn new(value: Value) -> Self {
        Payload(value)
    }

    /// The raw JSON value.
    ///
    /// ```
    /// let p = leptos_live::params::Payload::new(serde_json::json!({ "key": "Enter" }));
    /// assert_eq!(p.value()["key"], "Enter");
    /// ```
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// The string value of `key`, if the payload is an object that has it.
    ///
    /// ```
    /// let p = leptos_live::params::Payload::new(serde_json::json!({ "q": "rust", "n": 3 }));
    /// assert_eq!(p.get_str("q"), Some("rust"));
    /// assert_eq!(p.get_str("n"), None); // a number, not a string
    /// ```
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    /// The value of `key` parsed with [`FromStr`] (numbers may also come as JSON numbers).
    ///
    /// ```
    /// let p = leptos_live::params::Payload::new(serde_json::json!({ "qty": " 4 ", "on": "true" }));
    /// assert_eq!(p.parse::<u32>("qty").unwrap(), 4);
    /// assert!(p.parse::<bool>("on").unwrap());
    /// assert!(p.parse::<u32>("on").is_err());
    /// ```
    pub fn parse<T: FromStr>(&self, key: &str) -> Result<T, LiveError> {
        let raw = match self.0.get(key) {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => return Err(LiveError::BadPayload(format!("missing {key:?}"))),
        };
        raw.parse()
            .map_err(|_| LiveError::BadPayload(format!("{key:?} has an invalid value {raw:?}")))
    }

    /// The whole payload decoded into `T`, reading numbers and booleans from their text as
    /// typed events do.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Line { sku: String, qty: u32, gift: Option<bool> }
    /// let p = leptos_live::params::Payload::new(serde_json::json!({ "sku": "A-1", "qty": "2", "gift": "" }));
    /// let line: Line = p.deserialize().unwrap();
    /// assert_eq!((line.sku.as_str(), line.qty, line.gift), ("A-1", 2, None));
    /// ```
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, LiveError> {
        crate::wire::decode::from_value(&self.0).map_err(|e| LiveError::BadPayload(e.message))
    }
}

/// A few named values, kept as one list sorted by name: what a page's params and session hold
/// (a handful of entries, read by name, in every page and every socket's claims) costs one
/// allocation of its size, where a `BTreeMap` takes a node of over half a kilobyte however few
/// it holds. Serialized as a map, in name order, as the `BTreeMap` was.
#[derive(Clone, PartialEq, Eq)]
struct Named<V>(Vec<(String, V)>);

impl<V> Default for Named<V> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<V> Named<V> {
    /// From a map's entries: sorted, one per name.
    fn from_sorted(map: BTreeMap<String, V>) -> Self {
        Named(map.into_iter().collect())
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    fn get(&self, name: &str) -> Option<&V> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    fn insert(&mut self, name: String, value: V) {
        match self.find(&name) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<V: fmt::Debug> fmt::Debug for Named<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: Serialize> Serialize for Named<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Named<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(deserializer).map(|map| {
            let mut entries = Named::from_sorted(map);
            entries.0.shrink_to_fit();
            entries
        })
    }
}

#[cfg(test)]
mod named_tests {
    use super::*;

    #[test]
    fn entries_read_write_and_serialize_as_the_map_did() {
        let mut p = Params::from_pairs([("b", "2"), ("a", "1"), ("b", "3")]);
        p.insert("c", "4");
        p.insert("a", "0");
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            [("a", "0"), ("b", "3"), ("c", "4")]
        );
        let json = serde_json::to_string(&p).expect("serializes");
        assert_eq!(json, r#"{"a":"0","b":"3","c":"4"}"#);
        let map: BTreeMap<String, String> = serde_json::from_str(&json).expect("a map");
        assert_eq!(serde_json::to_string(&map).expect("serializes"), json);
        let back: Params = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, p);
        let mut s = Session::default();
        s.insert("user", "ada");
        s.insert("admin", true);
        assert_eq!(
            serde_json::to_string(&s).expect("serializes"),
            r#"{"admin":true,"user":"ada"}"#
        );
        assert_eq!(
            format!("{s:?}"),
            r#"Session({"admin": Bool(true), "user": String("ada")})"#
        );
    }
}
