//! A page's life: mounting it (with its live session's checks), its task, the I/O-free core that
//! turns an event into a render, a diff and frames, and the registry of running pages.

pub(crate) mod answers;
pub(crate) mod core;
pub(crate) mod metered;
pub(crate) mod packed;
pub(crate) mod registry;
pub(crate) mod render;
pub(crate) mod sent;
pub(crate) mod session;
pub(crate) mod task;
