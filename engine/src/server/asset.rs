//! The browser shim, embedded in the engine and served under a content-hashed URL with
//! long-lived cache headers and gzip.

use std::num::NonZeroU64;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The shim's source, as written (see [`client_js`] for what browsers get).
///
/// ```
/// // The shim as written; browsers get it compacted and gzipped from `/live/leptos-live-<hash>.js`.
/// assert!(leptos_live::server::CLIENT_JS.contains("class LiveSocket"));
/// ```
pub const CLIENT_JS: &str = include_str!("../../../client-js/leptos-live.js");

/// The long-poll transport's source: a module the shim loads only when a WebSocket cannot get
/// through, so that pages whose socket works never download it.
pub(crate) const POLL_JS: &str = include_str!("../../../client-js/leptos-live-poll.js");

/// The upload code's source: a module the shim loads the first time its page shows an
/// `lv-upload` input, so that pages without uploads never download it.
pub(crate) const UPLOAD_JS: &str = include_str!("../../../client-js/leptos-live-upload.js");

/// The view-transition code's source: a module the shim loads only when the page's
/// `<meta name="lv-view-transitions">` names it ([`crate::LiveRouter::view_transitions`]).
pub(crate) const TRANSITIONS_JS: &str =
    include_str!("../../../client-js/leptos-live-transitions.js");

pub(crate) struct Asset {
    /// `leptos-live-<hash>.js`, `leptos-live-poll-<hash>.js`, `leptos-live-upload-<hash>.js`,
    /// `leptos-live-transitions-<hash>.js`
    pub file_name: String,
    /// The script as served: the source without comment lines and indentation.
    pub text: String,
    /// Its gzip body, made on first use (see [`Asset::gzip`]).
    gzip: OnceLock<Bytes>,
}

/// Zopfli's passes over each script: past five the shim gains nothing.
const PASSES: NonZeroU64 = NonZeroU64::new(5).expect("five is not zero");

impl Asset {
    /// The script gzipped, compressed the first time it is asked for: with Zopfli, whose
    /// deflate streams any gzip reader takes and are about 4% smaller than zlib's best (some
    /// 450 bytes of the shim), at a few hundred milliseconds once per process. Empty if
    /// compression failed (the text is served then).
    pub fn gzip(&self) -> &Bytes {
        self.gzip.get_or_init(|| {
            let options = zopfli::Options {
                iteration_count: PASSES,
                ..zopfli::Options::default()
            };
            let mut out = Vec::with_capacity(self.text.len() / 3);
            match zopfli::compress(
                options,
                zopfli::Format::Gzip,
                self.text.as_bytes(),
                &mut out,
            ) {
                Ok(()) => out.into(),
                Err(e) => {
                    tracing::error!(file = %self.file_name, "cannot gzip the script: {e}");
                    Bytes::new()
                }
            }
        })
    }
}

/// Compresses the engine's scripts on a thread of their own, so that no request waits for
/// it (a request that comes first makes the body it needs itself).
pub(crate) fn warm() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("leptos-live-gzip".into())
            .spawn(|| {
                for asset in [client(), poll(), upload(), transitions()] {
                    asset.gzip();
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot compress the scripts ahead: {e}");
        }
    });
}

/// Drops what the browser does not need: lines that hold only a comment, blank lines,
/// indentation, and spaces beside punctuation outside string literals (`a = b(c, d)` becomes
/// `a=b(c,d)`; `const x`, `a - -b` and line breaks stay, so no token changes). Safe for this
/// source, whose strings never span lines and whose regular expressions hold no quotes (a test
/// checks both).
fn compact(source: &str) -> String {
    let lines = source
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"));
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(source.len());
    for line in lines {
        let mut quote = None;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some(q) => {
                    out.push(c);
                    if c == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if c == q {
                        quote = None;
                    }
                }
                None if c == '"' || c == '\'' || c == '`' => {
                    quote = Some(c);
                    out.push(c);
                }
                None if c == ' ' => {
                    let before = out.chars().last().unwrap_or('\n');
                    let after = chars.peek().copied().unwrap_or('\n');
                    let keep = (word(before) && word(after))
                        || (before == after && (before == '+' || before == '-'));
                    if keep {
                        out.push(c);
                    }
                }
                None => out.push(c),
            }
        }
        out.push('\n');
    }
    out.pop();
    out
}

