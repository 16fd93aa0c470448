//! Work off the page's task: futures a page starts, whose outcomes come back to it.
//!
//! A page's work belongs to it: it is cancelled when the page ends or when work under the same
//! key starts again, and a panic in it becomes a failed outcome, never a dead page. Events and
//! messages keep flowing while it runs.

use std::collections::HashMap;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;

use futures_util::FutureExt as _;
use futures_util::task::AtomicWaker;
use tokio::task::AbortHandle;

use crate::ctx::Ctx;
use crate::error::LiveError;
use crate::error::panic_message;
use crate::view::LiveView;

/// What the view shows of work started with [`Ctx::assign_async`]: still running, done, or
/// failed (the error's or the panic's message).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::AsyncResult;
/// fn users(users: &AsyncResult<Vec<String>>) -> impl IntoView + use<> {
///     match users {
///         AsyncResult::Loading => view! { <p>"Loading…"</p> }.into_any(),
///         AsyncResult::Ok(names) => view! { <p>{names.join(", ")}</p> }.into_any(),
///         AsyncResult::Failed(why) => view! { <p class="error">{why.clone()}</p> }.into_any(),
///     }
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AsyncResult<T> {
    /// Started, not finished yet (also the state before it starts).
    #[default]
    Loading,
    /// Finished with a value.
    Ok(T),
    /// Finished with an error, or panicked.
    Failed(String),
}

impl<T> AsyncResult<T> {
    /// The value, when there is one.
    ///
    /// ```
    /// use leptos_live::AsyncResult;
    /// assert_eq!(AsyncResult::Ok(42).ok(), Some(&42));
    /// assert_eq!(AsyncResult::<u32>::Failed("down".into()).ok(), None);
    /// ```
    pub fn ok(&self) -> Option<&T> {
        match self {
            AsyncResult::Ok(t) => Some(t),
            _ => None,
        }
    }

    /// Whether the work is still running.
    ///
    /// ```
    /// use leptos_live::AsyncResult;
    /// assert!(AsyncResult::<u32>::Loading.is_loading());
    /// assert!(!AsyncResult::Ok(1).is_loading());
    /// ```
    pub fn is_loading(&self) -> bool {
        matches!(self, AsyncResult::Loading)
    }
}

/// Why started work gave no value.
///
/// ```
/// use leptos_live::work::AsyncFailed;
/// let failed = AsyncFailed::Panicked("the service was down".into());
/// assert_eq!(failed.to_string(), "the work panicked: the service was down");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AsyncFailed {
    /// The future panicked; the message is the panic's.
    #[error("the work panicked: {0}")]
    Panicked(String),
}

/// Sets a field of the page to `Loading`.
pub(crate) type SetLoading<V> = Box<dyn FnOnce(&mut V) + Send>;

/// What finished work hands back to its page: applied on the page's task.
pub(crate) type Apply<V> = Box<dyn FnOnce(&mut V, &mut Ctx<V>) -> Result<(), LiveError> + Send>;

/// Finished work, on its way to its page (or something the engine applies on the page's
/// task, such as a component update: generation 0).
pub(crate) struct Done<V: LiveView> {
    pub key: Arc<str>,
    generation: u64,
    pub apply: Apply<V>,
}

impl<V: LiveView> Done<V> {
    /// Something to apply on the page's task that is not work.
    pub(crate) fn engine(apply: Apply<V>) -> Done<V> {
        Done {
            key: "engine".into(),
            generation: 0,
            apply,
        }
    }
}

/// Where finished work waits for its page: a queue that allocates nothing until something is
/// sent (every idle page has one), closed when the page ends.
pub(crate) struct Queue<V: LiveView> {
    items: Mutex<VecDeque<Done<V>>>,
    /// The page's task while it waits (a waker, not a waiter list: the page polls this queue
    /// on every turn of its loop).
    ready: AtomicWaker,
    open: AtomicBool,
}

