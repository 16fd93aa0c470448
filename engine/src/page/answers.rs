//! What a page answered to its last events, so that an event sent again after a reconnect is
//! applied once.
//!
//! A client whose socket dropped while events were in flight cannot know whether they reached
//! the page. It names them in its next join ([`crate::wire::protocol::ClientFrame::Join`]'s
//! `resent`) and sends them again with their references. Each such event the page applied
//! already is answered as it was the first time (its reply, pushed events, title and
//! navigation, in a patch with no operations: the join's own reply brought the page up to
//! date), and is not applied again; the others run as any event. Only events named in the join
//! are looked up, so clients that number their frames anew on every socket lose nothing.

use std::collections::VecDeque;

use crate::diff::Op;
use crate::error::{ErrorCode, LiveError};
use crate::page::core::Sink;
use crate::wire::protocol::MAX_RESENT;
use crate::wire::pushed::Pushed;

/// The most a kept answer's reply and pushed events may weigh (as JSON). A heavier answer is
/// kept without them (the event is still never applied twice), and a warning is logged.
pub(crate) const MAX_KEPT_BYTES: usize = 8 * 1024;

/// How an event was answered.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Answer {
    /// With a patch (or the whole page) carrying what the handler pushed, if anything.
    Patch(Option<Box<Pushed>>),
    /// With a typed error.
    Error(ErrorCode, Box<str>),
}

impl Answer {
    /// The answer kept for a frame that carried `pushed`: no stream changes (the client gets
    /// the page's current streams with its join), no live navigation's landing, and no reply
    /// or events heavier than [`MAX_KEPT_BYTES`].
    fn of(pushed: &Pushed) -> Answer {
        let mut kept = Pushed {
            reply: pushed.reply.clone(),
            events: pushed.events.clone(),
            title: pushed.title.clone(),
            nav: pushed.nav.clone(),
            flash: pushed.flash.clone(),
            ..Pushed::default()
        };
        if kept.reply.is_some() || !kept.events.is_empty() {
            let weight = serde_json::to_string(&(&kept.reply, &kept.events)).map_or(0, |s| s.len());
            if weight > MAX_KEPT_BYTES {
                tracing::warn!(
                    bytes = weight,
                    "an event's reply is too heavy to keep for a resend; kept without it"
                );
                kept.reply = None;
                kept.events.clear();
            }
        }
        if kept.is_empty() && kept.flash.is_none() {
            Answer::Patch(None)
        } else {
            Answer::Patch(Some(Box::new(kept)))
        }
    }
}

/// The answers to a page's last [`MAX_RESENT`] events, and the events its client said it sends
/// again. An answer costs 16 bytes unless the handler pushed something: at most 2 KiB a page.
#[derive(Debug, Default)]
pub(crate) struct Answers {
    /// By reference, oldest first; `None` for the common answer, a patch with nothing pushed.
    kept: VecDeque<(u64, Option<Box<Answer>>)>,
    /// Named in the last join and not seen since.
    resent: Vec<u64>,
}

impl Answers {
    /// The client's join named these events as sent again (at most [`MAX_RESENT`], checked
    /// when the frame was read); they replace any named before. Only a join names events, so
    /// the answers to the others can no longer be asked for, and go.
    pub fn expect(&mut self, refs: Vec<u64>) {
        self.kept.retain(|(r, _)| refs.contains(r));
        self.resent = refs;
    }

    /// The answer to give event `r` instead of applying it: when the last join named it as
    /// sent again and the page applied it already. Each name counts once.
    pub fn replay(&mut self, r: u64) -> Option<Answer> {
        let i = self.resent.iter().position(|&x| x == r)?;
        self.resent.swap_remove(i);
        self.kept
            .iter()
            .rev()
            .find(|(k, _)| *k == r)
            .map(|(_, a)| a.as_deref().cloned().unwrap_or(Answer::Patch(None)))
    }

    /// Keeps how event `r` was answered; the oldest answer goes past [`MAX_RESENT`].
    pub fn remember(&mut self, r: u64, answer: Answer) {
        if r == 0 {
            return;
        }
        if self.kept.len() == MAX_RESENT {
            self.kept.pop_front();
        }
        let answer = match answer {
            Answer::Patch(None) => None,
            other => Some(Box::new(other)),
        };
        self.kept.push_back((r, answer));
    }
}

