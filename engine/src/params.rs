//! What a page is mounted with: URL parameters, session data and event payloads.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::LiveError;

/// Path and query parameters of the page's URL, by name.
///
/// ```
/// use leptos_live::Params;
/// let p = Params::from_pairs([("room", "lobby")]);
/// assert_eq!(p.get("room"), Some("lobby"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    /// Parameters from name/value pairs.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Params(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Adds or replaces a parameter.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }
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
pub struct Session(BTreeMap<String, Value>);

impl Session {
    /// The value stored under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Stores a value under `key`.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.0.insert(key.into(), value.into());
    }
}

/// The values an event carries: `lv-value-*` attributes, or a form's fields.
///
/// ```
/// use leptos_live::Payload;
/// let p = Payload::new(serde_json::json!({"step": "5"}));
/// assert_eq!(p.parse::<i64>("step").unwrap(), 5);
/// assert!(p.parse::<i64>("missing").is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Payload(Value);

impl Payload {
    /// A payload around a JSON value.
    pub fn new(value: Value) -> Self {
        Payload(value)
    }

    /// The raw JSON value.
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// The string value of `key`, if the payload is an object that has it.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    /// The value of `key` parsed with [`FromStr`] (numbers may also come as JSON numbers).
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

    /// The whole payload deserialised into `T`.
    pub fn deserialize<T: for<'de> Deserialize<'de>>(&self) -> Result<T, LiveError> {
        T::deserialize(&self.0).map_err(|e| LiveError::BadPayload(e.to_string()))
    }
}