impl<V: LiveView> Queue<V> {
    pub(crate) fn new() -> Arc<Queue<V>> {
        Arc::new(Queue {
            items: Mutex::new(VecDeque::new()),
            ready: AtomicWaker::new(),
            open: AtomicBool::new(true),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Done<V>>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `done`; `Err` when the page has ended.
    pub(crate) fn send(&self, done: Done<V>) -> Result<(), Done<V>> {
        if !self.open.load(Ordering::Acquire) {
            return Err(done);
        }
        self.lock().push_back(done);
        self.ready.wake();
        Ok(())
    }

    /// The next item, waiting for one.
    pub(crate) async fn recv(&self) -> Done<V> {
        std::future::poll_fn(|cx| {
            // Registered before looking: an item sent in between wakes the task again.
            self.ready.register(cx.waker());
            match self.lock().pop_front() {
                Some(done) => Poll::Ready(done),
                None => Poll::Pending,
            }
        })
        .await
    }

    fn close(&self) {
        self.open.store(false, Ordering::Release);
        self.lock().clear();
    }
}

/// The work a page started and has not seen finish.
pub(crate) struct Work<V: LiveView> {
    tx: Arc<Queue<V>>,
    running: HashMap<Arc<str>, (u64, AbortHandle)>,
    next: u64,
    /// Fields that show `Loading` from the next render on (set by `assign_async`).
    loading: Vec<SetLoading<V>>,
}

impl<V: LiveView> Work<V> {
    pub(crate) fn new() -> (Work<V>, Arc<Queue<V>>) {
        let tx = Queue::new();
        let rx = tx.clone();
        let work = Work {
            tx,
            running: HashMap::new(),
            next: 0,
            loading: Vec::new(),
        };
        (work, rx)
    }

    /// Spawns `fut`; `then` runs on the page with its outcome. Work already running under
    /// `key` is cancelled.
    pub(crate) fn start<T, F, H>(&mut self, key: Arc<str>, fut: F, then: H)
    where
        T: Send + 'static,
        F: Future<Output = T> + Send + 'static,
        H: FnOnce(&mut V, Result<T, AsyncFailed>, &mut Ctx<V>) -> Result<(), LiveError>
            + Send
            + 'static,
    {
        self.next += 1;
        let generation = self.next;
        let tx = self.tx.clone();
        let done_key = key.clone();
        let task = tokio::spawn(async move {
            let outcome = AssertUnwindSafe(fut)
                .catch_unwind()
                .await
                .map_err(|p| AsyncFailed::Panicked(panic_message(p)));
            // The page may have ended meanwhile: then nobody waits for this.
            let _ = tx.send(Done {
                key: done_key,
                generation,
                apply: Box::new(move |view, ctx| then(view, outcome, ctx)),
            });
        });
        if let Some((_, old)) = self.running.insert(key, (generation, task.abort_handle())) {
            old.abort();
        }
    }

    /// A sender onto the page's queue of outcomes.
    pub(crate) fn sender(&self) -> Arc<Queue<V>> {
        self.tx.clone()
    }

    /// Cancels the work under `key`, if any; its outcome never arrives.
    pub(crate) fn cancel(&mut self, key: &str) {
        if let Some((_, task)) = self.running.remove(key) {
            task.abort();
        }
    }

    /// Whether `done` is the outcome of work still wanted (neither cancelled nor replaced).
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn is_current(&self, done: &Done<V>) -> bool {
        done.generation == 0
            || matches!(self.running.get(&done.key), Some((g, _)) if *g == done.generation)
    }

    /// Whether `done` is the latest work under its key (not cancelled or replaced); it is then
    /// no longer running.
    pub(crate) fn finish(&mut self, done: &Done<V>) -> bool {
        if done.generation == 0 {
            return true;
        }
        match self.running.get(&done.key) {
            Some((generation, _)) if *generation == done.generation => {
                self.running.remove(&done.key);
                true
            }
            _ => false,
        }
    }

    /// Whether work runs under `key`.
    pub(crate) fn is_running(&self, key: &str) -> bool {
        self.running.contains_key(key)
    }

    pub(crate) fn mark_loading(&mut self, set: SetLoading<V>) {
        self.loading.push(set);
    }

    /// Sets the fields of work just started to `Loading`.
    pub(crate) fn show_loading(&mut self, view: &mut V) {
        for set in self.loading.drain(..) {
            set(view);
        }
    }

    pub(crate) fn has_loading(&self) -> bool {
        !self.loading.is_empty()
    }
}

impl<V: LiveView> Drop for Work<V> {
    /// The page ended: its work stops.
    fn drop(&mut self) {
        for (_, (_, task)) in self.running.drain() {
            task.abort();
        }
        self.tx.close();
    }
}

impl<V: LiveView> fmt::Debug for Work<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Work")
            .field("running", &self.running.keys().collect::<Vec<_>>())
            .finish()
    }
}
