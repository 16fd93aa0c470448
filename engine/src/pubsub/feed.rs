//! Feeds: a stream that shows what is broadcast on a topic, written to every page's socket at
//! once ([`crate::Ctx::feed`]).
//!
//! The pages that feed the same stream from the same topic form a group. Each item broadcast
//! there is rendered once (the stream's shared template), its frame encoded once, and written
//! by one task per core straight to the sockets of the group's pages: no page task runs, and
//! the item is neither copied nor rendered per page. A page that cannot take the frame as it is
//! (in the middle of a step, without a socket, or with changes to that stream not sent yet)
//! gets the item to insert on its own task instead, and sends it with its next frame, so each
//! browser sees the items in the order they came.

use std::any::{Any, TypeId};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::task::{Context, Poll};

use axum::extract::ws::Utf8Bytes;
use futures_util::task::AtomicWaker;
use rustc_hash::FxHashMap;
use tokio::sync::{Notify, mpsc};

use crate::pubsub::{Message, PubSub, SubscriptionGuard};
use crate::stream::{At, Stream, StreamOp, StreamOps, ToHtml};
use crate::wire::outbox::{Counted, Outbox};
use crate::wire::protocol::patch_frame_with;
use crate::wire::pushed::Pushed;

/// Members a writer takes from its list at a time, between which it lets other tasks run.
const BATCH: usize = 128;

/// Where a page's task and its feeds meet: whether the page is in a step, the socket it is
/// attached to between steps, and the frames feeds wrote to it.
pub(crate) struct Gate {
    state: Mutex<GateState>,
    /// Feeds left items for the page.
    nudged: AtomicBool,
    /// The page's task, woken when they do.
    page: AtomicWaker,
}

struct GateState {
    /// The page is in a step: it writes its own frames, and feeds leave their items for it.
    busy: bool,
    /// The socket the page is attached to, between steps.
    outbox: Option<Outbox>,
    /// Frames feeds wrote since the page last looked: each counts in the page's version.
    written: u64,
}

impl Default for Gate {
    fn default() -> Self {
        Gate {
            state: Mutex::new(GateState {
                busy: true,
                outbox: None,
                written: 0,
            }),
            nudged: AtomicBool::new(false),
            page: AtomicWaker::new(),
        }
    }
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The page starts a step. Returns the frames feeds wrote to its socket since the last
    /// step, which its version counts.
    pub fn enter(&self) -> u64 {
        let mut s = self.lock();
        s.busy = true;
        std::mem::take(&mut s.written)
    }

    /// The page finished a step and waits, attached to `outbox` or to nothing.
    pub fn leave(&self, outbox: Option<&Outbox>) {
        let mut s = self.lock();
        s.busy = false;
        match (outbox, &s.outbox) {
            (Some(new), Some(old)) if new.id == old.id => {}
            (new, _) => s.outbox = new.cloned(),
        }
    }

    /// The page ended: feeds leave their items for it, and nobody takes them.
    pub fn end(&self) {
        let mut s = self.lock();
        s.busy = true;
        s.outbox = None;
    }

    /// Ready once feeds left items for the page, since the last time.
    pub fn poll_nudged(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.page.register(cx.waker());
        if self.nudged.swap(false, Ordering::AcqRel) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// Waits until feeds leave items for the page.
    pub async fn nudged(&self) {
        std::future::poll_fn(|cx| self.poll_nudged(cx)).await
    }

    /// Whether feeds left items for the page since the last look (taken).
    #[cfg(any(test, feature = "testing"))]
    pub fn take_nudge(&self) -> bool {
        self.nudged.swap(false, Ordering::AcqRel)
    }

    fn nudge(&self) {
        self.nudged.store(true, Ordering::Release);
        self.page.wake();
    }
}

/// Why a stream cannot be fed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FeedError {
    /// The stream renders per page: give it [`Stream::with_shared_template`].
    #[error("stream {0:?} has no shared template (Stream::with_shared_template)")]
    NotShared(String),
}

