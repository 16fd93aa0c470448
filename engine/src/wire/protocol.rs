//! The wire protocol (see `engine/PROTOCOL.md`): client frames decoded, server frames encoded.
//!
//! Every frame is a compact JSON array whose first element is a reference number. Client
//! references start at 1; the server answers with the same number, and uses 0 for what it sends
//! unasked.

use std::fmt::Write as _;

use serde_json::Value;

use crate::diff::{Op, write_json_str, write_ops};
use crate::wire::code::ErrorCode;
use crate::wire::pushed::{Nav, Pushed};

// The kinds of the browser's frames (their second element), as decoded below; the shim names
// them alike and a test checks they match.
/// `"j"`: [`ClientFrame::Join`].
pub(crate) const JOIN: &str = "j";
/// `"n"`: [`ClientFrame::Navigate`].
pub(crate) const NAVIGATE: &str = "n";
/// `"l"`: [`ClientFrame::Patch`].
pub(crate) const PATCH: &str = "l";
/// `"e"`: [`ClientFrame::Event`].
pub(crate) const EVENT: &str = "e";
/// `"u"`: [`ClientFrame::Upload`].
pub(crate) const UPLOAD: &str = "u";
/// `"h"`: [`ClientFrame::Heartbeat`].
pub(crate) const HEARTBEAT: &str = "h";
/// `"r"`: [`ClientFrame::Resync`].
pub(crate) const RESYNC: &str = "r";

/// How many events a join may say it sends again ([`ClientFrame::Join`]'s `resent`); a page
/// remembers the answers of as many of its last events.
pub const MAX_RESENT: usize = 128;

/// A frame from the browser.
#[derive(Debug, PartialEq)]
pub enum ClientFrame {
    /// `[ref,"j",token,version,url?,resent?]`: attach this socket to the page the token names.
    Join {
        /// Reference number.
        r: u64,
        /// The page token from the HTTP render.
        token: String,
        /// The client's version: the version of its last full render plus the patch frames it
        /// applied since (0 after the HTTP render); `None` (null) when it knows its DOM is off.
        version: Option<u64>,
        /// The URL the browser shows (after patches it may differ from the token's); the page
        /// reads it if it has to mount again.
        url: Option<String>,
        /// The references of events the client sent on an earlier socket and got no answer to;
        /// it sends them again after this join, with the same references. Each is applied once:
        /// one the page applied already is answered as it was, not applied again. At most
        /// [`MAX_RESENT`].
        resent: Vec<u64>,
    },
    /// `[ref,"n",url,flash?]`: end the joined page and mount the live page at `url` on this
    /// socket (a `lv-navigate` link, `push_navigate`, back and forward across pages).
    Navigate {
        /// Reference number.
        r: u64,
        /// The path and query.
        url: String,
        /// A flash sealed by the server, carried from the page that navigated.
        flash: Option<String>,
    },
    /// `[ref,"l",url]`: the browser's URL changed to `url`, another URL of the joined page's
    /// route (an `lv-patch` link, back and forward); the page runs `handle_params`.
    Patch {
        /// Reference number.
        r: u64,
        /// The path and query.
        url: String,
    },
    /// `[ref,"e",name,payload?,target?]`: a browser event for the page's `handle_event`, or
    /// for the `handle_event` of the component `target`.
    Event {
        /// Reference number.
        r: u64,
        /// The event name (the binding's value, such as `lv-click="inc"`).
        name: String,
        /// Values that travel with it (an object, or null).
        payload: Value,
        /// The id of the component the event is for (`lv-target`); `None` for the page.
        target: Option<String>,
    },
    /// `[ref,"u",name,[[file,size,type],…]]`: files picked for the upload `name`; the reply
    /// gives each its entry id (0 when refused).
    Upload {
        /// Reference number.
        r: u64,
        /// The upload's name (`lv-upload`).
        name: String,
        /// Each file's name, declared size and declared MIME type.
        files: Vec<(String, u64, String)>,
    },
    /// `[ref,"h",times?]`: heartbeat, with the click-to-reply times (in milliseconds) the
    /// shim measured since its last report: at most [`TIMES_REPORTED`], each finite and within
    /// a minute.
    Heartbeat {
        /// Reference number.
        r: u64,
        /// Click-to-reply times in milliseconds; empty when none came.
        times: Vec<f64>,
    },
    /// `[ref,"r"]`: the DOM did not fit a patch; send the page's full HTML.
    Resync {
        /// Reference number.
        r: u64,
    },
}

