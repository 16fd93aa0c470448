//! Tabs: ids and counts on their links, and whether they replace the history entry.

use leptos::prelude::*;
use leptos_live_components::{Tab, Tabs};

/// The value of attribute `name` on the element with id `id` in `html` (which quotes every
/// attribute with `"`).
fn attr(html: &str, id: &str, name: &str) -> Option<String> {
    let at = html.find(&format!(r#"id="{id}""#))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let key = format!(r#" {name}=""#);
    let from = tag.find(&key)? + key.len();
    Some(tag[from..].split('"').next()?.to_string())
}

#[test]
fn tabs_carry_their_ids_and_counts() {
    let tabs = vec![
        Tab::new("Online", "/rooms/a?tab=online", true)
            .id("tab-online")
            .count(2),
        Tab::new("Members", "/rooms/a?tab=members", false).id("tab-members"),
        Tab::new("Files", "/rooms/a?tab=files", false).count(0),
    ];
    let html = view! { <Tabs tabs=tabs /> }.to_html();
    assert_eq!(
        attr(&html, "tab-online", "aria-selected").as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&html, "tab-members", "aria-selected").as_deref(),
        Some("false")
    );
    assert_eq!(
        attr(&html, "tab-members", "href").as_deref(),
        Some("/rooms/a?tab=members")
    );
    assert_eq!(attr(&html, "tab-members", "role").as_deref(), Some("tab"));
    assert!(
        html.contains(r#"<span id="tab-online-count""#) && html.contains(">2</span>"),
        "{html}"
    );
    assert!(html.contains(">Members</a>"), "no count, no badge: {html}");
    // A count on a tab without an id has no id either.
    assert!(
        html.contains(">Files <span class=") && html.contains(">0</span>"),
        "{html}"
    );
    // A tab replaces the history entry, unless the tabs push.
    assert_eq!(html.matches(r#"lv-replace="""#).count(), 3, "{html}");
    let tabs = vec![Tab::new("Online", "?tab=online", true)];
    let pushed = view! { <Tabs tabs=tabs push=true /> }.to_html();
    assert!(
        pushed.contains(r#"lv-patch="""#) && !pushed.contains("lv-replace"),
        "{pushed}"
    );
}
