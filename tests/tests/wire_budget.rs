//! Minimal on the wire: for each scenario, the reply frame's bytes against a budget and against
//! what Phoenix LiveView sends for the same change. Bytes are deterministic.
//!
//! Phoenix LiveView figures are derived from its protocol (LiveView 1.1: a reply is
//! `["4","12","lv:phx-…","phx_reply",{"status":"ok","response":{"diff":…}}]`, about 86 bytes
//! around the diff; statics are sent once; a keyed comprehension sends changed entries and, for
//! entries that only moved, their old index; a changed string dynamic is sent whole; streams send
//! the inserted item's dynamics and its DOM id).

use leptos_live::diff::diff;
use leptos_live::html::parse_fragment;
use leptos_live::testing::LiveTest;
use leptos_live::wire::protocol::patch_frame;
use leptos_live::{Params, Session};

struct Scenario {
    name: &'static str,
    a: String,
    b: String,
    budget: usize,
    phoenix: usize,
    phoenix_how: &'static str,
}

fn frame(a: &str, b: &str) -> String {
    patch_frame(
        2,
        &diff(&parse_fragment(a), &parse_fragment(b)).expect("representable"),
    )
}

fn rows(order: impl IntoIterator<Item = usize>) -> String {
    let items: String = order
        .into_iter()
        .map(|i| format!(r#"<li id="row-{i}" class="py-1">Row number {i}</li>"#))
        .collect();
    format!("<ul>{items}</ul>")
}

fn table(edit: Option<(usize, usize)>) -> String {
    let mut s = String::from("<table><tbody>");
    for r in 0..100 {
        s.push_str(&format!(r#"<tr id="r{r}">"#));
        for c in 0..10 {
            let text = if edit == Some((r, c)) {
                "edited".to_string()
            } else {
                format!("{r}:{c}")
            };
            s.push_str(&format!("<td>{text}</td>"));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

fn scenarios() -> Vec<Scenario> {
    let text = "lorem ipsum dolor ".repeat(570); // ~10 KB
    let mut edited = text.clone();
    edited.replace_range(5000..5003, "XYZ");
    let list: String = (0..20).map(|i| format!("<li>item {i}</li>")).collect();
    vec![
        Scenario {
            name: "toggle one class",
            a: r#"<main><button class="btn">Save</button></main>"#.into(),
            b: r#"<main><button class="btn active">Save</button></main>"#.into(),
            budget: 40,
            phoenix: 102,
            phoenix_how: r#"diff {"0":" active"}"#,
        },
        Scenario {
            name: "edit one cell of a 100×10 table",
            a: table(None),
            b: table(Some((57, 3))),
            budget: 40,
            phoenix: 150,
            phoenix_how: "keyed rows: the changed row's changed cell",
        },
        Scenario {
            name: "append one row to a 1,000-row keyed list",
            a: rows(0..1000),
            b: rows(0..1001),
            budget: 80,
            phoenix: 145,
            phoenix_how: "keyed comprehension: one new entry",
        },
        Scenario {
            name: "prepend one row to a 1,000-row keyed list",
            a: rows(0..1000),
            b: rows(std::iter::once(1000).chain(0..1000)),
            budget: 75,
            phoenix: 210,
            phoenix_how: "stream_insert at 0 (a keyed comprehension resends 1,000 indexes, ~9 KB)",
        },
        Scenario {
            name: "move the last row to the top",
            a: rows(0..1000),
            b: rows(std::iter::once(999).chain(0..999)),
            budget: 25,
            phoenix: 260,
            phoenix_how: "stream delete + insert at 0 (keyed comprehension: ~9 KB of indexes)",
        },
        Scenario {
            name: "delete one row of 1,000",
            a: rows(0..1000),
            b: rows((0..1000).filter(|&i| i != 500)),
            budget: 20,
            phoenix: 130,
            phoenix_how: "stream_delete (keyed comprehension: ~4.5 KB of indexes)",
        },
        Scenario {
            name: "reverse a 100-item keyed list",
            a: rows(0..100),
            b: rows((0..100).rev()),
            budget: 320,
            phoenix: 790,
            phoenix_how: "keyed comprehension: 100 old indexes",
        },
        Scenario {
            name: "change 3 characters inside a 10 KB text node",
            a: format!("<article><p>{text}</p></article>"),
            b: format!("<article><p>{edited}</p></article>"),
            budget: 40,
            phoenix: 10_350,
            phoenix_how: "the whole string dynamic",
        },
        Scenario {
            name: "replace a subtree with unrelated content",
            a: format!(r#"<div id="panel"><ul>{list}</ul></div>"#),
            b: r#"<div id="panel"><form><label>Name <input name="n"></label><button>Go</button></form></div>"#.into(),
            budget: 120,
            phoenix: 190,
            phoenix_how: "new statics and dynamics of the new branch",
        },
    ]
}

#[tokio::test]
async fn every_scenario_fits_its_budget_and_beats_phoenix() {
    let mut counter =
        LiveTest::<demo_counter::Counter>::mount(Params::default(), Session::default())
            .await
            .expect("mount");
    let click = patch_frame(
        2,
        &counter
            .event("inc", serde_json::json!({}))
            .await
            .expect("inc"),
    );
    let mut table = vec![(
        "counter click".to_string(),
        click.len(),
        32,
        95,
        "diff {\"0\":\"1\"}".to_string(),
    )];
    for s in scenarios() {
        let f = frame(&s.a, &s.b);
        table.push((
            s.name.to_string(),
            f.len(),
            s.budget,
            s.phoenix,
            s.phoenix_how.to_string(),
        ));
    }
    println!("| scenario | leptos-live bytes | budget | Phoenix LiveView bytes (how) |");
    println!("| --- | --- | --- | --- |");
    for (name, bytes, budget, phoenix, how) in &table {
        println!("| {name} | {bytes} | {budget} | ~{phoenix} ({how}) |");
    }
    for (name, bytes, budget, phoenix, _) in &table {
        assert!(bytes <= budget, "{name}: {bytes} bytes, budget {budget}");
        assert!(
            bytes <= phoenix,
            "{name}: {bytes} bytes, Phoenix ~{phoenix}"
        );
    }
}

#[test]
fn the_text_edit_is_a_splice_and_the_moves_are_one_op() {
    let text = "lorem ipsum dolor ".repeat(570);
    let mut edited = text.clone();
    edited.replace_range(5000..5003, "XYZ");
    assert!(frame(&format!("<p>{text}</p>"), &format!("<p>{edited}</p>")).contains("[7,"));
    assert!(frame(&rows(0..100), &rows((0..100).rev())).contains("[8,"));
}
