//! Forms and their fields: labelled, with errors that show once the field was touched.

use std::collections::BTreeSet;

use leptos::prelude::*;

const FIELD: &str = "mt-1 block w-full rounded-md border-0 px-3 py-1.5 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-[invalid]:ring-rose-500";
const LABEL: &str = "block text-sm font-medium text-slate-700";

/// Which fields of a form the user has touched, so that a field's errors show only once it was
/// changed, or the form submitted: feed it the `_target` of each `lv-change` event.
///
/// ```
/// use leptos_live_components::Touched;
/// let mut t = Touched::default();
/// t.touch(Some("email"));
/// assert!(t.shows("email") && !t.shows("name"));
/// t.submit();
/// assert!(t.shows("name"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    fields: BTreeSet<String>,
    submitted: bool,
}

impl Touched {
    /// The field named `target` (an `lv-change` event's `_target`) was changed.
    pub fn touch(&mut self, target: Option<&str>) {
        if let Some(t) = target {
            self.fields.insert(t.to_string());
        }
    }

    /// The form was submitted: every field's errors show.
    pub fn submit(&mut self) {
        self.submitted = true;
    }

    /// Back to untouched (after a successful submit).
    pub fn clear(&mut self) {
        *self = Touched::default();
    }

    /// Whether `field`'s errors show.
    pub fn shows(&self, field: &str) -> bool {
        self.submitted || self.fields.contains(field)
    }
}

/// A form: `change` is sent as the fields change (validation), `submit` when it is submitted.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Form;
/// let html = view! { <Form id="signup" change="validate" submit="save">"…"</Form> }.to_html();
/// assert!(html.contains(r#"lv-change="validate""#) && html.contains(r#"lv-submit="save""#));
/// ```
#[component]
pub fn Form(
    /// Its id (forms with an id and `lv-change` get their values back after a remount).
    #[prop(into)]
    id: String,
    /// The event sent as fields change.
    #[prop(optional, into)]
    change: Option<String>,
    /// The event sent on submit.
    #[prop(optional, into)]
    submit: Option<String>,
    /// Classes (default: fields stacked with some space).
    #[prop(optional, into)]
    class: Option<String>,
    /// The fields and buttons.
    children: Children,
) -> impl IntoView {
    let class = class.unwrap_or_else(|| "space-y-4".to_string());
    view! {
        <form id=id lv-change=change lv-submit=submit class=class novalidate="">
            {children()}
        </form>
    }
}

/// The errors of field `name` that show (none before it was touched), its `aria-invalid` and
/// its `aria-describedby`.
fn shown(
    name: &str,
    errors: Vec<String>,
    show: bool,
) -> (Vec<String>, Option<&'static str>, Option<String>) {
    let errors = if show { errors } else { Vec::new() };
    let invalid = (!errors.is_empty()).then_some("true");
    let described = invalid.map(|_| format!("{name}-errors"));
    (errors, invalid, described)
}

/// The errors of field `name`, announced when they appear; nothing when there are none.
fn errors_view(name: &str, errors: Vec<String>) -> impl IntoView + use<> {
    (!errors.is_empty()).then(|| {
        view! {
            <div id=format!("{name}-errors") role="alert" class="mt-1 text-sm text-rose-600">
                {errors.into_iter().map(|e| view! { <p>{e}</p> }).collect_view()}
            </div>
        }
    })
}

/// A labelled input: `kind` is its type (`text`, `email`, `number`, `password`, `search`,
/// `tel`, `url`, `date`). Its errors show when `show_errors` says so (see [`Touched`]).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Input;
/// let html = view! {
///     <Input name="email" label="Email" kind="email" value="a@" errors=vec!["is not an address".into()] show_errors=true />
/// }.to_html();
/// assert!(html.contains(r#"aria-invalid="true""#) && html.contains("is not an address"));
/// let quiet = view! { <Input name="email" label="Email" errors=vec!["x".into()] /> }.to_html();
/// assert!(!quiet.contains("aria-invalid"));
/// ```
#[component]
pub fn Input(
    /// The field's name in the form's payload (also its id).
    #[prop(into)]
    name: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// The input's type (default `text`).
    #[prop(optional, into)]
    kind: Option<String>,
    /// The current value.
    #[prop(optional, into)]
    value: String,
    /// A hint shown while empty.
    #[prop(optional, into)]
    placeholder: Option<String>,
    /// What is wrong with the value.
    #[prop(optional)]
    errors: Vec<String>,
    /// Whether to show the errors (the field was touched, or the form submitted).
    #[prop(optional)]
    show_errors: bool,
) -> impl IntoView {
    let (errors, invalid, described) = shown(&name, errors, show_errors);
    view! {
        <div>
            <label for=name.clone() class=LABEL>{label}</label>
            <input
                type=kind.unwrap_or_else(|| "text".into())
                id=name.clone()
                name=name.clone()
                value=value
                placeholder=placeholder
                aria-invalid=invalid
                aria-describedby=described
                class=FIELD
            />
            {errors_view(&name, errors)}
        </div>
    }
}

