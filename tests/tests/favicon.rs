//! `GET /favicon.ico`, which every browser sends, gets an answer from the router instead of a
//! 404: empty by default, the app's icon when it gave one, and nothing at all (the app's own
//! route) when the app serves it.

use axum::routing::get;
use leptos::prelude::*;
use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
use leptos_live_tests::TestServer;

struct Home;

impl LiveView for Home {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Home)
    }

    fn render(&self) -> impl IntoView {
        view! { <p>"home"</p> }
    }
}

/// The status, the headers (lowercased) and the body of `GET path`.
async fn get_raw(server: &TestServer, path: &str) -> (u16, String, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut s = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.expect("read");
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

#[tokio::test]
async fn a_new_app_answers_the_icon_request_with_no_content() {
    let server = TestServer::start(LiveRouter::new().page::<Home>("/").into_router()).await;
    let (status, head, body) = get_raw(&server, "/favicon.ico").await;
    assert_eq!(status, 204, "{head}");
    assert!(
        head.contains("cache-control: public, max-age=86400"),
        "{head}"
    );
    assert!(body.is_empty());
    // The page itself is served as before.
    assert_eq!(server.get("/").await.0, 200);
}

#[tokio::test]
async fn an_app_icon_is_served_with_its_type() {
    const ICON: &[u8] = b"<svg xmlns='http://www.w3.org/2000/svg'/>";
    let app = LiveRouter::new()
        .favicon(ICON, "image/svg+xml")
        .page::<Home>("/")
        .into_router();
    let server = TestServer::start(app).await;
    let (status, head, body) = get_raw(&server, "/favicon.ico").await;
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("content-type: image/svg+xml"), "{head}");
    assert_eq!(body.as_bytes(), ICON);
}

#[tokio::test]
async fn an_app_that_routes_the_icon_itself_keeps_its_route() {
    let app: axum::Router = axum::Router::new()
        .route("/favicon.ico", get(|| async { "the app's icon" }))
        .merge(
            LiveRouter::new()
                .without_favicon()
                .page::<Home>("/")
                .into_router(),
        );
    let server = TestServer::start(app).await;
    let (status, _, body) = get_raw(&server, "/favicon.ico").await;
    assert_eq!(status, 200);
    assert_eq!(body, "the app's icon");
}
