//! `LiveTest::upload`: files picked in a page's file input go through the same checks, chunks
//! and writers as a browser's, and the page consumes them.

use leptos_live::testing::{LiveTest, TestFile};
use leptos_live::{LiveConfig, LiveRouter, Session};
use leptos_live_tests::uploads::{Files, PNG, SaveDir, files_in, fresh_dir};
use serde_json::json;

fn router(uploads: &std::path::Path, saved: &std::path::Path) -> LiveRouter {
    LiveRouter::with_config(LiveConfig::default().with_upload_dir(uploads))
        .extension(SaveDir(saved.to_path_buf()))
        .page::<Files>("/")
}

#[tokio::test]
async fn picked_files_upload_in_chunks_and_are_consumed() {
    let (uploads, saved) = (fresh_dir("lt-up"), fresh_dir("lt-saved"));
    let router = router(&uploads, &saved);
    let mut page = LiveTest::<Files>::get(&router, "/?manual", Session::default())
        .await
        .unwrap();
    // 200 kB goes in four chunks of 64 KiB, each after the last was written.
    let text = TestFile::new("notes.txt", "text/plain", vec![b'a'; 200_000]);
    let image = TestFile::new("dot.png", "image/png", PNG.to_vec());
    page.upload("#files", &[text, image]).await.unwrap();
    assert_eq!(page.count(".entry[data-done=true]"), 2, "{}", page.html());
    assert_eq!(page.attr(".entry", "data-progress").as_deref(), Some("100"));
    assert_eq!(files_in(&uploads).len(), 2, "written to temporary files");

    page.submit("#form", json!({})).await.unwrap();
    assert_eq!(page.text("#saved").as_deref(), Some("notes.txt,dot.png"));
    assert_eq!(files_in(&uploads).len(), 0);
    let kept = files_in(&saved);
    assert_eq!(kept.len(), 2, "{kept:?}");
    let text = kept.iter().find(|f| f.ends_with("notes.txt")).unwrap();
    assert_eq!(std::fs::read(saved.join(text)).unwrap().len(), 200_000);
}

#[tokio::test]
async fn refusals_show_and_send_nothing() {
    let (uploads, saved) = (fresh_dir("lt-up-no"), fresh_dir("lt-saved-no"));
    let router = router(&uploads, &saved);
    let mut page = LiveTest::<Files>::get(&router, "/?max=100", Session::default())
        .await
        .unwrap();
    let big = TestFile::new("big.txt", "text/plain", vec![b'b'; 101]);
    let exe = TestFile::new("run.exe", "application/octet-stream", vec![1, 2, 3]);
    page.upload("#files", &[big, exe]).await.unwrap();
    let errors = page.texts(".entry .errors");
    assert_eq!(errors, ["too_large", "not_accepted"], "{}", page.html());
    assert_eq!(page.count(".entry[data-done=true]"), 0);
    assert!(files_in(&uploads).is_empty(), "no byte was sent");
    // Three files for two places.
    let three: Vec<_> = (0..3)
        .map(|i| TestFile::new(format!("{i}.txt"), "text/plain", vec![b'x'; 10]))
        .collect();
    page.upload("#files", &three).await.unwrap();
    assert!(
        page.has_text("#upload-errors", "too_many_files"),
        "{}",
        page.html()
    );
    assert!(
        page.upload("#saved", &[]).await.is_err(),
        "not a file input"
    );
}