/// A labelled number input; put it in a form with `lv-change` to send its value as it is typed.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::NumberField;
/// let html = view! { <NumberField name="step" label="Step" value=1 /> }.to_html();
/// assert!(html.contains(r#"name="step""#) && html.contains(r#"value="1""#));
/// ```
#[component]
pub fn NumberField(
    /// The field's name in the form's payload (also its id).
    #[prop(into)]
    name: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// The current value.
    value: i64,
) -> impl IntoView {
    view! {
        <label for=name.clone() class=LABEL>{label}</label>
        <input type="number" id=name.clone() name=name value=value.to_string() class=FIELD />
    }
}

/// A labelled text area.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Textarea;
/// let html = view! { <Textarea name="bio" label="About you" value="hi" /> }.to_html();
/// assert!(html.contains("<textarea") && html.contains(">hi</textarea>"));
/// ```
#[component]
pub fn Textarea(
    /// The field's name (also its id).
    #[prop(into)]
    name: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// The current value.
    #[prop(optional, into)]
    value: String,
    /// Visible lines (default 3).
    #[prop(optional)]
    rows: Option<u32>,
    /// What is wrong with the value.
    #[prop(optional)]
    errors: Vec<String>,
    /// Whether to show the errors.
    #[prop(optional)]
    show_errors: bool,
) -> impl IntoView {
    let (errors, invalid, described) = shown(&name, errors, show_errors);
    view! {
        <div>
            <label for=name.clone() class=LABEL>{label}</label>
            <textarea id=name.clone() name=name.clone() rows=rows.unwrap_or(3).to_string() aria-invalid=invalid aria-describedby=described class=FIELD>{value}</textarea>
            {errors_view(&name, errors)}
        </div>
    }
}

/// A labelled select; `options` are `(value, label)` pairs, `value` the one selected.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Select;
/// let options = vec![("a".to_string(), "Apple".to_string()), ("b".to_string(), "Banana".to_string())];
/// let html = view! { <Select name="fruit" label="Fruit" options=options value="b" /> }.to_html();
/// assert!(html.contains(r#"<option value="b" selected"#));
/// ```
#[component]
pub fn Select(
    /// The field's name (also its id).
    #[prop(into)]
    name: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// `(value, label)` pairs.
    options: Vec<(String, String)>,
    /// The selected value.
    #[prop(optional, into)]
    value: String,
    /// What is wrong with the value.
    #[prop(optional)]
    errors: Vec<String>,
    /// Whether to show the errors.
    #[prop(optional)]
    show_errors: bool,
) -> impl IntoView {
    let (errors, invalid, _) = shown(&name, errors, show_errors);
    let options = options
        .into_iter()
        .map(|(v, l)| {
            let selected = v == value;
            view! { <option value=v selected=selected>{l}</option> }
        })
        .collect_view();
    view! {
        <div>
            <label for=name.clone() class=LABEL>{label}</label>
            <select id=name.clone() name=name.clone() aria-invalid=invalid class=FIELD>{options}</select>
            {errors_view(&name, errors)}
        </div>
    }
}

/// A labelled checkbox: its field is `true` when checked and absent when not (read it with
/// `#[serde(default)] field: bool`).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Checkbox;
/// let html = view! { <Checkbox name="terms" label="I agree" checked=true /> }.to_html();
/// assert!(html.contains(r#"type="checkbox""#) && html.contains("checked"));
/// ```
#[component]
pub fn Checkbox(
    /// The field's name (also its id).
    #[prop(into)]
    name: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// Whether it is checked.
    #[prop(optional)]
    checked: bool,
) -> impl IntoView {
    let id = name.clone();
    view! {
        <div class="flex items-center gap-2">
            <input type="checkbox" id=id.clone() name=name value="true" checked=checked class="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600" />
            <label for=id class="text-sm text-slate-700">{label}</label>
        </div>
    }
}

/// A group of radio buttons under a legend; `options` are `(value, label)` pairs.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::RadioGroup;
/// let options = vec![("s".to_string(), "Small".to_string()), ("l".to_string(), "Large".to_string())];
/// let html = view! { <RadioGroup name="size" label="Size" options=options value="l" /> }.to_html();
/// assert!(html.contains("<fieldset") && html.contains(r#"id="size-l""#));
/// ```
#[component]
pub fn RadioGroup(
    /// The field's name.
    #[prop(into)]
    name: String,
    /// The legend.
    #[prop(into)]
    label: String,
    /// `(value, label)` pairs.
    options: Vec<(String, String)>,
    /// The checked value.
    #[prop(optional, into)]
    value: String,
) -> impl IntoView {
    let radios = options
        .into_iter()
        .map(|(v, l)| {
            let id = format!("{name}-{v}");
            let checked = v == value;
            view! {
                <div class="flex items-center gap-2">
                    <input type="radio" id=id.clone() name=name.clone() value=v checked=checked class="h-4 w-4 border-slate-300 text-indigo-600 focus:ring-indigo-600" />
                    <label for=id class="text-sm text-slate-700">{l}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset>
            <legend class=LABEL>{label}</legend>
            <div class="mt-2 space-y-2">{radios}</div>
        </fieldset>
    }
}
