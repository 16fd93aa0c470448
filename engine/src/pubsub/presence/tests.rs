//! Presence across simulated processes.

use std::sync::atomic::AtomicBool;

use super::*;
use crate::pubsub::{Inbound, PubSubBackend, RemoteMessage};

/// A process on the bus: where its messages arrive, and whether it is connected.
type Station = (Inbound, Arc<AtomicBool>);

/// Processes joined by an in-memory bus; a process can be cut off (as if it crashed).
#[derive(Clone, Default)]
struct Bus {
    inbounds: Arc<Mutex<Vec<Station>>>,
}

struct Port {
    bus: Bus,
    up: Arc<AtomicBool>,
}

impl Bus {
    fn port(&self) -> (Port, Arc<AtomicBool>) {
        let up = Arc::new(AtomicBool::new(true));
        (
            Port {
                bus: self.clone(),
                up: up.clone(),
            },
            up,
        )
    }
}

impl PubSubBackend for Port {
    fn name(&self) -> &'static str {
        "bus"
    }
    fn publish(&self, msg: RemoteMessage) {
        if !self.up.load(Ordering::Relaxed) {
            return;
        }
        let inbounds = self.bus.inbounds.lock().unwrap().clone();
        for (inbound, up) in inbounds {
            if up.load(Ordering::Relaxed) {
                inbound.deliver(msg.clone());
            }
        }
    }
    fn start(&self, inbound: Inbound) {
        self.bus
            .inbounds
            .lock()
            .unwrap()
            .push((inbound, self.up.clone()));
    }
}

/// Two processes on a bus with a 1 s heartbeat; the switch cuts the first one off.
fn two_processes() -> (Presence<u8>, Presence<u8>, Arc<AtomicBool>, Duration) {
    let bus = Bus::default();
    let (pa, a_up) = bus.port();
    let (pb, _) = bus.port();
    let beat = Duration::from_secs(1);
    let a = Presence::with_heartbeat(&PubSub::new(pa), beat);
    let b = Presence::with_heartbeat(&PubSub::new(pb), beat);
    (a, b, a_up, beat)
}

async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(Duration::from_millis(30)).await;
}

#[tokio::test(start_paused = true)]
async fn joins_and_leaves_cross_processes_and_late_joiners_get_the_state() {
    let bus = Bus::default();
    let (pa, _) = bus.port();
    let (pb, _) = bus.port();
    let a = Presence::<String>::new(&PubSub::new(pa));
    let b = Presence::<String>::new(&PubSub::new(pb));
    let mut diffs = b.subscribe("room");
    let ada = a.track("room", "ada", "idle".to_string());
    settle().await;
    assert_eq!(
        b.users("room", 10),
        [("ada".to_string(), vec!["idle".to_string()])]
    );
    let d = diffs.recv().await.unwrap();
    assert_eq!((d.joins.len(), d.leaves.len()), (1, 0));
    ada.update(|m| *m = "typing".into());
    settle().await;
    assert_eq!(b.users("room", 10)[0].1, ["typing"]);
    let d = diffs.recv().await.unwrap();
    assert_eq!(
        (d.joins[0].meta.as_str(), d.leaves[0].meta.as_str()),
        ("typing", "idle")
    );

    // A third process started later learns what the others hold.
    let (pc, _) = bus.port();
    let c = Presence::<String>::new(&PubSub::new(pc));
    let _bob = b.track("room", "bob", "idle".to_string());
    settle().await;
    assert_eq!(c.user_count("room"), 2);

    drop(ada);
    settle().await;
    assert_eq!(b.user_count("room"), 1);
    assert_eq!(c.user_count("room"), 1);
    assert_eq!(a.user_count("room"), 1, "a sees bob");
}

#[tokio::test(start_paused = true)]
async fn a_silent_process_s_entries_expire_after_three_heartbeats() {
    let (a, b, a_up, beat) = two_processes();
    let _ada = a.track("room", "ada", 0);
    settle().await;
    assert_eq!(b.user_count("room"), 1);
    // The process is cut off without a word, as when it is killed.
    a_up.store(false, Ordering::Relaxed);
    tokio::time::sleep(beat * 2).await;
    assert_eq!(b.user_count("room"), 1, "still within three heartbeats");
    tokio::time::sleep(beat * 3).await;
    settle().await;
    assert_eq!(b.user_count("room"), 0);
    assert_eq!(a.user_count("room"), 1, "its own entries stay");
}

#[tokio::test(start_paused = true)]
async fn a_missed_change_is_repaired_from_the_state() {
    let (a, b, a_up, beat) = two_processes();
    let ada = a.track("room", "ada", 0);
    settle().await;
    a_up.store(false, Ordering::Relaxed);
    drop(ada);
    let _eve = a.track("room", "eve", 0);
    a_up.store(true, Ordering::Relaxed);
    // The next heartbeat shows b that it missed changes; it asks and gets a's state.
    tokio::time::sleep(beat * 2).await;
    settle().await;
    assert_eq!(
        b.users("room", 10)
            .iter()
            .map(|u| u.0.as_str())
            .collect::<Vec<_>>(),
        ["eve"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_changes_reaches_listeners_as_one_diff() {
    let presence = Presence::<u8>::new(&PubSub::local());
    let mut diffs = presence.subscribe("t");
    let kept: Vec<_> = (0..50)
        .map(|i| presence.track("t", format!("u{i:02}"), 0))
        .collect();
    let gone = presence.track("t", "x", 0);
    drop(gone);
    let d = diffs.recv().await.unwrap();
    assert_eq!(
        d.joins.len(),
        50,
        "the join and leave of x cancel out in the joins"
    );
    assert!(diffs.try_recv().is_none());
    assert_eq!(presence.users("t", 3).len(), 3);
    assert_eq!(presence.user_count("t"), 50);
    drop(kept);
}
