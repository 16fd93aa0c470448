//! The diff engine: node trees in, minimal DOM operations out.
//!
//! ```
//! use leptos_live::diff::{apply, diff};
//! use leptos_live::html::parse_fragment;
//! let a = parse_fragment("<p>1</p>");
//! let b = parse_fragment("<p>2</p><p>new</p>");
//! let ops = diff(&a, &b).unwrap();
//! let mut t = a.clone();
//! apply(&mut t, &ops).unwrap();
//! assert_eq!(t, b);
//! ```

#[cfg(any(test, feature = "internals", feature = "testing"))]
mod apply;
mod op;
mod text;
mod tree_diff;

#[cfg(any(test, feature = "internals"))]
pub use apply::ApplyError;
#[cfg(any(test, feature = "internals", feature = "testing"))]
pub use apply::apply;
#[cfg(any(test, feature = "internals"))]
pub use op::Path;
pub(crate) use op::write_json_str;
pub use op::{Op, write_ops};
#[cfg(any(test, feature = "internals"))]
pub use text::{Splice, apply_splices, splices};
pub(crate) use tree_diff::STREAM_ATTR;
pub use tree_diff::{Unrepresentable, diff, diff_planned};

#[cfg(test)]
mod tests;
