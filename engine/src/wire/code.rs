//! The typed error codes of the wire protocol.

use std::fmt;

/// The typed error codes of the wire protocol (see `PROTOCOL.md`).
///
/// ```
/// use leptos_live::error::ErrorCode;
/// assert_eq!(ErrorCode::BadToken.as_str(), "bad_token");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The frame is not valid JSON or not of a known shape.
    BadFrame,
    /// The frame is larger than the configured limit.
    TooLarge,
    /// The join token is malformed or its signature does not match.
    BadToken,
    /// The join token is older than the configured maximum age.
    ExpiredToken,
    /// The token names a page this server does not route.
    UnknownPage,
    /// An event, heartbeat or resync arrived before a successful join.
    NotJoined,
    /// A second join on a socket that already joined.
    AlreadyJoined,
    /// The page has no handler for the event.
    UnknownEvent,
    /// The event's payload did not fit what the handler needs.
    BadPayload,
    /// A handler returned an error; the page keeps running.
    HandlerError,
    /// The page panicked and has ended; the client should reload.
    PageCrashed,
    /// Another socket joined the same page; this one is closed.
    Replaced,
    /// Mounting the page again at join time failed.
    MountFailed,
    /// A navigation or patch named a URL that is not a path on this site.
    BadNavigation,
    /// The socket sent more events or bytes per second than allowed; the frame was dropped
    /// (and the socket closed after many).
    RateLimited,
    /// The client's address or session has as many pages mounted as allowed.
    TooManyPages,
    /// Files were announced for an upload the page did not allow.
    UnknownUpload,
}

impl ErrorCode {
    /// Every code.
    ///
    /// ```
    /// use leptos_live::error::ErrorCode;
    /// assert!(ErrorCode::ALL.iter().any(|c| c.as_str() == "bad_token"));
    /// ```
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::BadFrame,
        ErrorCode::TooLarge,
        ErrorCode::BadToken,
        ErrorCode::ExpiredToken,
        ErrorCode::UnknownPage,
        ErrorCode::NotJoined,
        ErrorCode::AlreadyJoined,
        ErrorCode::UnknownEvent,
        ErrorCode::BadPayload,
        ErrorCode::HandlerError,
        ErrorCode::PageCrashed,
        ErrorCode::Replaced,
        ErrorCode::MountFailed,
        ErrorCode::BadNavigation,
        ErrorCode::RateLimited,
        ErrorCode::TooManyPages,
        ErrorCode::UnknownUpload,
    ];

    /// The code as it appears on the wire.
    ///
    /// ```
    /// use leptos_live::error::ErrorCode;
    /// assert_eq!(ErrorCode::RateLimited.as_str(), "rate_limited");
    /// assert!(ErrorCode::ALL.iter().all(|c| !c.as_str().is_empty()));
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadFrame => "bad_frame",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::BadToken => "bad_token",
            ErrorCode::ExpiredToken => "expired_token",
            ErrorCode::UnknownPage => "unknown_page",
            ErrorCode::NotJoined => "not_joined",
            ErrorCode::AlreadyJoined => "already_joined",
            ErrorCode::UnknownEvent => "unknown_event",
            ErrorCode::BadPayload => "bad_payload",
            ErrorCode::HandlerError => "handler_error",
            ErrorCode::PageCrashed => "page_crashed",
            ErrorCode::Replaced => "replaced",
            ErrorCode::MountFailed => "mount_failed",
            ErrorCode::BadNavigation => "bad_navigation",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::TooManyPages => "too_many_pages",
            ErrorCode::UnknownUpload => "unknown_upload",
        }
    }

    /// Whether the socket is closed after this error.
    ///
    /// ```
    /// use leptos_live::error::ErrorCode;
    /// assert!(ErrorCode::PageCrashed.is_fatal());     // the socket closes
    /// assert!(!ErrorCode::BadPayload.is_fatal());     // the page goes on
    /// ```
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            ErrorCode::BadToken
                | ErrorCode::ExpiredToken
                | ErrorCode::UnknownPage
                | ErrorCode::PageCrashed
                | ErrorCode::Replaced
                | ErrorCode::MountFailed
                | ErrorCode::TooManyPages
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    /// Every variant is in `ALL` once: a new one fails to compile here until it is listed.
    #[test]
    fn all_lists_every_code_once() {
        for (i, code) in ErrorCode::ALL.iter().enumerate() {
            let at = match code {
                ErrorCode::BadFrame => 0,
                ErrorCode::TooLarge => 1,
                ErrorCode::BadToken => 2,
                ErrorCode::ExpiredToken => 3,
                ErrorCode::UnknownPage => 4,
                ErrorCode::NotJoined => 5,
                ErrorCode::AlreadyJoined => 6,
                ErrorCode::UnknownEvent => 7,
                ErrorCode::BadPayload => 8,
                ErrorCode::HandlerError => 9,
                ErrorCode::PageCrashed => 10,
                ErrorCode::Replaced => 11,
                ErrorCode::MountFailed => 12,
                ErrorCode::BadNavigation => 13,
                ErrorCode::RateLimited => 14,
                ErrorCode::TooManyPages => 15,
                ErrorCode::UnknownUpload => 16,
            };
            assert_eq!(at, i, "{code} out of place");
        }
    }
}