/// How many click-to-reply times one heartbeat may carry (the shim reports at 16).
pub const TIMES_REPORTED: usize = 64;

/// Why a client frame was refused; the reference number is kept when it could be read.
#[derive(Debug, PartialEq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct FrameError {
    /// The frame's reference number, or 0.
    pub r: u64,
    /// The protocol error code.
    pub code: ErrorCode,
    /// What was wrong.
    pub message: String,
}

impl ClientFrame {
    /// Decodes one text frame, refusing frames over `max_bytes`.
    ///
    /// ```
    /// use leptos_live::wire::protocol::ClientFrame;
    /// let f = ClientFrame::decode(r#"[3,"e","inc"]"#, 1024).unwrap();
    /// assert!(matches!(f, ClientFrame::Event { r: 3, ref name, .. } if name == "inc"));
    /// assert!(ClientFrame::decode("not json", 1024).is_err());
    /// ```
    pub fn decode(text: &str, max_bytes: usize) -> Result<ClientFrame, FrameError> {
        let err = |r, code, message: String| FrameError { r, code, message };
        if text.len() > max_bytes {
            return Err(err(
                0,
                ErrorCode::TooLarge,
                format!("{} bytes, the limit is {max_bytes}", text.len()),
            ));
        }
        let v: Value =
            serde_json::from_str(text).map_err(|e| err(0, ErrorCode::BadFrame, e.to_string()))?;
        let Value::Array(items) = v else {
            return Err(err(
                0,
                ErrorCode::BadFrame,
                "a frame is a JSON array".into(),
            ));
        };
        let r = items.first().and_then(Value::as_u64).ok_or_else(|| {
            err(
                0,
                ErrorCode::BadFrame,
                "the first element must be a reference number".into(),
            )
        })?;
        let kind = items.get(1).and_then(Value::as_str).ok_or_else(|| {
            err(
                r,
                ErrorCode::BadFrame,
                "the second element must be the frame kind".into(),
            )
        })?;
        let text_at = |i: usize, what: &str| {
            items
                .get(i)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| err(r, ErrorCode::BadFrame, format!("missing {what}")))
        };
        let mut items = items.iter();
        match kind {
            JOIN => {
                let token = text_at(2, "token")?;
                let version = items.nth(3).and_then(Value::as_u64);
                let url = items.next().and_then(Value::as_str).map(str::to_string);
                let resent = match items.next() {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(refs)) if refs.len() <= MAX_RESENT => refs
                        .iter()
                        .map(|x| x.as_u64().filter(|&n| n > 0))
                        .collect::<Option<_>>()
                        .ok_or_else(|| {
                            err(
                                r,
                                ErrorCode::BadFrame,
                                "a resent event is a reference".into(),
                            )
                        })?,
                    Some(_) => {
                        return Err(err(
                            r,
                            ErrorCode::BadFrame,
                            format!("resent events are a list of at most {MAX_RESENT} references"),
                        ));
                    }
                };
                Ok(ClientFrame::Join {
                    r,
                    token,
                    version,
                    url,
                    resent,
                })
            }
            NAVIGATE => {
                let url = text_at(2, "url")?;
                let flash = items.nth(3).and_then(Value::as_str).map(str::to_string);
                Ok(ClientFrame::Navigate { r, url, flash })
            }
            PATCH => Ok(ClientFrame::Patch {
                r,
                url: text_at(2, "url")?,
            }),
            EVENT => {
                let name = text_at(2, "event name")?;
                let payload = items.nth(3).cloned().unwrap_or(Value::Null);
                if !(payload.is_object() || payload.is_null()) {
                    return Err(err(
                        r,
                        ErrorCode::BadFrame,
                        "an event payload is an object".into(),
                    ));
                }
                let target = items.next().and_then(Value::as_str).map(str::to_string);
                Ok(ClientFrame::Event {
                    r,
                    name,
                    payload,
                    target,
                })
            }
            UPLOAD => {
                let name = text_at(2, "upload name")?;
                let files = items
                    .nth(3)
                    .and_then(Value::as_array)
                    .ok_or_else(|| err(r, ErrorCode::BadFrame, "missing files".into()))?
                    .iter()
                    .map(|f| match f.as_array().map(Vec::as_slice) {
                        Some([Value::String(n), size, Value::String(t)]) if size.is_u64() => {
                            Ok((n.clone(), size.as_u64().unwrap_or(0), t.clone()))
                        }
                        _ => Err(err(
                            r,
                            ErrorCode::BadFrame,
                            "a file is [name,size,type]".into(),
                        )),
                    })
                    .collect::<Result<_, _>>()?;
                Ok(ClientFrame::Upload { r, name, files })
            }
            HEARTBEAT => {
                let times = match items.nth(2) {
                    None => Vec::new(),
                    Some(Value::Array(times)) if times.len() <= TIMES_REPORTED => times
                        .iter()
                        .map(|t| t.as_f64().filter(|t| (0.0..=60_000.0).contains(t)))
                        .collect::<Option<Vec<f64>>>()
                        .ok_or_else(|| {
                            err(r, ErrorCode::BadFrame, "a time is 0 to 60000 ms".into())
                        })?,
                    Some(_) => {
                        return Err(err(
                            r,
                            ErrorCode::BadFrame,
                            format!("times are an array of at most {TIMES_REPORTED} numbers"),
                        ));
                    }
                };
                Ok(ClientFrame::Heartbeat { r, times })
            }
            RESYNC => Ok(ClientFrame::Resync { r }),
            other => Err(err(
                r,
                ErrorCode::BadFrame,
                format!("unknown frame kind {other:?}"),
            )),
        }
    }
}