/// The shim's file name and gzip body, computed once.
pub(crate) fn client() -> &'static Asset {
    static ASSET: OnceLock<Asset> = OnceLock::new();
    ASSET.get_or_init(|| build("leptos-live", CLIENT_JS))
}

/// The long-poll module's file name and gzip body, computed once.
pub(crate) fn poll() -> &'static Asset {
    static ASSET: OnceLock<Asset> = OnceLock::new();
    ASSET.get_or_init(|| build("leptos-live-poll", POLL_JS))
}

/// The upload module's file name and gzip body, computed once.
pub(crate) fn upload() -> &'static Asset {
    static ASSET: OnceLock<Asset> = OnceLock::new();
    ASSET.get_or_init(|| build("leptos-live-upload", UPLOAD_JS))
}

/// The view-transition module's file name and gzip body, computed once.
pub(crate) fn transitions() -> &'static Asset {
    static ASSET: OnceLock<Asset> = OnceLock::new();
    ASSET.get_or_init(|| build("leptos-live-transitions", TRANSITIONS_JS))
}

/// A script as served under `<stem>-<hash>.js`: compacted and gzipped.
fn build(stem: &str, source: &str) -> Asset {
    hashed(stem, compact(source))
}

/// A colocated hook's module (see [`crate::LiveRouter::hook`]), served as `hook-<name>-<hash>.js`:
/// the app's source as written (it is not the shim's, so it is not compacted), gzipped.
pub(crate) fn hook(name: &str, source: &str) -> Asset {
    hashed(&format!("hook-{name}"), source.to_string())
}

/// The one module that collects an app's colocated hooks (served as
/// `leptos-live-hooks-<hash>.js`): each hook's default export under the hook's name,
/// re-exported from the hook's own module beside it, so that each keeps its own imports.
pub(crate) fn hooks_index<'a>(hooks: impl IntoIterator<Item = (&'a str, &'a Asset)>) -> Asset {
    let text: String = hooks
        .into_iter()
        .map(|(name, a)| {
            format!(
                "export {{ default as \"{name}\" }} from \"./{}\";\n",
                a.file_name
            )
        })
        .collect();
    hashed("leptos-live-hooks", text)
}

/// `text` as served under `<stem>-<hash>.js`, gzipped.
fn hashed(stem: &str, text: String) -> Asset {
    let digest = Sha256::digest(text.as_bytes());
    let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    Asset {
        file_name: format!("{stem}-{hash}.js"),
        text,
        gzip: OnceLock::new(),
    }
}

/// The shim as served: its source without comment lines and indentation.
///
/// ```
/// assert!(leptos_live::server::client_js().contains("class LiveSocket"));
/// ```
pub fn client_js() -> &'static str {
    &client().text
}

