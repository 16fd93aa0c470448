//! `/components`: every component of `leptos_live_components` in its states, on a live page.

use std::time::Duration;

use axum::http::Uri;
use leptos::prelude::*;
use leptos_live::{Ctx, FlashKind, LiveError, LiveView, Params, Session, Stream};
use leptos_live_components::{
    Badge, Button, Checkbox, Dropdown, Field, FlashGroup, Form, Header, Icon, Input, Link,
    LinkKind, List, Modal, Pagination, RadioGroup, Select, Size, Spinner, Tab, Table, Tabs,
    Textarea, Tone, Touched, Variant, hide_modal, icons, show_modal,
};

/// The sign-up form's fields, as the browser sends them.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Fields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    terms: bool,
    #[serde(default)]
    bio: String,
    /// The field that changed (`lv-change`).
    #[serde(default, rename = "_target")]
    target: Option<String>,
}

impl Fields {
    /// What is wrong, by field.
    fn errors(&self, field: &str) -> Vec<String> {
        let mut out = Vec::new();
        match field {
            "name" if self.name.trim().is_empty() => out.push("can't be blank".to_string()),
            "email" if !(self.email.contains('@') && self.email.contains('.')) => {
                out.push("must be an email address".to_string())
            }
            "terms" if !self.terms => out.push("must be accepted".to_string()),
            _ => {}
        }
        out
    }

    fn valid(&self) -> bool {
        ["name", "email", "terms"]
            .iter()
            .all(|f| self.errors(f).is_empty())
    }
}

/// What the gallery's controls send.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The form changed.
    Validate(Fields),
    /// The form was submitted.
    Save(Fields),
    /// The dialog's confirm button.
    Confirm,
    /// Takes half a second: its button shows the loading state meanwhile.
    Slow,
    /// Empties or fills the table.
    ToggleRows,
    /// Adds a note to the streamed list.
    AddNote,
    /// Empties the streamed list.
    ClearNotes,
}

/// A note of the streamed list.
#[derive(Clone)]
pub struct Note {
    id: u32,
    text: String,
}

/// The gallery page.
pub struct Gallery {
    fields: Fields,
    touched: Touched,
    saved: Option<String>,
    confirmed: u32,
    tab: String,
    page: u32,
    rows: bool,
    notes: Stream<Note>,
    next_note: u32,
}

const PEOPLE: [(&str, &str, &str); 3] = [
    ("Ada Lovelace", "ada@example.com", "Analyst"),
    ("Alan Turing", "alan@example.com", "Engineer"),
    ("Grace Hopper", "grace@example.com", "Admiral"),
];

