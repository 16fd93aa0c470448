//! Typed events and params: serde over the JSON the browser sends, lenient where HTML is.
//!
//! Browser events arrive as a name plus a JSON payload whose leaves are mostly strings
//! (`lv-value-step="5"`, form fields), and URL params are string maps. This module decodes
//! both into ordinary serde types, accepting strings where HTML can only send strings:
//!
//! ```text
//! from_event::<Event>("set_step", &json!({"step": "5"}))   => Ok(Event::SetStep { step: 5 })
//! from_value::<Params>(&json!({"page": "3", "room": "x"})) => Ok(Params { page: 3, room: "x" })
//! ```
//!
//! The rules, by what the target type asks for:
//! - anything (`deserialize_any`, so `serde_json::Value`): exactly the JSON;
//! - bool, integers, floats, char: a JSON string is trimmed and parsed; booleans also
//!   accept `on`/`yes`/`1` and `off`/`no`/`0`/empty (any letter case);
//! - string: a number or bool gives its JSON text;
//! - `Option`: null, a missing field or a blank string is `None`, else `Some` (lenient);
//! - sequence: an array, or a single scalar as a one-element sequence, or null as empty;
//! - struct or map: an object, or null as an empty one (so missing fields get serde's
//!   "missing field" message);
//! - unit: anything (a payload on a unit-like target is ignored); newtype: transparent;
//! - enum: a string names a variant, an object with one key `{"variant": content}` names a
//!   variant with content; a unit variant ignores any content.
//!
//! Unknown fields are ignored unless the type says `#[serde(deny_unknown_fields)]`;
//! `#[serde(default)]` and `#[serde(rename)]` work as usual.
//!
//! `#[serde(flatten)]`, `#[serde(untagged)]` and internally tagged enums buffer their input
//! through `deserialize_any`, so values inside them are taken exactly as the JSON has them:
//! the leniency above (e.g. `"5"` for a number) is lost there.

use std::cell::OnceCell;
use std::fmt::Display;
use std::str::FromStr;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::Value;

/// What kind of decode failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The event name (the top-level enum variant) is not one the type declares. Only that
    /// name gives this kind: an unknown variant nested in a payload is a `BadPayload`.
    UnknownEvent,
    /// The payload (or the params) does not fit the type: a bad value, a missing field...
    BadPayload,
}

/// Why an event or params did not decode (the message is serde's, for the log).
///
/// ```text
/// from_event::<Event>("nope", &Value::Null)
///   => kind UnknownEvent, "unknown variant `nope`, expected one of `inc`, `dec`, ..."
/// from_event::<Event>("set_step", &json!({"step": "abc"}))
///   => kind BadPayload, "invalid value: string \"abc\", expected i64"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeError {
    /// Whether the name or the payload was at fault.
    pub kind: DecodeErrorKind,
    /// serde's description of the failure.
    pub message: String,
}

impl DecodeError {
    fn new(kind: DecodeErrorKind, message: impl Display) -> Self {
        let message = message.to_string();
        Self { kind, message }
    }
}

impl de::Error for DecodeError {
    fn custom<T: Display>(msg: T) -> Self {
        Self::new(DecodeErrorKind::BadPayload, msg)
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let serde_default = <de::value::Error as de::Error>::unknown_variant(variant, expected);
        Self::new(DecodeErrorKind::UnknownEvent, serde_default)
    }
}

/// Decodes `value` into `T`, leniently (see the module docs for the rules).
///
/// ```text
/// from_value::<Params>(&json!({"page": "3", "room": "lobby"}))  // page: u32 => 3
/// from_value::<Vec<String>>(&json!("a"))                         // => ["a"]
/// ```
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, DecodeError> {
    T::deserialize(Lenient::Json(value))
}

/// Decodes an event: for an enum `T` the variant is `name` and its content comes from
/// `payload`; any other `T` sees a map with two entries, `"name"` (the string) and
/// `"payload"` (the value as is).
///
/// A unit variant ignores the payload; a newtype variant decodes its inner type from the
/// payload; a struct variant takes its fields from the payload (null counts as `{}`); a
/// tuple variant reads the payload as a sequence.
///
/// ```text
/// from_event::<Event>("set_step", &json!({"step": "5"}))  => Ok(Event::SetStep { step: 5 })
/// from_event::<Event>("inc", &json!({"x": "1"}))          => Ok(Event::Inc)
/// ```
pub fn from_event<T: DeserializeOwned>(name: &str, payload: &Value) -> Result<T, DecodeError> {
    let map = &OnceCell::new();
    T::deserialize(EventInput { name, payload, map })
}

