//! Errors: what a page's callbacks return ([`LiveError`]), and the codes error frames carry to
//! the client ([`ErrorCode`]).

use std::fmt;

pub use crate::wire::code::ErrorCode;

/// An error from a page's `mount`, `handle_event` or `handle_info`.
///
/// The page keeps running after an error (only a panic ends it); the client gets an error frame
/// with the message and the log gets a `tracing` warning.
///
/// ```
/// use leptos_live::LiveError;
/// let e = LiveError::msg("step must be positive");
/// assert_eq!(e.to_string(), "step must be positive");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The page has no handler for this event name.
    #[error("unknown event {0:?}")]
    UnknownEvent(String),
    /// The event's payload is missing a value or has one of the wrong shape.
    #[error("bad payload: {0}")]
    BadPayload(String),
    /// Any other failure, with a message for the client and the log.
    #[error("{0}")]
    Message(String),
    /// A failure from another library.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl LiveError {
    /// An error with a message.
    ///
    /// ```
    /// use leptos_live::LiveError;
    /// let step = -1;
    /// let e = LiveError::msg(format_args!("step {step} must be positive"));
    /// assert_eq!(e.to_string(), "step -1 must be positive");
    /// ```
    pub fn msg(message: impl fmt::Display) -> Self {
        LiveError::Message(message.to_string())
    }

    /// The code an error frame carries for this error.
    ///
    /// ```
    /// use leptos_live::LiveError;
    /// assert_eq!(LiveError::UnknownEvent("nope".into()).code().as_str(), "unknown_event");
    /// assert_eq!(LiveError::msg("no").code().as_str(), "handler_error");
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            LiveError::UnknownEvent(_) => ErrorCode::UnknownEvent,
            LiveError::BadPayload(_) => ErrorCode::BadPayload,
            _ => ErrorCode::HandlerError,
        }
    }
}

/// The message of a caught panic.
pub(crate) fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}