/// What tells one group from another: the topic, the item type, the stream's name, its
/// template and its DOM ids.
type GroupKey = (Arc<str>, TypeId, Arc<str>, TypeId, usize);

/// The groups of one [`PubSub`], by key.
#[derive(Default)]
pub(crate) struct Groups(Mutex<FxHashMap<GroupKey, Weak<dyn Any + Send + Sync>>>);

/// A page's place in a group: it leaves the group when dropped.
pub(crate) struct FeedGuard {
    topic: Arc<str>,
    stream: Arc<str>,
    member: Box<dyn Place>,
}

impl FeedGuard {
    pub fn topic(&self) -> &str {
        &self.topic
    }

    pub fn stream(&self) -> &str {
        &self.stream
    }

    /// Waits until the group's writers have offered every item broadcast so far.
    #[cfg(any(test, feature = "testing"))]
    pub async fn settled(&self) {
        self.member.settled().await
    }

    /// Inserts the items left for the page into its stream: called on the page's task.
    pub fn take_waiting(&self) {
        self.member.take_waiting()
    }
}

/// A member's place, whatever the item type.
trait Place: Send + Sync {
    #[cfg(any(test, feature = "testing"))]
    fn settled(&self) -> futures_util::future::BoxFuture<'_, ()>;
    /// Inserts the items left for the page into its stream (on the page's task).
    fn take_waiting(&self);
}

/// How many posts a writer has not finished, and a signal when it has none.
#[derive(Default)]
struct Backlog {
    posts: AtomicUsize,
    idle: Notify,
}

impl Backlog {
    #[cfg(any(test, feature = "testing"))]
    async fn settled(&self) {
        loop {
            let idle = self.idle.notified();
            let mut idle = std::pin::pin!(idle);
            idle.as_mut().enable();
            if self.posts.load(Ordering::Acquire) == 0 {
                return;
            }
            idle.await;
        }
    }
}

/// The pages that feed one stream from one topic.
struct FeedGroup<T> {
    name: Arc<str>,
    dom_id: fn(&T) -> String,
    to_html: ToHtml<T>,
    writers: Vec<Writer<T>>,
    /// Where the next member goes, round the writers.
    next: AtomicUsize,
    /// The group's subscription to its topic, held by the members: it ends on a page's task
    /// when the last one leaves, never inside a delivery (which holds the topics' lock).
    subscription: OnceLock<Weak<SubscriptionGuard>>,
}

/// One writer task and the members it writes to.
struct Writer<T> {
    posts: mpsc::UnboundedSender<Arc<Post<T>>>,
    backlog: Arc<Backlog>,
    members: Arc<Mutex<MemberSlots<T>>>,
}

/// Members in stable places, so that a writer can walk them a batch at a time while pages come
/// and go.
struct MemberSlots<T> {
    slots: Vec<Option<Arc<Member<T>>>>,
    free: Vec<usize>,
}