/// A [`Sink`] that passes everything on and notes how event `r` was answered.
pub(crate) struct Recording<'s, S> {
    sink: &'s mut S,
    r: u64,
    /// The first frame that answered `r`.
    pub answer: Option<Answer>,
}

impl<'s, S: Sink> Recording<'s, S> {
    /// Records the answer to `r` on its way to `sink`.
    pub fn new(r: u64, sink: &'s mut S) -> Self {
        Recording {
            sink,
            r,
            answer: None,
        }
    }

    fn note(&mut self, r: u64, answer: impl FnOnce() -> Answer) {
        if r == self.r && self.answer.is_none() {
            self.answer = Some(answer());
        }
    }
}

impl<S: Sink> Sink for Recording<'_, S> {
    fn attached(&self) -> bool {
        self.sink.attached()
    }

    fn patch(&mut self, r: u64, ops: &[Op], pushed: &Pushed) -> bool {
        self.note(r, || Answer::of(pushed));
        self.sink.patch(r, ops, pushed)
    }

    fn page(&mut self, r: u64, html: &str, version: u64, pushed: &Pushed) -> bool {
        self.note(r, || Answer::of(pushed));
        self.sink.page(r, html, version, pushed)
    }

    fn error(&mut self, r: u64, code: ErrorCode, message: &str) {
        self.note(r, || Answer::Error(code, message.into()));
        self.sink.error(r, code, message);
    }

    fn upload_ack(&mut self, entry: u32, written: u64) {
        self.sink.upload_ack(entry, written);
    }

    fn upload_end(&mut self, entry: u32, why: &str) {
        self.sink.upload_end(entry, why);
    }

    fn failed(&mut self, error: &LiveError) {
        self.sink.failed(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_named_events_that_were_answered_replay_and_once() {
        let mut a = Answers::default();
        a.remember(3, Answer::Patch(None));
        a.remember(4, Answer::Error(ErrorCode::BadPayload, "no".into()));
        // Not named in a join: applied as any event.
        assert_eq!(a.replay(3), None);
        a.remember(2, Answer::Patch(None));
        a.expect(vec![4, 3, 5]);
        assert_eq!(a.kept.len(), 2, "the answer to 2, not named, went");
        assert_eq!(
            a.replay(4),
            Some(Answer::Error(ErrorCode::BadPayload, "no".into()))
        );
        assert_eq!(a.replay(3), Some(Answer::Patch(None)));
        // Named but never answered: applied.
        assert_eq!(a.replay(5), None);
        // A name counts once.
        assert_eq!(a.replay(3), None);
    }

    #[test]
    fn a_kept_answer_costs_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<(u64, Option<Box<Answer>>)>(), 16);
    }

    #[test]
    fn answers_are_bounded_and_keep_what_the_client_needs() {
        let mut a = Answers::default();
        for r in 1..=(MAX_RESENT as u64 + 10) {
            a.remember(r, Answer::Patch(None));
        }
        a.expect(vec![1, 10, 11, MAX_RESENT as u64 + 10]);
        assert_eq!(a.replay(1), None, "the oldest went");
        assert_eq!(a.replay(10), None);
        assert!(a.replay(11).is_some());
        assert!(a.replay(MAX_RESENT as u64 + 10).is_some());

        let pushed = Pushed {
            reply: Some(json!({"id": 7})),
            title: Some("T".into()),
            landed: Some(("tok".into(), "/".into())),
            ..Pushed::default()
        };
        let Answer::Patch(Some(kept)) = Answer::of(&pushed) else {
            panic!("the reply is kept");
        };
        assert_eq!(kept.reply, Some(json!({"id": 7})));
        assert_eq!(kept.landed, None);
        let heavy = Pushed {
            reply: Some(json!("x".repeat(MAX_KEPT_BYTES))),
            ..Pushed::default()
        };
        assert_eq!(Answer::of(&heavy), Answer::Patch(None));
        assert_eq!(Answer::of(&Pushed::default()), Answer::Patch(None));
    }
}
