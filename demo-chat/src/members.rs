//! The room's members panel: a `LiveComponent` with its own notice and its own events (invite,
//! remove), rendered again only when the room page gives it new props.

use leptos::prelude::*;
use leptos_live::{ComponentMount, Ctx, LiveComponent, LiveError};
use leptos_live_components::{Button, Field, Form, Size, Variant};
use serde::Deserialize;

use crate::App;
use crate::room::{RoomEvent, RoomPage, topic};

/// What the room page tells the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembersProps {
    /// The room.
    pub room: String,
    /// Members only.
    pub private: bool,
    /// The user owns the room (and so manages its members).
    pub owner: bool,
    /// The members, when the members tab is open.
    pub list: Option<Vec<String>>,
}

/// The panel's forms.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembersEvent {
    /// Let someone into the room.
    Invite {
        /// Who.
        #[serde(default)]
        nick: String,
    },
    /// Take someone out.
    Remove {
        /// Who.
        #[serde(default)]
        nick: String,
    },
}

/// The members panel.
pub struct Members {
    props: MembersProps,
    notice: Option<String>,
}

impl LiveComponent for Members {
    type Page = RoomPage;
    type Props = MembersProps;
    type Event = MembersEvent;

    fn mount(props: &MembersProps, _: &mut ComponentMount<'_>) -> Self {
        Members {
            props: props.clone(),
            notice: None,
        }
    }

    fn update(&mut self, props: MembersProps) {
        self.props = props;
    }

    async fn handle_event(
        &mut self,
        event: MembersEvent,
        ctx: &mut Ctx<RoomPage>,
    ) -> Result<(), LiveError> {
        // Checked on the server whatever the page shows.
        if !self.props.owner {
            return Err(LiveError::msg("only the room's owner manages its members"));
        }
        let app = ctx.extension::<App>()?.clone();
        let room = self.props.room.clone();
        let (MembersEvent::Invite { nick } | MembersEvent::Remove { nick }) = &event;
        let who = nick.trim().to_string();
        if let Err(e) = crate::session::valid_nick(&who) {
            self.notice = Some(e.to_string());
            return Ok(());
        }
        match event {
            MembersEvent::Invite { .. } => {
                app.db
                    .add_member(&room, &who)
                    .await
                    .map_err(LiveError::msg)?;
                self.notice = Some(format!("{who} may now enter."));
            }
            MembersEvent::Remove { .. }
                if app
                    .db
                    .room(&room)
                    .await
                    .map_err(LiveError::msg)?
                    .is_some_and(|r| r.owner == who) =>
            {
                self.notice = Some("The owner stays.".into());
                return Ok(());
            }
            MembersEvent::Remove { .. } => {
                app.db
                    .remove_member(&room, &who)
                    .await
                    .map_err(LiveError::msg)?;
                self.notice = Some(format!("{who} may no longer enter."));
            }
        }
        // Every page of the room hears it: the removed lose access, lists reload.
        ctx.broadcast(&topic(&room), RoomEvent::Members)
            .map_err(LiveError::msg)?;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let p = &self.props;
        let list = p.list.clone().map(|names| {
            if p.private {
                let names = names
                    .into_iter()
                    .map(|n| {
                        let shown = n.clone();
                        view! { <li data-member=n>{shown}</li> }
                    })
                    .collect_view();
                view! { <ul id="members" class="space-y-1 text-sm text-slate-700">{names}</ul> }.into_any()
            } else {
                view! { <p id="members" class="text-sm text-slate-500">"Anyone may enter this room."</p> }
                    .into_any()
            }
        });
        let forms = (p.private && p.owner).then(|| {
            view! {
                <Form id="invite" submit="invite" class="flex items-end gap-2" attr:lv-target="">
                    <div class="min-w-0 flex-1">{nick_field("invite-nick", "Let in")}</div>
                    <Button submit=true size=Size::Sm>"Invite"</Button>
                </Form>
                <Form id="remove" submit="remove" class="flex items-end gap-2" attr:lv-target="">
                    <div class="min-w-0 flex-1">{nick_field("remove-nick", "Take out")}</div>
                    <Button submit=true size=Size::Sm variant=Variant::Danger>"Remove"</Button>
                </Form>
            }
        });
        view! {
            <div id="members-panel" class="space-y-3">
                {list}
                {forms}
                {self.notice.clone().map(|n| view! { <p id="notice" class="text-sm text-slate-600">{n}</p> })}
            </div>
        }
    }
}

/// A nickname field of the panel's forms: both send `nick`, so each has an id of its own.
fn nick_field(id: &'static str, label: &'static str) -> impl IntoView + use<> {
    view! {
        <Field id=id label=label let:control>
            <input
                id=control.id
                name="nick"
                placeholder="nickname"
                class="mt-1 block w-full rounded-md px-2 py-1 text-sm ring-1 ring-inset ring-slate-300"
            />
        </Field>
    }
}
