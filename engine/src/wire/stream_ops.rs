//! Stream frames: the changes to a page's streams, as the browser applies them, and their JSON.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::diff::write_json_str;

/// Where inserted items go in the browser's list.
///
/// ```
/// # use leptos_live::{Params, Session, Stream};
/// # use leptos_live::testing::LiveTest;
/// # use leptos_live::testing::examples::{msg, Chat, Msg};
/// use leptos_live::stream::At;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
/// // Older messages loaded on scroll go above the ones shown.
/// # page.send(Box::new(|messages: &mut Stream<Msg>| {
/// messages.insert_many(At::Start, [msg(0, "zero")]);
/// # }));
/// # page.drain_info().await.unwrap();
/// assert_eq!(page.texts("li"), ["zero", "one", "two"]);
/// # });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// Before the first item (as a block, in the order given).
    Start,
    /// After the last item.
    End,
}

/// One change to a stream, as the browser applies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StreamOp {
    Reset,
    Insert {
        at: At,
        limit: Option<u32>,
        /// DOM ids, then (once rendered) each item's HTML.
        items: Vec<(String, String)>,
    },
    Delete(Vec<String>),
}

/// A stream's changes since the last render, ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StreamOps {
    pub name: Arc<str>,
    pub ops: Vec<StreamOp>,
}

/// Appends the streams' changes as JSON: `[[name,"r"],[name,"i",at,limit,[[id,html],…]],[name,"d",[id,…]]]`.
pub(crate) fn write_json(streams: &[StreamOps], out: &mut String) {
    out.push('[');
    let mut first = true;
    for s in streams {
        for op in &s.ops {
            if !first {
                out.push(',');
            }
            first = false;
            out.push('[');
            write_json_str(&s.name, out);
            match op {
                StreamOp::Reset => out.push_str(",\"r\""),
                StreamOp::Insert { at, limit, items } => {
                    let at = match at {
                        At::Start => 0,
                        At::End => -1,
                    };
                    let _ = write!(out, ",\"i\",{at},{},[", limit.unwrap_or(0));
                    for (i, (id, html)) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push('[');
                        write_json_str(id, out);
                        out.push(',');
                        write_json_str(html, out);
                        out.push(']');
                    }
                    out.push(']');
                }
                StreamOp::Delete(ids) => {
                    out.push_str(",\"d\",[");
                    for (i, id) in ids.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write_json_str(id, out);
                    }
                    out.push(']');
                }
            }
            out.push(']');
        }
    }
    out.push(']');
}