/// A binary frame: `[1][entry: u32][offset: u64][bytes…]`, integers big-endian; a chunk of an
/// upload entry's file that starts at byte `offset`.
#[derive(Debug, PartialEq, Eq)]
pub struct Chunk {
    /// The entry's id (from the reply to `"u"`).
    pub entry: u32,
    /// Where in the file the chunk starts.
    pub offset: u64,
    /// Where its bytes start in the frame.
    pub data_at: usize,
}

/// The bytes before a chunk's data.
pub const CHUNK_HEADER: usize = 13;

impl Chunk {
    /// Reads a binary frame's header.
    ///
    /// ```
    /// use leptos_live::wire::protocol::Chunk;
    /// let mut frame = vec![1, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 1, 0];
    /// frame.extend_from_slice(b"hello");
    /// let c = Chunk::decode(&frame).unwrap();
    /// assert_eq!((c.entry, c.offset, &frame[c.data_at..]), (7, 256, &b"hello"[..]));
    /// assert!(Chunk::decode(&[2, 0]).is_err());
    /// ```
    pub fn decode(frame: &[u8]) -> Result<Chunk, FrameError> {
        let bad = |message: &str| FrameError {
            r: 0,
            code: ErrorCode::BadFrame,
            message: message.to_string(),
        };
        let Some((&kind, rest)) = frame.split_first() else {
            return Err(bad("an empty binary frame"));
        };
        if kind != 1 {
            return Err(bad("unknown binary frame kind"));
        }
        let (Some(entry), Some(offset)) = (rest.get(..4), rest.get(4..12)) else {
            return Err(bad("a chunk's header is 13 bytes"));
        };
        let mut e = [0u8; 4];
        e.copy_from_slice(entry);
        let mut o = [0u8; 8];
        o.copy_from_slice(offset);
        Ok(Chunk {
            entry: u32::from_be_bytes(e),
            offset: u64::from_be_bytes(o),
            data_at: CHUNK_HEADER,
        })
    }
}

/// `"t"`: [`token_frame`].
pub(crate) const TOKEN: &str = "t";

/// `[0,"t",token]`: a fresh token for the joined page, for the client's next join; the one it
/// has would expire sooner.
///
/// ```
/// use leptos_live::wire::protocol::token_frame;
/// assert_eq!(token_frame("abc.def"), r#"[0,"t","abc.def"]"#);
/// ```
pub fn token_frame(token: &str) -> String {
    let mut out = format!("[0,\"{TOKEN}\",");
    write_json_str(token, &mut out);
    out.push(']');
    out
}

/// `[0,"uk",entry,bytes]`: the entry's first `bytes` are written; the client sends the next
/// chunk.
pub fn upload_ack_frame(entry: u32, bytes: u64) -> String {
    format!("[0,\"uk\",{entry},{bytes}]")
}

