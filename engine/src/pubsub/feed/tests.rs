use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::{Backlog, Gate};

#[tokio::test]
async fn a_nudge_wakes_the_page_once() {
    let gate = Arc::new(Gate::default());
    let waiting = tokio::spawn({
        let gate = gate.clone();
        async move { gate.nudged().await }
    });
    tokio::task::yield_now().await;
    assert!(!waiting.is_finished());
    gate.nudge();
    tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("woken")
        .unwrap();
    assert!(!gate.take_nudge(), "taken by the wake");
    gate.nudge();
    assert!(gate.take_nudge());
    assert!(!gate.take_nudge());
}

#[tokio::test]
async fn a_page_in_a_step_or_ended_takes_no_frame() {
    let gate = Gate::default();
    // A new page has not started its loop: busy, no socket.
    assert!(gate.lock().busy);
    gate.leave(None);
    assert!(!gate.lock().busy);
    assert_eq!(gate.enter(), 0);
    assert!(gate.lock().busy);
    gate.lock().written = 3;
    assert_eq!(gate.enter(), 3, "frames written meanwhile count once");
    assert_eq!(gate.enter(), 0);
    gate.leave(None);
    gate.end();
    assert!(gate.lock().busy && gate.lock().outbox.is_none());
}

#[tokio::test]
async fn settling_waits_for_the_posts_in_hand() {
    let backlog = Arc::new(Backlog::default());
    backlog.settled().await;
    backlog.posts.store(2, Ordering::Release);
    let settled = tokio::spawn({
        let backlog = backlog.clone();
        async move { backlog.settled().await }
    });
    for _ in 0..2 {
        tokio::task::yield_now().await;
        assert!(!settled.is_finished());
        if backlog.posts.fetch_sub(1, Ordering::AcqRel) == 1 {
            backlog.idle.notify_waiters();
        }
    }
    tokio::time::timeout(Duration::from_secs(5), settled)
        .await
        .expect("settled")
        .unwrap();
}
