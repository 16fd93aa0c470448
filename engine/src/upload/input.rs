//! The view's side of uploads: the file input and image previews the browser script drives.

use leptos::prelude::*;

use super::{Upload, UploadEntry};

/// `<input type="file">` for an upload: the browser script sends what is picked (or dropped on
/// an element with `lv-drop-target` naming the upload), after checking type, size and count with
/// the upload's own rules. `multiple` when the upload takes more than one entry.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::upload::{LiveFileInput, Upload, UploadConfig};
/// let up = Upload::new("photos", UploadConfig::new().accept([".png"]).max_entries(3));
/// let html = view! { <LiveFileInput upload=up class="sr-only" /> }.to_html();
/// assert!(html.contains(r#"lv-upload="photos""#) && html.contains(r#"accept=".png""#));
/// assert!(html.contains("multiple"));
/// ```
#[component]
pub fn LiveFileInput(
    /// The upload, from [`super::upload`].
    upload: Upload,
    /// Classes for the input.
    #[prop(optional, into)]
    class: Option<String>,
    /// The input's id (for a `<label for>`).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let c = &upload.config;
    let accept = (!c.accept.is_empty()).then(|| c.accept.join(","));
    let multiple = c.max_entries > 1;
    let auto = c.auto_upload.then_some("");
    view! {
        <input
            type="file"
            id=id
            class=class
            name=upload.name.clone()
            lv-upload=upload.name.clone()
            accept=accept
            multiple=multiple
            lv-max-size=c.max_file_size.to_string()
            lv-max-entries=c.max_entries.to_string()
            lv-chunk=c.chunk_size.to_string()
            lv-auto=auto
        />
    }
}

/// An `<img>` that shows the picked file itself, from the browser's memory, before (and while)
/// it uploads. Renders nothing for an entry that is not an image.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::upload::{LiveImgPreview, UploadEntry};
/// let e = UploadEntry { id: 7, name: "cat.png".into(), size: 9, content_type: "image/png".into(),
///                       received: 0, done: false, errors: vec![] };
/// let html = view! { <LiveImgPreview entry=e class="h-16" /> }.to_html();
/// assert!(html.contains(r#"lv-preview="7""#));
/// ```
#[component]
pub fn LiveImgPreview(
    /// The entry.
    entry: UploadEntry,
    /// Classes for the image.
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    entry.is_image().then(|| {
        view! { <img lv-preview=entry.id.to_string() alt=entry.name.clone() class=class /> }
    })
}