/// `[0,"uf",entry,code]`: the entry takes no more chunks (cancelled, failed, unknown).
pub fn upload_end_frame(entry: u32, code: &str) -> String {
    let mut out = format!("[0,\"uf\",{entry},");
    write_json_str(code, &mut out);
    out.push(']');
    out
}

/// `[ref,ops]`: operations for the client to apply (its version goes up by one).
///
/// ```
/// use leptos_live::diff::Op;
/// let f = leptos_live::wire::protocol::patch_frame(4, &[Op::SetText { path: vec![1, 0], text: "5".into() }]);
/// assert_eq!(f, r#"[4,[[1,[1,0],"5"]]]"#);
/// ```
pub fn patch_frame(r: u64, ops: &[Op]) -> String {
    let mut out = String::with_capacity(32);
    let _ = write!(out, "[{r},");
    write_ops(ops, &mut out);
    out.push(']');
    out
}

/// `[ref,"html",html,version]`: the page root's whole content, and the version it starts.
#[cfg(any(test, feature = "internals"))]
pub fn html_frame(r: u64, html: &str, version: u64) -> String {
    html_frame_with(r, html, version, &Pushed::default())
}

/// A patch frame with what the callback pushed: `[ref,ops,{"reply":…,"events":[[name,payload],…]}]`
/// (the third element only when something was pushed).
///
/// ```
/// use leptos_live::wire::protocol::patch_frame_with;
/// use leptos_live::ctx::Pushed;
/// let mut pushed = Pushed::default();
/// pushed.reply = Some(serde_json::json!(1));
/// assert_eq!(patch_frame_with(3, &[], &pushed), r#"[3,[],{"reply":1}]"#);
/// ```
pub fn patch_frame_with(r: u64, ops: &[Op], pushed: &Pushed) -> String {
    let mut out = patch_frame(r, ops);
    if !pushed.is_empty() {
        out.pop();
        out.push(',');
        write_pushed(pushed, &mut out);
        out.push(']');
    }
    out
}

/// `[ref,"html",html,version,pushed?]`.
pub fn html_frame_with(r: u64, html: &str, version: u64, pushed: &Pushed) -> String {
    let mut out = String::with_capacity(html.len() + 32);
    let _ = write!(out, "[{r},\"html\",");
    write_json_str(html, &mut out);
    let _ = write!(out, ",{version}");
    if !pushed.is_empty() {
        out.push(',');
        write_pushed(pushed, &mut out);
    }
    out.push(']');
    out
}

fn write_pushed(pushed: &Pushed, out: &mut String) {
    let mut obj = serde_json::Map::new();
    if let Some(reply) = &pushed.reply {
        obj.insert("reply".into(), reply.clone());
    }
    if let Some(title) = &pushed.title {
        obj.insert("title".into(), Value::String(title.clone()));
    }
    if let Some(nav) = &pushed.nav {
        obj.insert("nav".into(), nav_object(nav, pushed.flash.as_deref()));
    }
    if let Some((token, url)) = &pushed.landed {
        obj.insert("token".into(), Value::from(token.as_str()));
        obj.insert("url".into(), Value::from(url.as_str()));
    }
    if !pushed.events.is_empty() {
        let events = pushed
            .events
            .iter()
            .map(|(n, p)| Value::Array(vec![Value::String(n.clone()), p.clone()]))
            .collect();
        obj.insert("events".into(), Value::Array(events));
    }
    let obj = Value::Object(obj).to_string();
    if pushed.streams.is_empty() {
        out.push_str(&obj);
    } else {
        // Stream items carry HTML already escaped for JSON; appended as they are.
        out.push_str(&obj[..obj.len() - 1]);
        if obj.len() > 2 {
            out.push(',');
        }
        out.push_str("\"s\":");
        crate::wire::stream_ops::write_json(&pushed.streams, out);
        out.push('}');
    }
}

/// `{"kind":…,"to":…,"replace":true?,"flash":…?}`: where the browser goes.
fn nav_object(nav: &Nav, flash: Option<&str>) -> Value {
    let mut n = serde_json::Map::new();
    let (kind, replace) = match nav {
        Nav::Patch { replace, .. } => ("patch", *replace),
        Nav::Navigate { replace, .. } => ("navigate", *replace),
        Nav::Redirect { external, .. } => (if *external { "external" } else { "redirect" }, false),
    };
    n.insert("kind".into(), Value::from(kind));
    n.insert("to".into(), Value::from(nav.to()));
    if replace {
        n.insert("replace".into(), Value::Bool(true));
    }
    if let Some(flash) = flash {
        n.insert("flash".into(), Value::from(flash));
    }
    Value::Object(n)
}

