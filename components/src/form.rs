//! Forms and their fields: labelled, with a hint and errors that show once the field was
//! touched, all tied to the control for assistive technology ([`Field`]).

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

/// What a [`Field`] gives its control, to put on it: the id its label points at, and the
/// `aria-invalid` and `aria-describedby` that tie it to the hint and the errors shown.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Field;
/// let html = view! {
///     <Field id="code" label="Code" hint="Six digits" let:control>
///         <input id=control.id name="code" aria-invalid=control.invalid aria-describedby=control.described_by />
///     </Field>
/// }.to_html();
/// assert!(html.contains(r#"aria-describedby="code-hint""#) && !html.contains("aria-invalid"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldControl {
    /// The control's id (the field's `id`): its label's `for`.
    pub id: String,
    /// `aria-invalid`: `Some("true")` while errors show.
    pub invalid: Option<&'static str>,
    /// `aria-describedby`: the ids of the hint and of the errors shown, when there are any.
    pub described_by: Option<String>,
}

/// A labelled field around any control: the label, the control, an optional hint, and its
/// errors once `show_errors` says so (see [`Touched`]), announced when they appear. The hint is
/// `{id}-hint`, the errors `{id}-errors`; the control gets its id, `aria-invalid` and
/// `aria-describedby` from the [`FieldControl`] its children take (`let:`). [`Input`],
/// [`Textarea`], [`Select`] and [`NumberField`] are fields around their own control.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Field;
/// let html = view! {
///     <Field id="code" label="Code" hint="Six digits" errors=vec!["is too short".into()] show_errors=true let:control>
///         <input id=control.id name="code" inputmode="numeric" aria-invalid=control.invalid aria-describedby=control.described_by />
///     </Field>
/// }.to_html();
/// assert!(html.contains(r#"<label for="code""#) && html.contains(r#"<p id="code-hint""#));
/// assert!(html.contains(r#"aria-invalid="true""#) && html.contains(r#"aria-describedby="code-hint code-errors""#));
/// assert!(html.contains(r#"<div id="code-errors" role="alert""#) && html.contains("is too short"));
/// ```
#[component]
pub fn Field<C, V>(
    /// The control's id; the label points at it, and the hint's and errors' ids start with it.
    #[prop(into)]
    id: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// A line of help under the control, always shown.
    #[prop(optional, into)]
    hint: Option<String>,
    /// What is wrong with the value.
    #[prop(optional)]
    errors: Vec<String>,
    /// Whether to show the errors (the field was touched, or the form submitted).
    #[prop(optional)]
    show_errors: bool,
    /// The control, given its id and ARIA attributes: `let:control`.
    children: C,
) -> impl IntoView
where
    C: FnOnce(FieldControl) -> V,
    V: IntoView + 'static,
{
    field(id, label, hint, errors, show_errors, children)
}