static NULL: Value = Value::Null;

/// The result of the private deserializer machinery.
type Res<T> = Result<T, DecodeError>;

/// An error raised while decoding content is about the payload, never the event name, even
/// when it comes from an enum nested inside the payload.
fn in_payload<T>(result: Res<T>) -> Res<T> {
    result.map_err(|err| DecodeError::new(DecodeErrorKind::BadPayload, err.message))
}

/// Parses a trimmed string as a number, naming the wanted type in the error.
fn parse_num<T: FromStr>(s: &str) -> Res<T> {
    s.trim().parse().map_err(|_| invalid_str::<T>(s))
}

/// Like [`parse_num`], but rejects what JSON cannot hold (`inf`, `NaN`, overflow).
fn parse_float<T: FromStr + Copy + Into<f64>>(s: &str) -> Res<T> {
    let x: T = parse_num(s)?;
    if x.into().is_finite() {
        Ok(x)
    } else {
        Err(invalid_str::<T>(s))
    }
}

/// HTML's ways of saying yes and no (a checkbox sends `on`, an empty field `""`).
fn parse_bool(s: &str) -> Res<bool> {
    let t = s.trim();
    let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(&["true", "on", "1", "yes"]) {
        Ok(true)
    } else if is(&["false", "off", "0", "no", ""]) {
        Ok(false)
    } else {
        Err(invalid_str::<bool>(s))
    }
}

/// A one-character string as is (`" "` is a space), else trimmed.
fn parse_char(s: &str) -> Res<char> {
    s.parse().or_else(|_| parse_num(s))
}

/// serde's message, e.g. `invalid value: string "abc", expected i64`.
fn invalid_str<T>(s: &str) -> DecodeError {
    de::Error::invalid_value(Unexpected::Str(s), &std::any::type_name::<T>())
}

/// Generates the scalar methods: parse the text when the input is a string, else fall back
/// to `deserialize_any` (and so to the visitor's own checks on JSON numbers and bools).
macro_rules! parsed_scalars {
    ($($method:ident => $visit:ident($parse:expr)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
            match self.text() {
                Some(text) => visitor.$visit($parse(text)?),
                None => self.deserialize_any(visitor),
            }
        }
    )*};
}

/// The lenient deserializer, over a borrowed JSON value or over bare text (a map key or a
/// variant name), which parses as a JSON string would (`{"1": "a"}` into `BTreeMap<u32, _>`).
#[derive(Clone, Copy)]
enum Lenient<'de> {
    Json(&'de Value),
    Text(&'de str),
}

impl<'de> Lenient<'de> {
    fn text(self) -> Option<&'de str> {
        match self {
            Lenient::Json(value) => value.as_str(),
            Lenient::Text(text) => Some(text),
        }
    }
}