/// `[ref,"nav",nav]`: the browser leaves for `nav` with a full load (no live page can come).
pub(crate) fn nav_frame(r: u64, nav: &Nav, flash: Option<&str>) -> String {
    format!("[{r},\"nav\",{}]", nav_object(nav, flash))
}

/// `[ref,"err",code,message]`: a typed error.
///
/// ```
/// use leptos_live::wire::protocol::error_frame;
/// use leptos_live::error::ErrorCode;
/// assert_eq!(error_frame(2, ErrorCode::NotJoined, "join first"), r#"[2,"err","not_joined","join first"]"#);
/// ```
pub fn error_frame(r: u64, code: ErrorCode, message: &str) -> String {
    metrics::counter!("leptos_live_errors_total", "code" => code.as_str()).increment(1);
    let mut out = String::with_capacity(message.len() + 32);
    let _ = write!(out, "[{r},\"err\",\"{}\",", code.as_str());
    write_json_str(message, &mut out);
    out.push(']');
    out
}

/// `[ref,"h"]`: the heartbeat's answer.
pub fn heartbeat_frame(r: u64) -> String {
    format!("[{r},\"h\"]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resent_references_are_checked() {
        let code = |text: &str| ClientFrame::decode(text, 100_000).map_err(|e| (e.r, e.code));
        for bad in [
            r#"[2,"j","tok",1,"/",[0]]"#,
            r#"[2,"j","tok",1,"/",[-3]]"#,
            r#"[2,"j","tok",1,"/",["4"]]"#,
            r#"[2,"j","tok",1,"/",[1.5]]"#,
            r#"[2,"j","tok",1,"/",[99999999999999999999999]]"#,
            r#"[2,"j","tok",1,"/",7]"#,
        ] {
            assert_eq!(code(bad), Err((2, ErrorCode::BadFrame)), "{bad}");
        }
        let many: Vec<String> = (1..=MAX_RESENT + 1).map(|n| n.to_string()).collect();
        let too_many = format!(r#"[2,"j","tok",1,"/",[{}]]"#, many.join(","));
        assert_eq!(code(&too_many), Err((2, ErrorCode::BadFrame)));
        let most = format!(r#"[2,"j","tok",1,"/",[{}]]"#, many[..MAX_RESENT].join(","));
        assert!(code(&most).is_ok());
    }

    #[test]
    fn decodes_every_kind() {
        assert_eq!(
            ClientFrame::decode(r#"[1,"j","tok",7]"#, 100),
            Ok(ClientFrame::Join {
                r: 1,
                token: "tok".into(),
                version: Some(7),
                url: None,
                resent: Vec::new(),
            })
        );
        assert_eq!(
            ClientFrame::decode(r#"[9,"j","tok",3,"/?a=1",[4,6]]"#, 100),
            Ok(ClientFrame::Join {
                r: 9,
                token: "tok".into(),
                version: Some(3),
                url: Some("/?a=1".into()),
                resent: vec![4, 6],
            })
        );
        assert_eq!(
            ClientFrame::decode(r#"[5,"n","/rooms/a","sealed"]"#, 100),
            Ok(ClientFrame::Navigate {
                r: 5,
                url: "/rooms/a".into(),
                flash: Some("sealed".into())
            })
        );
        assert_eq!(
            ClientFrame::decode(r#"[6,"l","/rooms/a?tab=members"]"#, 100),
            Ok(ClientFrame::Patch {
                r: 6,
                url: "/rooms/a?tab=members".into()
            })
        );
        assert_eq!(
            ClientFrame::decode(r#"[2,"h"]"#, 100),
            Ok(ClientFrame::Heartbeat {
                r: 2,
                times: vec![]
            })
        );
        assert_eq!(
            ClientFrame::decode(r#"[2,"h",[1.5,0,12]]"#, 100),
            Ok(ClientFrame::Heartbeat {
                r: 2,
                times: vec![1.5, 0.0, 12.0]
            })
        );
        for bad in [
            r#"[2,"h",[-1]]"#,
            r#"[2,"h",[60001]]"#,
            r#"[2,"h",["1"]]"#,
            r#"[2,"h",{}]"#,
        ] {
            let e = ClientFrame::decode(bad, 100).expect_err(bad);
            assert_eq!((e.r, e.code), (2, ErrorCode::BadFrame), "{bad}");
        }
        let many = format!("[2,\"h\",[{}]]", vec!["1"; TIMES_REPORTED + 1].join(","));
        assert!(ClientFrame::decode(&many, 1000).is_err());
        assert_eq!(
            ClientFrame::decode(r#"[3,"r"]"#, 100),
            Ok(ClientFrame::Resync { r: 3 })
        );
        assert_eq!(
            ClientFrame::decode(r#"[4,"e","set",{"v":"1"}]"#, 100),
            Ok(ClientFrame::Event {
                r: 4,
                name: "set".into(),
                payload: serde_json::json!({"v":"1"}),
                target: None,
            })
        );
        assert_eq!(
            ClientFrame::decode(r#"[5,"e","inc",{},"c1"]"#, 100),
            Ok(ClientFrame::Event {
                r: 5,
                name: "inc".into(),
                payload: serde_json::json!({}),
                target: Some("c1".into()),
            })
        );
    }

    #[test]
    fn decodes_upload_frames() {
        assert_eq!(
            ClientFrame::decode(r#"[7,"u","photos",[["a.png",10,"image/png"]]]"#, 100),
            Ok(ClientFrame::Upload {
                r: 7,
                name: "photos".into(),
                files: vec![("a.png".into(), 10, "image/png".into())],
            })
        );
        let code = |s: &str| ClientFrame::decode(s, 100).map(|_| ()).unwrap_err().code;
        assert_eq!(code(r#"[7,"u","photos"]"#), ErrorCode::BadFrame);
        assert_eq!(
            code(r#"[7,"u","photos",[["a",-1,""]]]"#),
            ErrorCode::BadFrame
        );
        assert_eq!(code(r#"[7,"u","photos",[["a",1]]]"#), ErrorCode::BadFrame);
        assert!(Chunk::decode(&[1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert_eq!(
            Chunk::decode(&[1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
            Ok(Chunk {
                entry: 1,
                offset: 0,
                data_at: 13
            })
        );
        assert_eq!(upload_ack_frame(3, 65536), r#"[0,"uk",3,65536]"#);
        assert_eq!(
            upload_end_frame(3, "cancelled"),
            r#"[0,"uf",3,"cancelled"]"#
        );
    }

    proptest::proptest! {
        #[test]
        fn chunk_headers_read_back_and_garbage_is_refused(
            entry: u32,
            offset: u64,
            data in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
            garbage in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
        ) {
            let mut frame = vec![1];
            frame.extend_from_slice(&entry.to_be_bytes());
            frame.extend_from_slice(&offset.to_be_bytes());
            frame.extend_from_slice(&data);
            let c = Chunk::decode(&frame).expect("a chunk");
            proptest::prop_assert_eq!((c.entry, c.offset), (entry, offset));
            proptest::prop_assert_eq!(&frame[c.data_at..], &data[..]);
            let ok = garbage.len() >= CHUNK_HEADER && garbage[0] == 1;
            proptest::prop_assert_eq!(Chunk::decode(&garbage).is_ok(), ok);
        }
    }

    #[test]
    fn refuses_bad_frames_with_codes() {
        let code = |s: &str| ClientFrame::decode(s, 40).map(|_| ()).unwrap_err().code;
        assert_eq!(code("{}"), ErrorCode::BadFrame);
        assert_eq!(code("[]"), ErrorCode::BadFrame);
        assert_eq!(code(r#"["x","e"]"#), ErrorCode::BadFrame);
        assert_eq!(code(r#"[1,"zz"]"#), ErrorCode::BadFrame);
        assert_eq!(code(r#"[1,"e",5]"#), ErrorCode::BadFrame);
        assert_eq!(code(r#"[1,"e","x",[1]]"#), ErrorCode::BadFrame);
        assert_eq!(
            code(&format!("[1,\"e\",\"{}\"]", "x".repeat(50))),
            ErrorCode::TooLarge
        );
        let e = ClientFrame::decode(r#"[9,"zz"]"#, 40).unwrap_err();
        assert_eq!(e.r, 9);
    }
}