impl LiveView for Gallery {
    type Message = ();
    type Event = Event;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Gallery {
            fields: Fields {
                plan: "free".into(),
                size: "m".into(),
                ..Fields::default()
            },
            touched: Touched::default(),
            saved: None,
            confirmed: 0,
            tab: "buttons".into(),
            page: 1,
            rows: true,
            notes: ctx.stream("notes", |n: &Note| format!("note-{}", n.id)),
            next_note: 1,
        })
    }

    async fn handle_params(
        &mut self,
        params: &Params,
        _: &Uri,
        _: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        self.tab = params.get("tab").unwrap_or("buttons").to_string();
        self.page = params
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
            .clamp(1, 3);
        Ok(())
    }

    async fn handle_event(&mut self, event: Event, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        match event {
            Event::Validate(f) => {
                self.touched.touch(f.target.as_deref());
                self.fields = f;
            }
            Event::Save(f) => {
                self.fields = f;
                if self.fields.valid() {
                    self.saved = Some(format!("Welcome, {}!", self.fields.name.trim()));
                    ctx.put_flash(FlashKind::Info, "Signed up.");
                    self.touched.clear();
                } else {
                    self.touched.submit();
                }
            }
            Event::Confirm => self.confirmed += 1,
            Event::Slow => tokio::time::sleep(Duration::from_millis(500)).await,
            Event::ToggleRows => self.rows = !self.rows,
            Event::AddNote => {
                let id = self.next_note;
                self.next_note += 1;
                self.notes.insert(Note {
                    id,
                    text: format!("Note {id}"),
                });
            }
            Event::ClearNotes => self.notes.reset(),
        }
        Ok(())
    }

    fn title(&self) -> String {
        "Components · leptos-live".into()
    }

    fn render(&self) -> impl IntoView {
        let f = self.fields.clone();
        let touched = self.touched.clone();
        let shows = move |name: &str| touched.shows(name);
        let (name_errors, email_errors) = (f.errors("name"), f.errors("email"));
        let (show_name, show_email) = (shows("name"), shows("email"));
        let terms_error = Some(f.errors("terms"))
            .filter(|e| shows("terms") && !e.is_empty())
            .map(|e| view! { <p id="terms-errors" role="alert" class="text-sm text-rose-600">{e.join(", ")}</p> });
        let saved = self.saved.clone();
        let confirmed = format!("Confirmed {} times", self.confirmed);
        let page = self.page;
        let plans = vec![
            ("free".to_string(), "Free".to_string()),
            ("team".to_string(), "Team".to_string()),
        ];
        let sizes = vec![
            ("s".to_string(), "Small".to_string()),
            ("m".to_string(), "Medium".to_string()),
            ("l".to_string(), "Large".to_string()),
        ];
        let tabs = ["buttons", "badges", "icons"]
            .iter()
            .map(|t| Tab::new(*t, format!("/components?tab={t}"), self.tab == *t))
            .collect::<Vec<_>>();
        let tab_panel = match self.tab.as_str() {
            "badges" => view! {
                <div id="tab-panel" class="flex gap-2">
                    <Badge>"draft"</Badge>
                    <Badge tone=Tone::Green>"online"</Badge>
                    <Badge tone=Tone::Red>"failed"</Badge>
                    <Badge tone=Tone::Yellow>"pending"</Badge>
                    <Badge tone=Tone::Blue>"new"</Badge>
                </div>
            }
            .into_any(),
            "icons" => view! {
                <div id="tab-panel" class="flex gap-3 text-slate-700">
                    <Icon icon=icons::HiCheckCircleOutlineLg />
                    <Icon icon=icons::HiXMarkOutlineLg />
                    <Icon icon=icons::HiChevronDownSolidMd />
                    <Spinner always=true class="h-5 w-5" />
                </div>
            }
            .into_any(),
            _ => view! {
                <div id="tab-panel" class="flex flex-wrap items-center gap-2">
                    <Button event="slow" id="slow">"Slow action"</Button>
                    <Button event="slow" variant=Variant::Secondary size=Size::Sm>"Small"</Button>
                    <Button event="slow" variant=Variant::Danger size=Size::Lg>"Large"</Button>
                    <Button event="slow" variant=Variant::Ghost>"Ghost"</Button>
                </div>
            }
            .into_any(),
        };
        let start = (self.page - 1) as usize;
        let rows = self.rows.then(|| {
            PEOPLE
                .iter()
                .cycle()
                .skip(start)
                .take(3)
                .map(|(name, email, role)| view! { <tr><td>{*name}</td><td>{*email}</td><td>{*role}</td></tr> })
                .collect_view()
        });
        let notes = self
            .notes
            .each(|id, n| view! { <li id=id>{n.text.clone()}</li> });
        view! {
            <main class="mx-auto max-w-3xl space-y-10 p-6">
                <Header title="Components" subtitle="Every component of leptos_live_components, live.">
                    <Link to="/" kind=LinkKind::Href>"Back to the counter"</Link>
                </Header>
                <FlashGroup />

                <section class="space-y-3">
                    <h2 class="font-semibold">"Tabs, buttons, badges and icons"</h2>
                    <Tabs tabs=tabs />
                    {tab_panel}
                </section>

                <section class="space-y-3">
                    <h2 class="font-semibold">"Modal"</h2>
                    <Button id="open-modal" js=show_modal("confirm") variant=Variant::Secondary>"Open dialog"</Button>
                    <p id="confirmed">{confirmed}</p>
                    <Modal id="confirm" title="Delete this item?">
                        <p class="mb-4 text-sm text-slate-600">"This cannot be undone."</p>
                        <div class="mb-4">
                            <Input name="reason" label="Reason" />
                        </div>
                        <div class="flex justify-end gap-2">
                            <Button id="cancel-modal" js=hide_modal("confirm") variant=Variant::Secondary>"Cancel"</Button>
                            <Button id="confirm-modal" js=hide_modal("confirm").push("confirm") variant=Variant::Danger>"Delete"</Button>
                        </div>
                    </Modal>
                </section>

                <section class="space-y-3">
                    <h2 class="font-semibold">"Dropdown"</h2>
                    <Dropdown id="sort" label="Sort by">
                        <a href="/components?tab=buttons" lv-patch="" role="menuitem">"Name"</a>
                        <a href="/components?tab=badges" lv-patch="" role="menuitem">"Date"</a>
                    </Dropdown>
                </section>

                <section class="space-y-3">
                    <h2 class="font-semibold">"Form"</h2>
                    <Form id="signup" change="validate" submit="save">
                        <Input name="name" label="Name" value=f.name.clone() errors=name_errors show_errors=show_name />
                        <Input name="email" label="Email" kind="email" value=f.email.clone() hint="We never share it." errors=email_errors show_errors=show_email />
                        <Field id="company" label="Company" hint="Any control goes in a Field: this one takes 40 characters at most." let:control>
                            <input id=control.id name="company" maxlength="40" autocomplete="organization" aria-describedby=control.described_by class="mt-1 block w-full rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
                        </Field>
                        <Select name="plan" label="Plan" options=plans value=f.plan.clone() hint="You can change it later." />
                        <RadioGroup name="size" label="Team size" options=sizes value=f.size.clone() />
                        <Textarea name="bio" label="About you" value=f.bio.clone() />
                        <Checkbox name="terms" label="I accept the terms" checked=f.terms />
                        {terms_error}
                        <Button submit=true id="signup-submit">"Sign up"</Button>
                    </Form>
                    <p id="saved">{saved}</p>
                </section>

                <section class="space-y-3">
                    <h2 class="font-semibold">"Table and pagination"</h2>
                    <Button id="toggle-rows" event="toggle_rows" variant=Variant::Secondary size=Size::Sm>"Empty or fill"</Button>
                    <Table id="people" headers=vec!["Name".into(), "Email".into(), "Role".into()] empty="Nobody here.">
                        {rows}
                    </Table>
                    <Pagination path="/components" page=page pages=3 />
                </section>

                <section class="space-y-3">
                    <h2 class="font-semibold">"A streamed list"</h2>
                    <div class="flex gap-2">
                        <Button id="add-note" event="add_note" size=Size::Sm>"Add a note"</Button>
                        <Button id="clear-notes" event="clear_notes" variant=Variant::Secondary size=Size::Sm>"Clear"</Button>
                    </div>
                    <List id="notes" stream="notes" empty="No notes yet.">{notes}</List>
                </section>
            </main>
        }
    }
}