/// [`Field`]'s markup, for the controls here too (their hint is an `Option` already).
fn field<C: FnOnce(FieldControl) -> V, V: IntoView + 'static>(
    id: String,
    label: String,
    hint: Option<String>,
    errors: Vec<String>,
    show_errors: bool,
    control: C,
) -> impl IntoView + use<C, V> {
    let errors = if show_errors { errors } else { Vec::new() };
    let (hint_id, errors_id) = (format!("{id}-hint"), format!("{id}-errors"));
    let described = [
        hint.is_some().then_some(hint_id.as_str()),
        (!errors.is_empty()).then_some(errors_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let control = control(FieldControl {
        id: id.clone(),
        invalid: (!errors.is_empty()).then_some("true"),
        described_by: (!described.is_empty()).then_some(described),
    });
    let hint = hint.map(|h| view! { <p id=hint_id class="mt-1 text-sm text-slate-500">{h}</p> });
    let errors = (!errors.is_empty()).then(|| {
        view! {
            <div id=errors_id role="alert" class="mt-1 text-sm text-rose-600">
                {errors.into_iter().map(|e| view! { <p>{e}</p> }).collect_view()}
            </div>
        }
    });
    // One optional part under the control: each `None` leaves a `<!>` marker in the HTML, and a
    // field with neither hint nor errors needs only one.
    let below = match (hint, errors) {
        (None, None) => None,
        (Some(hint), None) => Some(hint.into_any()),
        (None, Some(errors)) => Some(errors.into_any()),
        (Some(hint), Some(errors)) => Some(view! { {hint}{errors} }.into_any()),
    };
    view! {
        <div>
            <label for=id class=LABEL>{label}</label>
            {control}
            {below}
        </div>
    }
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
    /// A line of help under the input.
    #[prop(optional, into)]
    hint: Option<String>,
    /// What is wrong with the value.
    #[prop(optional)]
    errors: Vec<String>,
    /// Whether to show the errors (the field was touched, or the form submitted).
    #[prop(optional)]
    show_errors: bool,
) -> impl IntoView {
    field(
        name.clone(),
        label,
        hint,
        errors,
        show_errors,
        move |control| {
            view! {
                <input
                    type=kind.unwrap_or_else(|| "text".into())
                    id=control.id
                    name=name
                    value=value
                    placeholder=placeholder
                    aria-invalid=control.invalid
                    aria-describedby=control.described_by
                    class=FIELD
                />
            }
        },
    )
}

/// A labelled number input; put it in a form with `lv-change` to send its value as it is typed.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::NumberField;
/// let html = view! { <NumberField name="step" label="Step" value=1 hint="How much a click adds" /> }.to_html();
/// assert!(html.contains(r#"name="step""#) && html.contains(r#"value="1""#));
/// assert!(html.contains(r#"aria-describedby="step-hint""#));
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
    /// A line of help under the input.
    #[prop(optional, into)]
    hint: Option<String>,
    /// What is wrong with the value.
    #[prop(optional)]
    errors: Vec<String>,
    /// Whether to show the errors.
    #[prop(optional)]
    show_errors: bool,
) -> impl IntoView {
    field(
        name.clone(),
        label,
        hint,
        errors,
        show_errors,
        move |control| {
            view! {
                <input
                    type="number"
                    id=control.id
                    name=name
                    value=value.to_string()
                    aria-invalid=control.invalid
                    aria-describedby=control.described_by
                    class=FIELD
                />
            }
        },
    )
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
    /// A line of help under the text area.
    #[prop(optional, into)]
    hint: Option<String>,
    /// What is wrong with the value.
    #[prop(optional)]
    errors: Vec<String>,
    /// Whether to show the errors.
    #[prop(optional)]
    show_errors: bool,
) -> impl IntoView {
    field(
        name.clone(),
        label,
        hint,
        errors,
        show_errors,
        move |control| {
            view! {
                <textarea
                    id=control.id
                    name=name
                    rows=rows.unwrap_or(3).to_string()
                    aria-invalid=control.invalid
                    aria-describedby=control.described_by
                    class=FIELD
                >
                    {value}
                </textarea>
            }
        },
    )
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
    /// A line of help under the select.
    #[prop(optional, into)]
    hint: Option<String>,
    /// What is wrong with the value.
    #[prop(optional)]
    errors: Vec<String>,
    /// Whether to show the errors.
    #[prop(optional)]
    show_errors: bool,
) -> impl IntoView {
    let options = options
        .into_iter()
        .map(|(v, l)| {
            let selected = v == value;
            view! { <option value=v selected=selected>{l}</option> }
        })
        .collect_view();
    field(
        name.clone(),
        label,
        hint,
        errors,
        show_errors,
        move |control| {
            view! {
                <select
                    id=control.id
                    name=name
                    aria-invalid=control.invalid
                    aria-describedby=control.described_by
                    class=FIELD
                >
                    {options}
                </select>
            }
        },
    )
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
