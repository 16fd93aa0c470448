//! The edit loop's side of the server (`cargo xtask dev` sets [`LiveConfig::dev_status`]):
//! a development script for every page, and the loop's status for it, with this process's
//! id so that the script can tell a restart.
//!
//! [`LiveConfig::dev_status`]: crate::LiveConfig::dev_status

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::{Value, json};

/// The development script, as written: served as it is, and only under the edit loop.
pub(crate) const DEV_JS: &str = include_str!("../../../client-js/dev.js");

/// The `<script>` every page's document loads under the edit loop.
pub(crate) fn script(mount_path: &str) -> String {
    format!("<script type=\"module\" src=\"{mount_path}/dev.js\"></script>")
}

/// The loop's status as the script reads it: `{"process": id, "status": {…}}`, the status
/// being what the loop last wrote to `file` (`{}` when it wrote nothing readable).
pub(crate) async fn status(process: &str, file: &std::path::Path) -> Value {
    let written = tokio::fs::read_to_string(file)
        .await
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    json!({ "process": process, "status": written })
}

/// Adds the script's and the status's routes under `mount_path`.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    mount_path: &str,
    file: PathBuf,
) -> Router<S> {
    tracing::warn!(status = %file.display(), "development mode (LEPTOS_LIVE_DEV): pages load the edit loop's script");
    let process: Arc<str> = crate::wire::ids::hex_id().into();
    let file: Arc<std::path::Path> = file.into();
    router
        .route(
            &format!("{mount_path}/dev.js"),
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-store"),
                    ],
                    DEV_JS,
                )
            }),
        )
        .route(
            &format!("{mount_path}/dev/status"),
            get(move || async move {
                let body = status(&process, &file).await.to_string();
                (
                    [
                        (header::CONTENT_TYPE, "application/json"),
                        (header::CACHE_CONTROL, "no-store"),
                    ],
                    body,
                )
                    .into_response()
            }),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_status_is_the_loops_file_with_the_process() {
        let dir = std::env::temp_dir().join(format!("lv-dev-status-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("status.json");
        assert_eq!(
            status("p1", &file).await,
            json!({ "process": "p1", "status": {} })
        );
        std::fs::write(&file, r#"{"state":"error","error":"expected `;`"}"#).expect("write");
        assert_eq!(
            status("p1", &file).await,
            json!({ "process": "p1", "status": { "state": "error", "error": "expected `;`" } })
        );
        std::fs::write(&file, "half a wri").expect("write");
        assert_eq!(status("p1", &file).await["status"], json!({}));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
