//! The HTTP render of a live page: its checks and mount for a GET, the document around its
//! HTML (head, shim, token, layout), and the redirects its checks and mount may answer with.

use std::net::IpAddr;
use std::sync::Arc;

use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::*;

use crate::ctx::Nav;
use crate::flash;
use crate::html::escape;
use crate::location;
use crate::page::render::path_and_query;
use crate::page::session::{Group, Mounting};
use crate::page::task::Mounted;
use crate::params::Params;
use crate::server::asset;
use crate::server::claims::Claims;
use crate::server::state::{EngineState, Refused};
use crate::wire::ids::{hex_id, now_secs};
use crate::wire::token::sign;

pub(crate) async fn http_render(
    inner: &Arc<EngineState>,
    pattern: &str,
    params: Params,
    uri: Uri,
    peer: Option<IpAddr>,
    headers: &HeaderMap,
) -> Response {
    let Some(entry) = inner.route(pattern) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let session = (inner.session)(headers);
    let quota = match inner.quota(peer, &session, 0) {
        Ok(q) => q,
        Err(why) => {
            tracing::warn!(page = pattern, ?peer, "{why}");
            return (StatusCode::TOO_MANY_REQUESTS, why).into_response();
        }
    };
    let now = now_secs();
    // A flash carried by a redirect shows on this page; the cookie is cleared either way.
    let cookie = crate::params::cookie(headers, flash::COOKIE_NAME);
    let carried = cookie.and_then(|v| flash::unseal(v, &inner.secret, now));
    let path_and_query = crate::wire::url::path_and_query(&uri);
    let page_uri = uri.clone();
    let mounted = inner
        .prepare(
            entry,
            uri,
            params.clone(),
            session.clone(),
            carried.unwrap_or_default(),
            None,
        )
        .await;
    let (page, checked) = match mounted {
        Ok((Mounted::Page(page), checked)) => (page, checked),
        Ok((Mounted::Left { nav, flash }, _)) => {
            let external = matches!(nav, Nav::Redirect { external: true, .. });
            return see_other(nav.to(), external, flash.as_deref());
        }
        Err(Refused::Halt(halt)) => {
            let (to, flash) = halt.into_parts();
            let sealed = (!flash.is_empty()).then(|| flash::seal(&flash, &inner.secret, now));
            return see_other(&to, false, sealed.as_deref());
        }
        Err(Refused::Failed(e)) => {
            tracing::error!(page = pattern, "{e}");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be mounted",
            )
                .into_response();
        }
    };
    let id: Arc<str> = hex_id().into();
    if inner
        .registry
        .reserve_pending(inner.config.max_pending_pages)
    {
        // A fresh random id: no page can hold it already.
        let _ = inner.start(page.start, id.clone(), false, Some(quota));
    } else {
        tracing::warn!(
            page = pattern,
            "too many pages wait for adoption; this one will mount again on join"
        );
    }
    let token = sign(
        &Claims {
            page: pattern.to_string(),
            id: id.to_string(),
            params,
            session: session.clone(),
            issued: now,
            uri: path_and_query,
        },
        &inner.secret,
    );
    let stickies = mount_stickies(inner, &entry.group, &page_uri, &session, peer).await;
    let html = document(
        inner,
        &entry.group,
        &checked,
        &page.title,
        &token,
        &page.html,
        stickies,
    );
    let mut res = Html(html).into_response();
    if cookie.is_some()
        && let Ok(v) = HeaderValue::from_str(&flash::cookie(None))
    {
        res.headers_mut().insert(SET_COOKIE, v);
    }
    res
}