impl<T> Default for MemberSlots<T> {
    fn default() -> Self {
        MemberSlots {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

struct Member<T> {
    gate: Arc<Gate>,
    stream: Stream<T>,
    /// Items the page has to insert into its stream itself, in order: a stream is changed only
    /// on its page's task, as the page renders it.
    waiting: Mutex<Vec<T>>,
}

/// One item broadcast, rendered.
struct Post<T> {
    item: T,
    id: String,
    html: String,
}

/// A member's place, removed when dropped.
struct Membership<T> {
    group: Arc<FeedGroup<T>>,
    member: Arc<Member<T>>,
    writer: usize,
    slot: usize,
    _subscription: Arc<SubscriptionGuard>,
}

impl<T: Message> Place for Membership<T> {
    #[cfg(any(test, feature = "testing"))]
    fn settled(&self) -> futures_util::future::BoxFuture<'_, ()> {
        Box::pin(async move {
            for w in &self.group.writers {
                w.backlog.settled().await;
            }
        })
    }

    fn take_waiting(&self) {
        let items = std::mem::take(&mut *self.member.lock_waiting());
        if !items.is_empty() {
            self.member.stream.handle().insert_many(At::End, items);
        }
    }
}

impl<T> Drop for Membership<T> {
    fn drop(&mut self) {
        let members = &self.group.writers[self.writer].members;
        let mut m = members.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = m.slots.get_mut(self.slot) {
            *s = None;
            m.free.push(self.slot);
        }
    }
}

/// Makes the page of `gate` a member of the group that feeds `stream` from `topic`, making the
/// group when it is the first.
pub(crate) fn join<T>(
    pubsub: &PubSub,
    topic: &str,
    stream: &Stream<T>,
    gate: Arc<Gate>,
) -> Result<FeedGuard, FeedError>
where
    T: Message + Hash + Eq,
{
    let (name, template, to_html) = stream
        .shared_template()
        .ok_or_else(|| FeedError::NotShared(stream.name().to_string()))?;
    let topic: Arc<str> = topic.into();
    let dom_id = stream.dom_id_fn();
    let key: GroupKey = (
        topic.clone(),
        TypeId::of::<T>(),
        name.clone(),
        template,
        dom_id as usize,
    );
    let (group, subscription) = {
        let mut groups = pubsub
            .feed_groups()
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        // A group whose members have all left may live on for a moment in a delivery: it is
        // not joined, a new one is made.
        let found = groups
            .get(&key)
            .and_then(Weak::upgrade)
            .and_then(|g| g.downcast::<FeedGroup<T>>().ok())
            .and_then(|g| {
                let subscription = g.subscription.get()?.upgrade()?;
                Some((g, subscription))
            });
        match found {
            Some(found) => found,
            None => {
                groups.retain(|_, g| g.strong_count() > 0);
                let (group, subscription) =
                    FeedGroup::start(pubsub, &topic, name.clone(), dom_id, to_html);
                let weak: Weak<dyn Any + Send + Sync> = Arc::downgrade(&group) as _;
                groups.insert(key, weak);
                (group, subscription)
            }
        }
    };
    let writer = group.next.fetch_add(1, Ordering::Relaxed) % group.writers.len();
    let member = Arc::new(Member {
        gate,
        stream: stream.handle(),
        waiting: Mutex::new(Vec::new()),
    });
    let slot = {
        let mut m = group.writers[writer]
            .members
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match m.free.pop() {
            Some(i) => {
                m.slots[i] = Some(member.clone());
                i
            }
            None => {
                m.slots.push(Some(member.clone()));
                m.slots.len() - 1
            }
        }
    };
    Ok(FeedGuard {
        topic,
        stream: name,
        member: Box::new(Membership {
            group,
            member,
            writer,
            slot,
            _subscription: subscription,
        }),
    })
}

impl<T: Message> FeedGroup<T> {
    fn start(
        pubsub: &PubSub,
        topic: &str,
        name: Arc<str>,
        dom_id: fn(&T) -> String,
        to_html: ToHtml<T>,
    ) -> (Arc<FeedGroup<T>>, Arc<SubscriptionGuard>) {
        let n = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
        let writers = (0..n)
            .map(|_| {
                let (posts, rx) = mpsc::unbounded_channel();
                let members = Arc::new(Mutex::new(MemberSlots::default()));
                let backlog = Arc::new(Backlog::default());
                tokio::spawn(write(rx, members.clone(), backlog.clone(), name.clone()));
                Writer {
                    posts,
                    backlog,
                    members,
                }
            })
            .collect();
        let group = Arc::new(FeedGroup {
            name,
            dom_id,
            to_html,
            writers,
            next: AtomicUsize::new(0),
            subscription: OnceLock::new(),
        });
        let weak = Arc::downgrade(&group);
        let guard = pubsub.subscribe_with(topic, move |item: T| match weak.upgrade() {
            Some(group) => {
                group.post(item);
                true
            }
            None => false,
        });
        let guard = Arc::new(guard);
        let _ = group.subscription.set(Arc::downgrade(&guard));
        (group, guard)
    }

    /// Renders `item` once and hands it to every writer.
    fn post(&self, item: T) {
        let id = (self.dom_id)(&item);
        let html = (self.to_html)(&id, &item);
        tracing::trace!(stream = %self.name, id, "feeding an item");
        let post = Arc::new(Post { item, id, html });
        for w in &self.writers {
            w.backlog.posts.fetch_add(1, Ordering::AcqRel);
            if w.posts.send(post.clone()).is_err() {
                w.backlog.posts.fetch_sub(1, Ordering::AcqRel);
            }
        }
    }
}

/// A writer's task: each post goes to its members in turn, a batch at a time.
async fn write<T: Message>(
    mut posts: mpsc::UnboundedReceiver<Arc<Post<T>>>,
    members: Arc<Mutex<MemberSlots<T>>>,
    backlog: Arc<Backlog>,
    name: Arc<str>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(post) = posts.recv().await {
        // The frame for each limit met, encoded once.
        let mut frames: Vec<(Option<u32>, Utf8Bytes)> = Vec::new();
        // What went to the sockets, recorded in the metrics once a batch.
        let mut sent = Counted::default();
        let mut at = 0;
        loop {
            {
                let m = members.lock().unwrap_or_else(|e| e.into_inner());
                if at >= m.slots.len() {
                    break;
                }
                let end = (at + BATCH).min(m.slots.len());
                batch.extend(m.slots[at..end].iter().flatten().cloned());
                at = end;
            }
            for member in batch.drain(..) {
                member.offer(&post, &name, &mut frames, &mut sent);
            }
            sent.record();
            tokio::task::yield_now().await;
        }
        if backlog.posts.fetch_sub(1, Ordering::AcqRel) == 1 {
            backlog.idle.notify_waiters();
        }
    }
}

impl<T: Message> Member<T> {
    fn lock_waiting(&self) -> MutexGuard<'_, Vec<T>> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the post's frame to the page's socket when the page waits attached, with nothing
    /// of this stream unsent and nothing left for it; else leaves the item for the page and
    /// wakes it.
    fn offer(
        &self,
        post: &Post<T>,
        name: &Arc<str>,
        frames: &mut Vec<(Option<u32>, Utf8Bytes)>,
        sent: &mut Counted,
    ) {
        let mut g = self.gate.lock();
        let mut waiting = self.lock_waiting();
        if !g.busy
            && waiting.is_empty()
            && let Some(out) = &g.outbox
            && let Some(limit) = self.stream.idle_limit()
        {
            let frame = frame_for(frames, limit, post, name);
            if out.send_counted(frame, sent) {
                g.written += 1;
                return;
            }
            // Too slow or gone: the page finds out when it next sends, and keeps the item.
            out.close();
            g.outbox = None;
        }
        waiting.push(post.item.clone());
        drop(waiting);
        drop(g);
        self.gate.nudge();
    }
}

/// The frame that inserts `post` at the end of stream `name` with `limit`: the frame the page
/// would send itself.
fn frame_for<T>(
    frames: &mut Vec<(Option<u32>, Utf8Bytes)>,
    limit: Option<u32>,
    post: &Post<T>,
    name: &Arc<str>,
) -> Utf8Bytes {
    if let Some((_, f)) = frames.iter().find(|(l, _)| *l == limit) {
        return f.clone();
    }
    let pushed = Pushed {
        streams: vec![StreamOps {
            name: name.clone(),
            ops: vec![StreamOp::Insert {
                at: At::End,
                limit,
                items: vec![(post.id.clone(), post.html.clone())],
            }],
        }],
        ..Pushed::default()
    };
    let frame: Utf8Bytes = patch_frame_with(0, &[], &pushed).into();
    frames.push((limit, frame.clone()));
    frame
}

#[cfg(test)]
mod tests;