impl<'de> Deserializer<'de> for Lenient<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        let value = match self {
            Lenient::Json(value) => value,
            Lenient::Text(text) => return visitor.visit_borrowed_str(text),
        };
        match value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (_, Some(i), _) => visitor.visit_i64(i),
                (_, _, Some(f)) => visitor.visit_f64(f),
                _ => Err(de::Error::custom(format_args!(
                    "unrepresentable number {n}"
                ))),
            },
            Value::String(text) => visitor.visit_borrowed_str(text),
            Value::Array(items) => visit_items(items, visitor),
            Value::Object(map) => visitor.visit_map(Entries::new(map.iter())),
        }
    }

    parsed_scalars! {
        deserialize_bool => visit_bool(parse_bool),
        deserialize_i8 => visit_i8(parse_num::<i8>),
        deserialize_i16 => visit_i16(parse_num::<i16>),
        deserialize_i32 => visit_i32(parse_num::<i32>),
        deserialize_i64 => visit_i64(parse_num::<i64>),
        deserialize_i128 => visit_i128(parse_num::<i128>),
        deserialize_u8 => visit_u8(parse_num::<u8>),
        deserialize_u16 => visit_u16(parse_num::<u16>),
        deserialize_u32 => visit_u32(parse_num::<u32>),
        deserialize_u64 => visit_u64(parse_num::<u64>),
        deserialize_u128 => visit_u128(parse_num::<u128>),
        deserialize_f32 => visit_f32(parse_float::<f32>),
        deserialize_f64 => visit_f64(parse_float::<f64>),
        deserialize_char => visit_char(parse_char),
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self {
            Lenient::Json(Value::Number(n)) => visitor.visit_string(n.to_string()),
            Lenient::Json(Value::Bool(b)) => visitor.visit_str(if *b { "true" } else { "false" }),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match (self, self.text()) {
            (Lenient::Json(Value::Null), _) => visitor.visit_none(),
            (_, Some(text)) if text.trim().is_empty() => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &str, visitor: V) -> Res<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &str, visitor: V) -> Res<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self {
            Lenient::Json(Value::Null) => visit_items(&[], visitor),
            Lenient::Json(Value::Array(items)) => visit_items(items, visitor),
            Lenient::Json(Value::Object(_)) | Lenient::Text(_) => self.deserialize_any(visitor),
            Lenient::Json(scalar) => visit_items(std::slice::from_ref(scalar), visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Res<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V>(self, _: &str, _: usize, visitor: V) -> Res<V::Value>
    where
        V: Visitor<'de>,
    {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self {
            Lenient::Json(Value::Null) => visitor.visit_map(Entries::new(std::iter::empty())),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V>(self, _: &str, _: &[&str], visitor: V) -> Res<V::Value>
    where
        V: Visitor<'de>,
    {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V>(self, _: &str, _: &[&str], visitor: V) -> Res<V::Value>
    where
        V: Visitor<'de>,
    {
        let single_entry = match self {
            Lenient::Json(Value::Object(map)) if map.len() == 1 => map.iter().next(),
            _ => None,
        };
        match (self.text(), single_entry) {
            (Some(name), _) => visitor.visit_enum(Variant {
                name,
                content: &NULL,
            }),
            (_, Some((name, content))) => visitor.visit_enum(Variant { name, content }),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! { bytes byte_buf identifier }
}

/// Visits `items` as a sequence; elements left unread are an error (as in serde_json).
fn visit_items<'de, V: Visitor<'de>>(items: &'de [Value], visitor: V) -> Res<V::Value> {
    let mut rest = Items(items.iter());
    let out = visitor.visit_seq(&mut rest)?;
    match rest.0.len() {
        0 => Ok(out),
        _ => Err(de::Error::invalid_length(items.len(), &"fewer elements")),
    }
}

struct Items<'de>(std::slice::Iter<'de, Value>);

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = DecodeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Res<Option<S::Value>> {
        let next = self
            .0
            .next()
            .map(|item| seed.deserialize(Lenient::Json(item)));
        in_payload(next.transpose())
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of an object (or of nothing, for null), keys as [`Lenient::Text`].
struct Entries<'de, I> {
    iter: I,
    value: Option<&'de Value>,
}

impl<I> Entries<'_, I> {
    fn new(iter: I) -> Self {
        Self { iter, value: None }
    }
}

impl<'de, I: Iterator<Item = (&'de String, &'de Value)>> MapAccess<'de> for Entries<'de, I> {
    type Error = DecodeError;

    fn next_key_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Res<Option<S::Value>> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        in_payload(seed.deserialize(Lenient::Text(key)).map(Some))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Res<S::Value> {
        match self.value.take() {
            Some(value) => in_payload(seed.deserialize(Lenient::Json(value))),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.iter.size_hint().1
    }
}

/// An enum variant by name, with its content (null when there is none).
struct Variant<'de> {
    name: &'de str,
    content: &'de Value,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Res<(S::Value, Self)> {
        let tag = seed.deserialize(Lenient::Text(self.name))?;
        Ok((tag, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = DecodeError;

    fn unit_variant(self) -> Res<()> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Res<S::Value> {
        in_payload(seed.deserialize(Lenient::Json(self.content)))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Res<V::Value> {
        in_payload(Lenient::Json(self.content).deserialize_tuple(len, visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        in_payload(Lenient::Json(self.content).deserialize_struct("", fields, visitor))
    }
}

/// What [`from_event`] hands to `T`: an enum reads `name` as its variant; anything else reads
/// `{"name": name, "payload": payload}`, built (by cloning the payload) only if asked for.
struct EventInput<'de> {
    name: &'de str,
    payload: &'de Value,
    map: &'de OnceCell<Value>,
}

impl<'de> Deserializer<'de> for EventInput<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        let map = self.map.get_or_init(|| {
            let mut map = serde_json::Map::new();
            map.insert("name".to_owned(), Value::String(self.name.to_owned()));
            map.insert("payload".to_owned(), self.payload.clone());
            Value::Object(map)
        });
        Lenient::Json(map).deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &str, visitor: V) -> Res<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _: &str, _: &[&str], visitor: V) -> Res<V::Value> {
        visitor.visit_enum(Variant {
            name: self.name,
            content: self.payload,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::{BTreeMap, HashMap};

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Event {
        Inc,
        Dec,
        SetStep { step: i64 },
        Post(PostForm),
        Toggle { on: bool },
        Search { q: Option<String> },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct PostForm {
        body: String,
        tags: Vec<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Shape {
        A,
        B(u8),
        C { x: i64 },
    }

    /// URL params, with the attributes pages use.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Query {
        page: u32,
        room: String,
        #[serde(default, rename = "k")]
        kind: Option<Shape>,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    fn ev(name: &str, payload: Value) -> Result<Event, DecodeError> {
        from_event(name, &payload)
    }

    fn val<T: DeserializeOwned>(v: Value) -> Result<T, DecodeError> {
        from_value(&v)
    }

    /// The message of a `BadPayload` error.
    fn bad<T: std::fmt::Debug>(result: Result<T, DecodeError>) -> String {
        let err = result.expect_err("should not decode");
        assert_eq!(err.kind, DecodeErrorKind::BadPayload, "{err}");
        err.message
    }

    #[test]
    fn events_decode_by_name_from_html_payloads() {
        assert_eq!(ev("inc", Value::Null), Ok(Event::Inc));
        assert_eq!(ev("inc", json!({"x": "1"})), Ok(Event::Inc));
        assert_eq!(ev("dec", json!([1])), Ok(Event::Dec));
        let set_step = |step: Value| ev("set_step", json!({ "step": step }));
        for step in [json!("5"), json!(5), json!(" 5 ")] {
            assert_eq!(set_step(step), Ok(Event::SetStep { step: 5 }));
        }
        assert_eq!(set_step(json!("-3")), Ok(Event::SetStep { step: -3 }));
        let expected = r#"invalid value: string "abc", expected i64"#;
        assert_eq!(bad(set_step(json!("abc"))), expected);
        assert!(bad(set_step(json!(5.5))).contains("5.5"));
        assert_eq!(bad(ev("set_step", json!({}))), "missing field `step`");
        assert_eq!(bad(ev("set_step", Value::Null)), "missing field `step`");
        assert_eq!(
            ev("search", json!({"q": ""})),
            Ok(Event::Search { q: None })
        );
        assert_eq!(
            ev("search", json!({"q": " "})),
            Ok(Event::Search { q: None })
        );
        assert_eq!(ev("search", json!({})), Ok(Event::Search { q: None }));
        let q = Some("x".to_string());
        assert_eq!(ev("search", json!({"q": "x"})), Ok(Event::Search { q }));
    }

    #[test]
    fn unknown_events_name_the_known_ones() {
        let err = ev("nope", json!({"step": "5"})).expect_err("unknown");
        assert_eq!(err.kind, DecodeErrorKind::UnknownEvent);
        let known = "`inc`, `dec`, `set_step`, `post`, `toggle`, `search`";
        let expected = format!("unknown variant `nope`, expected one of {known}");
        assert_eq!(err.to_string(), expected);
    }

    #[test]
    fn newtype_events_and_lenient_sequences() {
        let post = |tags: Value| ev("post", json!({"body": "hi", "tags": tags}));
        let form = |tags: &[&str]| {
            let (body, tags) = ("hi".into(), tags.iter().map(|t| t.to_string()).collect());
            Ok(Event::Post(PostForm { body, tags }))
        };
        assert_eq!(post(json!("a")), form(&["a"]));
        assert_eq!(post(json!(["a", "b"])), form(&["a", "b"]));
        assert_eq!(post(json!(null)), form(&[]));
        assert_eq!(post(json!([1, true])), form(&["1", "true"]));
        assert_eq!(bad(ev("post", Value::Null)), "missing field `body`");
        assert_eq!(val::<Vec<i64>>(json!(["1", 2])), Ok(vec![1, 2]));
        assert_eq!(val::<(u8, bool)>(json!(["1", "on"])), Ok((1, true)));
        let too_long = val::<(u8, bool)>(json!([1, "on", 3]));
        assert!(bad(too_long).contains("fewer elements"));
    }

    #[test]
    fn booleans_from_html_strings() {
        let toggle = |on: &str| ev("toggle", json!({ "on": on }));
        for text in ["on", "true", "1", " Yes "] {
            assert_eq!(toggle(text), Ok(Event::Toggle { on: true }), "{text:?}");
        }
        for text in ["off", "false", "0", "no", "", " "] {
            assert_eq!(toggle(text), Ok(Event::Toggle { on: false }), "{text:?}");
        }
        let expected = r#"invalid value: string "maybe", expected bool"#;
        assert_eq!(bad(toggle("maybe")), expected);
    }

    #[test]
    fn other_targets_see_name_and_payload_unchanged() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Record {
            name: String,
            payload: Value,
        }
        let payload = json!({"a": ["1", 2, null, {"b": false}], "c": 1.5});
        let raw = from_event::<Record>("any", &payload).expect("a map");
        assert_eq!((raw.name.as_str(), raw.payload), ("any", payload));
        #[derive(Debug, PartialEq, Deserialize)]
        struct Wrapped(Event);
        assert_eq!(from_event("inc", &Value::Null), Ok(Wrapped(Event::Inc)));
        #[derive(Debug, PartialEq, Deserialize)]
        enum Move {
            To(i32, i32),
        }
        assert_eq!(from_event("To", &json!(["1", 2])), Ok(Move::To(1, 2)));
    }

    #[test]
    fn params_and_serde_attributes() {
        let params = val::<Query>(json!({"page": "3", "room": "lobby"})).expect("params");
        assert_eq!((params.page, params.room.as_str()), (3, "lobby"));
        assert_eq!((params.kind, params.rest.len()), (None, 0));
        let params = json!({"page": 3, "room": "", "k": {"c": {"x": "-1"}}, "z": "1"});
        let params = val::<Query>(params).expect("params");
        assert_eq!(params.kind, Some(Shape::C { x: -1 }));
        assert_eq!(params.rest, BTreeMap::from([("z".into(), json!("1"))]));
        assert!(bad(val::<Query>(json!({"page": "-1", "room": ""}))).contains("u32"));
        let unknown = bad(val::<Query>(json!({"page": 1, "room": "", "k": "z"})));
        assert_eq!(
            unknown,
            "unknown variant `z`, expected one of `a`, `b`, `c`"
        );
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Strict {}
        assert!(bad(val::<Strict>(json!({"b": 2}))).contains("unknown field `b`"));
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(untagged)]
        enum Either {
            Num(i64),
            Text(String),
        }
        assert_eq!(val::<Either>(json!(5)), Ok(Either::Num(5)));
        assert_eq!(val::<Either>(json!("5")), Ok(Either::Text("5".into())));
    }

    #[test]
    fn scalars_strings_options_units_and_enums() {
        assert_eq!(val::<f64>(json!("2.5")), Ok(2.5));
        assert_eq!(val::<f32>(json!(" -0.5 ")), Ok(-0.5));
        assert_eq!(val::<u64>(json!(u64::MAX)), Ok(u64::MAX));
        assert_eq!(val::<char>(json!(" ")), Ok(' '));
        let expected = r#"invalid value: string "300", expected u8"#;
        assert_eq!(bad(val::<u8>(json!("300"))), expected);
        assert!(bad(val::<u8>(json!(300))).contains("300"));
        assert!(bad(val::<f64>(json!("NaN"))).contains("expected f64"));
        assert!(bad(val::<i64>(json!("2.5"))).contains("expected i64"));
        assert_eq!(val::<String>(json!(5)), Ok("5".into()));
        assert_eq!(val::<String>(json!(true)), Ok("true".into()));
        assert_eq!(val::<Option<i64>>(json!("")), Ok(None));
        assert_eq!(val::<Option<i64>>(json!("4")), Ok(Some(4)));
        assert_eq!(val::<HashMap<String, u8>>(Value::Null), Ok(HashMap::new()));
        let flags = val::<BTreeMap<u32, bool>>(json!({"1": "on"}));
        assert_eq!(flags, Ok(BTreeMap::from([(1, true)])));
        assert_eq!(val::<()>(json!({"a": 1})), Ok(()));
        assert_eq!(val::<Shape>(json!("a")), Ok(Shape::A));
        assert_eq!(val::<Shape>(json!({"b": "5"})), Ok(Shape::B(5)));
        assert!(bad(val::<Shape>(json!({"a": 1, "b": 2}))).contains("expected enum Shape"));
        let top_level = val::<Shape>(json!("z")).map_err(|e| e.kind);
        assert_eq!(top_level, Err(DecodeErrorKind::UnknownEvent));
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let number = any::<f64>().prop_filter_map("finite", serde_json::Number::from_f64);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            number.prop_map(Value::Number),
            prop_oneof!["", "5", " on ", ".{0,6}"].prop_map(Value::String),
        ];
        let key = prop_oneof!["step", "body", "tags", "page", ".{0,4}"];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(key.clone(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_round_trips_and_never_panics(v in arb_json(), name in "inc|set_step|post|x") {
            prop_assert_eq!(from_value::<Value>(&v), Ok(v.clone()));
            let _ = (from_event::<Event>(&name, &v), from_value::<Event>(&v));
            let _ = (from_value::<Query>(&v), from_value::<Option<(i64, bool)>>(&v));
        }
    }
}