/// Serves `asset` (gzipped when the browser takes it) with a year's immutable caching: its name
/// changes with its content.
pub(crate) fn serve(asset: &Asset, headers: &HeaderMap) -> Response {
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    // Compressed only for a browser that takes it.
    let gzip = gzip_ok.then(|| asset.gzip()).filter(|g| !g.is_empty());
    let mut res = if let Some(gzip) = gzip {
        let mut r = gzip.clone().into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        asset.text.clone().into_response()
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    *res.status_mut() = StatusCode::OK;
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_served_script_stays_within_ten_kib_gzipped() {
        // 8 KiB before uploads; uploads may take it to 10 KiB.
        let gz = client().gzip().len();
        assert!(gz > 0 && gz <= 10 * 1024, "the shim is {gz} bytes gzipped");
        println!("the shim is {gz} bytes gzipped");
    }

    #[test]
    fn the_colocated_hooks_are_collected_into_one_module() {
        let (chart, map) = (
            hook("Chart", "export default {};"),
            hook("my-map", "export default { a: 1 };"),
        );
        let index = hooks_index([("Chart", &chart), ("my-map", &map)]);
        assert!(index.file_name.starts_with("leptos-live-hooks-"));
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&index.gzip()[..]),
            &mut text,
        )
        .expect("gzip");
        assert_eq!(
            text,
            format!(
                "export {{ default as \"Chart\" }} from \"./{}\";\nexport {{ default as \"my-map\" }} from \"./{}\";\n",
                chart.file_name, map.file_name
            )
        );
    }

    #[test]
    fn a_colocated_hook_is_served_as_written_under_its_hash() {
        let source = "export default {\n  // drawn here\n  mounted() { this.el.textContent = \"a  b\"; },\n};\n";
        let a = hook("Chart", source);
        assert!(a.file_name.starts_with("hook-Chart-") && a.file_name.ends_with(".js"));
        assert_eq!(a.text, source);
        assert!(!a.gzip().is_empty());
        assert_ne!(hook("Chart", "export default {};").file_name, a.file_name);
    }

    #[test]
    fn the_long_poll_module_is_served_apart() {
        let gz = poll().gzip().len();
        assert!(
            gz > 0 && gz <= 2 * 1024,
            "the poll module is {gz} bytes gzipped"
        );
        assert!(poll().file_name.starts_with("leptos-live-poll-"));
        assert!(poll().text.contains("export class LongPoll"));
        println!("the long-poll module is {gz} bytes gzipped");
    }

    #[test]
    fn the_upload_module_is_served_apart_with_long_cache() {
        let gz = upload().gzip().len();
        assert!(
            gz > 0 && gz <= 2 * 1024,
            "the upload module is {gz} bytes gzipped"
        );
        assert!(upload().file_name.starts_with("leptos-live-upload-"));
        assert!(upload().text.contains("export const Uploads"));
        assert!(!client().text.contains("createObjectURL"));
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        let res = serve(upload(), &headers);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(
            res.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        println!("the upload module is {gz} bytes gzipped");
    }

    #[test]
    fn the_view_transition_module_is_served_apart() {
        let gz = transitions().gzip().len();
        assert!(
            gz > 0 && gz <= 1024,
            "the view-transition module is {gz} bytes gzipped"
        );
        assert!(
            transitions()
                .file_name
                .starts_with("leptos-live-transitions-")
        );
        assert!(transitions().text.contains("export const transitions"));
        assert!(!client().text.contains("startViewTransition"));
        println!("the view-transition module is {gz} bytes gzipped");
    }

    /// The text between `start` and the next `end` of the shim's source.
    fn between<'a>(start: &str, end: &str) -> &'a str {
        let at = CLIENT_JS.find(start).map(|i| i + start.len()).unwrap_or(0);
        let rest = &CLIENT_JS[at..];
        &rest[..rest.find(end).unwrap_or(0)]
    }

    #[test]
    fn the_shims_op_codes_are_the_engines() {
        use crate::diff::Op;
        let names: Vec<&str> = between("const [REPLACE", "]")
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        let codes: Vec<u8> = between("REORDER] = [", "]")
            .split(',')
            .filter_map(|c| c.trim().parse().ok())
            .collect();
        let js: std::collections::HashMap<String, u8> = std::iter::once("REPLACE")
            .chain(names)
            .map(str::to_string)
            .zip(codes)
            .collect();
        let p = vec![0];
        let ops = [
            Op::Replace {
                path: p.clone(),
                html: String::new(),
            },
            Op::SetText {
                path: p.clone(),
                text: String::new(),
            },
            Op::SetAttr {
                path: p.clone(),
                name: String::new(),
                value: String::new(),
            },
            Op::RemoveAttr {
                path: p.clone(),
                name: String::new(),
            },
            Op::Insert {
                path: p.clone(),
                index: 0,
                html: String::new(),
            },
            Op::Remove { path: p.clone() },
            Op::Move {
                path: p.clone(),
                from: 0,
                to: 0,
            },
            Op::Splice {
                path: p.clone(),
                edits: Vec::new(),
            },
            Op::Reorder {
                path: p.clone(),
                order: Vec::new(),
            },
        ];
        assert_eq!(js.len(), ops.len(), "every operation is named: {js:?}");
        for op in ops {
            // SetText -> SET_TEXT
            let variant: String = format!("{op:?}")
                .split(' ')
                .next()
                .unwrap_or_default()
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let sep = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                    sep.into_iter()
                        .chain(std::iter::once(c.to_ascii_uppercase()))
                })
                .collect();
            assert_eq!(js.get(&variant), Some(&op.code()), "{variant}");
        }
    }

    #[test]
    fn the_shims_fatal_codes_are_the_engines() {
        let mut js: Vec<&str> = between("const FATAL = [", "]")
            .split(',')
            .map(|c| c.trim().trim_matches('"'))
            .collect();
        let mut rust: Vec<&str> = crate::error::ErrorCode::ALL
            .iter()
            .filter(|c| c.is_fatal())
            .map(|c| c.as_str())
            .collect();
        js.sort_unstable();
        rust.sort_unstable();
        assert_eq!(js, rust);
        // The page reloads after some of them.
        for code in between("const RELOAD = [", "]").split(',') {
            let code = code.trim().trim_matches('"');
            assert!(rust.contains(&code), "{code} is not a fatal code");
        }
    }

    /// The names and values of the shim's line `const [first, …] = […];`.
    fn named(first: &str) -> Vec<(String, String)> {
        let start = format!("const [{first},");
        let line = CLIENT_JS
            .lines()
            .chain(UPLOAD_JS.lines())
            .find(|l| l.starts_with(&start))
            .unwrap_or_default();
        let (names, values) = line.split_once("] = [").unwrap_or_default();
        let list = |s: &str| -> Vec<String> {
            s.trim_start_matches("const [")
                .trim_end_matches("];")
                .split(',')
                .map(|x| x.trim().trim_matches('"').to_string())
                .collect()
        };
        let (names, values) = (list(names), list(values));
        assert_eq!(names.len(), values.len(), "{line}");
        names.into_iter().zip(values).collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_shims_wire_codes_are_the_engines() {
        use crate::error::ErrorCode;
        use crate::wire::protocol::{self, Chunk};
        use crate::wire::pushed::Nav;
        use crate::wire::stream_ops::{At, StreamOp, StreamOps, write_json};
        use serde_json::Value;
        let json = |text: &str| serde_json::from_str::<Value>(text).unwrap_or_default();
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();

        // Frames the browser sends, by the kinds ClientFrame::decode matches.
        assert_eq!(
            named("JOIN"),
            pairs(&[
                ("JOIN", protocol::JOIN),
                ("NAVIGATE", protocol::NAVIGATE),
                ("PATCH", protocol::PATCH),
                ("EVENT", protocol::EVENT),
                ("UPLOAD", protocol::UPLOAD),
                ("HEARTBEAT", protocol::HEARTBEAT),
                ("RESYNC", protocol::RESYNC),
            ])
        );

        // Frames the server sends besides patches, by the kinds its encoders write.
        let kind = |frame: String| text(&json(&frame)[1]);
        let nav = |nav: Nav| json(&protocol::nav_frame(0, &nav, None));
        let to = || "/".to_string();
        let external = nav(Nav::Redirect {
            to: to(),
            external: true,
        });
        assert_eq!(
            named("ERROR"),
            pairs(&[
                (
                    "ERROR",
                    kind(protocol::error_frame(0, ErrorCode::BadFrame, "")).as_str()
                ),
                ("HTML", kind(protocol::html_frame(0, "", 0)).as_str()),
                ("NAV", text(&external[1]).as_str()),
                (
                    "UPLOAD_ACK",
                    kind(protocol::upload_ack_frame(1, 0)).as_str()
                ),
                (
                    "UPLOAD_END",
                    kind(protocol::upload_end_frame(1, "")).as_str()
                ),
                ("TOKEN", kind(protocol::token_frame("")).as_str()),
            ])
        );

        // Where a nav sends the browser, by the kinds it carries.
        let nav_kind = |n: Value| text(&n[2]["kind"]);
        let patch = Nav::Patch {
            to: to(),
            replace: false,
        };
        let navigate = Nav::Navigate {
            to: to(),
            replace: false,
        };
        assert_eq!(
            named("NAV_PATCH"),
            pairs(&[
                ("NAV_PATCH", nav_kind(nav(patch)).as_str()),
                ("NAV_NAVIGATE", nav_kind(nav(navigate)).as_str()),
                ("NAV_EXTERNAL", nav_kind(external).as_str()),
            ])
        );

        // Stream operations, by the kinds stream::write_json writes.
        let mut out = String::new();
        let ops = vec![
            StreamOp::Reset,
            StreamOp::Delete(Vec::new()),
            StreamOp::Insert {
                at: At::End,
                limit: None,
                items: Vec::new(),
            },
        ];
        write_json(
            &[StreamOps {
                name: "s".into(),
                ops,
            }],
            &mut out,
        );
        let ops = json(&out);
        assert_eq!(
            named("STREAM_RESET"),
            pairs(&[
                ("STREAM_RESET", text(&ops[0][1]).as_str()),
                ("STREAM_DELETE", text(&ops[1][1]).as_str()),
                ("STREAM_INSERT", text(&ops[2][1]).as_str()),
            ])
        );

        // An upload chunk's kind and header length as the shim writes them: the engine reads
        // such a frame, and one of another kind it refuses.
        let chunk = named("CHUNK");
        let names: Vec<&str> = chunk.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["CHUNK", "CHUNK_HEADER"]);
        let number = |i: usize| chunk[i].1.parse::<usize>().unwrap_or_default();
        assert_eq!(number(1), protocol::CHUNK_HEADER);
        let mut frame = vec![0u8; number(1) + 1];
        frame[0] = u8::try_from(number(0)).unwrap_or_default();
        assert!(Chunk::decode(&frame).is_ok(), "{chunk:?}");
        frame[0] = frame[0].wrapping_add(1);
        assert!(Chunk::decode(&frame).is_err(), "{chunk:?}");

        // The upload module's own copies of the codes it sends and reads.
        assert_eq!(
            named("EVENT"),
            pairs(&[("EVENT", protocol::EVENT), ("UPLOAD", protocol::UPLOAD)])
        );
        assert_eq!(
            named("UPLOAD_ACK"),
            pairs(&[
                (
                    "UPLOAD_ACK",
                    kind(protocol::upload_ack_frame(1, 0)).as_str()
                ),
                (
                    "UPLOAD_END",
                    kind(protocol::upload_end_frame(1, "")).as_str()
                ),
            ])
        );

        // The event that cancels an upload entry, and the cookie that carries a flash.
        let quoted = |src: &str, start: &str| {
            let at = src.find(start).map(|i| i + start.len()).unwrap_or(0);
            src[at..].split('"').next().unwrap_or_default().to_string()
        };
        assert_eq!(
            quoted(UPLOAD_JS, "const CANCEL_UPLOAD = \""),
            crate::upload::CANCEL_UPLOAD
        );
        assert_eq!(
            quoted(CLIENT_JS, "const FLASH_COOKIE = \""),
            crate::flash::COOKIE_NAME
        );
    }

    #[test]
    fn compacting_is_safe_for_the_source_no_string_spans_lines() {
        for (i, line) in CLIENT_JS.lines().enumerate() {
            assert_eq!(
                line.matches('`').count() % 2,
                0,
                "line {} opens a template literal it does not close",
                i + 1
            );
        }
        let text = compact(CLIENT_JS);
        assert!(text.lines().all(|l| l == l.trim() && !l.starts_with("//")));
        assert!(text.len() < CLIENT_JS.len());
        // A regular expression with a quote in it would be read as the start of a string.
        for (i, line) in CLIENT_JS.lines().enumerate() {
            if line.trim().starts_with("//") {
                continue;
            }
            // The line with its string literals taken out.
            let mut code = String::new();
            let mut quote = None;
            for c in line.chars() {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == '"' || c == '\'' || c == '`' => quote = Some(c),
                    None => code.push(c),
                }
            }
            for (k, _) in code.match_indices(['(', '=', ',', ':']) {
                let rest = code[k + 1..].trim_start();
                if let Some(body) = rest.strip_prefix('/').and_then(|r| r.split('/').next()) {
                    assert!(
                        !body.contains(['"', '\'', '`']),
                        "line {}: a regular expression holds a quote",
                        i + 1
                    );
                }
            }
        }
    }

    #[test]
    fn compacting_keeps_strings_and_tokens() {
        let js = "const a = \"x y, z\";  // not a comment line\nlet b = f(a , 'p q') - -c;\n    // gone\nreturn `t ${a + 1}`;";
        assert_eq!(
            compact(js),
            "const a=\"x y, z\";//not a comment line\nlet b=f(a,'p q')- -c;\nreturn`t ${a + 1}`;"
        );
    }

    #[test]
    fn the_script_is_served_gzipped_with_long_cache() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, br"),
        );
        let res = serve(client(), &headers);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        assert!(
            res.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap_or("")
                .contains("immutable")
        );
        let plain = serve(client(), &HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
