//! The site's icon: browsers ask for `/favicon.ico` when a page names none, and a new app
//! would log a 404 for every first visit. The router answers it: with the app's icon when it
//! gave one, else with an empty `204 No Content`.

use axum::body::Bytes;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Where browsers ask for a site's icon when the page names none.
pub(crate) const FAVICON_PATH: &str = "/favicon.ico";

/// What `GET /favicon.ico` gets from the router.
#[derive(Clone, Debug)]
pub(crate) enum Favicon {
    /// `204 No Content`: no icon, and no 404 in the log.
    Empty,
    /// The app's icon and its content type.
    Icon(Bytes, HeaderValue),
    /// No route: the app serves it.
    Off,
}

impl Favicon {
    /// The answer to `GET /favicon.ico`, cached for a day either way.
    pub(crate) fn response(&self) -> Response {
        let cache = (
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        );
        match self {
            Favicon::Icon(bytes, content_type) => {
                ([cache, (CONTENT_TYPE, content_type.clone())], bytes.clone()).into_response()
            }
            Favicon::Empty | Favicon::Off => (StatusCode::NO_CONTENT, [cache]).into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_icon_is_an_empty_answer_and_an_icon_has_its_type() {
        let empty = Favicon::Empty.response();
        assert_eq!(empty.status(), StatusCode::NO_CONTENT);
        assert!(empty.headers().contains_key(CACHE_CONTROL));
        let icon = Favicon::Icon(
            Bytes::from_static(b"<svg/>"),
            HeaderValue::from_static("image/svg+xml"),
        )
        .response();
        assert_eq!(icon.status(), StatusCode::OK);
        assert_eq!(
            icon.headers().get(CONTENT_TYPE),
            Some(&HeaderValue::from_static("image/svg+xml"))
        );
    }
}
