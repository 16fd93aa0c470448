//! The floors the benchmarks set the engine beside: servers that do only what no server of a
//! live page avoids.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use futures_util::{SinkExt as _, StreamExt as _};
use leptos::prelude::{IntoView as _, Owner, RenderHtml as _};
use leptos::tachys::view::Position;

/// The floor's server: echoes each frame at once, and pushes a frame every second. With
/// `render`, it first renders the counter's page for the number it got (the demo's own markup,
/// to HTML, in a fresh reactive owner as the engine does, into a buffer the socket keeps), and
/// sends the number as before: the work that no server-rendered page avoids, and nothing of
/// the engine's.
pub async fn echo(socket: WebSocket, render: bool) {
    let (mut tx, mut rx) = socket.split();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut html = String::new();
    loop {
        let out = tokio::select! {
            m = rx.next() => match m {
                Some(Ok(Message::Text(t))) => {
                    if render {
                        render_page(t.as_str().parse().unwrap_or(0), &mut html);
                        std::hint::black_box(&html);
                    }
                    Message::Text(t)
                }
                Some(Ok(_)) => continue,
                _ => return,
            },
            _ = tick.tick() => Message::Text(format!("t{:?}", std::time::SystemTime::now()).into()),
        };
        if tx.send(out).await.is_err() {
            return;
        }
    }
}

/// The counter's page for `count`, rendered into `html` (cleared first), as the floor + render
/// renders it.
fn render_page(count: i64, html: &mut String) {
    html.clear();
    Owner::new().with(|| {
        demo_counter::counter_view(count, 1, "00:00:00".into())
            .into_view()
            .to_html_with_buf(html, &mut Position::FirstChild, true, false, Vec::new())
    });
}