/// Mounts the sticky parts of `group`'s layout beside a page rendered at `uri`, each through the
/// session's checks and into the registry as a page of its own, and returns each one's live
/// root, by name. A part that does not mount (a check refused it, its mount failed) is left out,
/// with the reason in the log.
async fn mount_stickies(
    inner: &Arc<EngineState>,
    group: &Group,
    uri: &Uri,
    session: &crate::params::Session,
    peer: Option<IpAddr>,
) -> Vec<(String, String)> {
    let mut parts = Vec::with_capacity(group.stickies.len());
    for name in &group.stickies {
        let pattern = crate::sticky::pattern(name);
        let Some(entry) = inner.route(&pattern) else {
            continue;
        };
        let quota = match inner.quota(peer, session, 0) {
            Ok(q) => q,
            Err(why) => {
                tracing::warn!(sticky = %name, ?peer, "{why}");
                continue;
            }
        };
        let mounted = inner
            .prepare(
                entry,
                uri.clone(),
                Params::default(),
                session.clone(),
                Default::default(),
                None,
            )
            .await;
        let page = match mounted {
            Ok((Mounted::Page(page), _)) => page,
            Ok((Mounted::Left { .. }, _)) | Err(Refused::Halt(_)) => {
                tracing::warn!(sticky = %name, "the sticky part went elsewhere on mount; left out");
                continue;
            }
            Err(Refused::Failed(e)) => {
                tracing::error!(sticky = %name, "the sticky part did not mount: {e}");
                continue;
            }
        };
        let id: Arc<str> = hex_id().into();
        if !inner
            .registry
            .reserve_pending(inner.config.max_pending_pages)
        {
            continue;
        }
        let _ = inner.start(page.start, id.clone(), false, Some(quota));
        let token = sign(
            &Claims {
                page: pattern,
                id: id.to_string(),
                params: Params::default(),
                session: session.clone(),
                issued: now_secs(),
                uri: crate::wire::url::path_and_query(uri),
            },
            &inner.secret,
        );
        let mut root = String::from("<div id=\"lv-sticky-");
        escape(name, true, &mut root);
        root.push_str("\" lv-sticky");
        root.push_str(&root_attrs(inner, &token));
        root.push('>');
        root.push_str(&page.html);
        root.push_str("</div>");
        parts.push((name.clone(), root));
    }
    parts
}

/// A live root's attributes after its id: the socket, the on-demand modules (the colocated
/// hooks' included) and the token.
fn root_attrs(inner: &EngineState, token: &str) -> String {
    let mount_path = inner.config.mount_path.trim_end_matches('/');
    let mut out = format!(
        " lv-socket=\"{mount_path}/socket\" lv-poll-js=\"{mount_path}/{}\" lv-upload-js=\"{mount_path}/{}\"",
        asset::poll().file_name,
        asset::upload().file_name
    );
    if let Some(hooks) = &inner.hook_urls {
        out.push_str(" lv-hooks=\"");
        escape(hooks, true, &mut out);
        out.push('"');
    }
    out.push_str(" lv-token=\"");
    escape(token, true, &mut out);
    out.push('"');
    out
}

/// A 303 to `to`, a path on this site unless `external`, with a flash cookie when `sealed`.
fn see_other(to: &str, external: bool, sealed: Option<&str>) -> Response {
    let to = if external || crate::wire::url::local_uri(to).is_ok() {
        to
    } else {
        tracing::error!(
            url = to,
            "refused to redirect to a URL that is not on this site"
        );
        "/"
    };
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(LOCATION, v);
    }
    if let Some(sealed) = sealed
        && let Ok(v) = HeaderValue::from_str(&flash::cookie(Some(sealed)))
    {
        res.headers_mut().insert(SET_COOKIE, v);
    }
    res
}

/// The whole document: head, then the live root with the page inside, wrapped in the live
/// session's layout when it has one (which places the sticky parts, `stickies`).
fn document(
    inner: &EngineState,
    group: &Group,
    checked: &Mounting,
    title: &str,
    token: &str,
    body: &str,
    stickies: Vec<(String, String)>,
) -> String {
    let mount_path = inner.config.mount_path.trim_end_matches('/');
    let mut out = String::with_capacity(body.len() + 1024);
    out.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    escape(title, false, &mut out);
    out.push_str("</title>");
    out.push_str(&inner.head);
    out.push_str(&format!(
        "<script type=\"module\" src=\"{mount_path}/{}\"></script>",
        asset::client().file_name
    ));
    if inner.config.dev_status.is_some() {
        out.push_str(&crate::server::dev::script(mount_path));
    }
    out.push_str("</head><body>");
    let mut root = String::from("<div id=\"lv-root\"");
    root.push_str(&root_attrs(inner, token));
    root.push('>');
    root.push_str(body);
    root.push_str("</div>");
    match &group.layout {
        Some(layout) => {
            let owner = Owner::new();
            let framed = owner.with(|| {
                location::provide(path_and_query(&checked.uri));
                provide_context(crate::sticky::Parts(Arc::new(stickies)));
                let root = leptos::tachys::html::InertElement::new(root);
                crate::html::view_html(layout(root.into_any(), checked))
            });
            out.push_str(&framed);
        }
        None => out.push_str(&root),
    }
    out.push_str("</body></html>");
    out
}
