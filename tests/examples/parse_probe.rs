//! Parses a rendered 100 KB table page repeatedly (for profilers).
use leptos::prelude::*;
fn main() {
    let html = Owner::new().with(|| view! { <table class="a"><tbody>{(0..450).map(|r| view!{<tr id=format!("row-{r}")>{(0..8).map(|c| view!{<td class="px-2 py-1">{format!("{r}-{c}")}</td>}).collect_view()}</tr>}).collect_view()}</tbody></table> }.to_html());
    let t = std::time::Instant::now();
    for _ in 0..300 {
        std::hint::black_box(leptos_live::html::parse_fragment(&html));
    }
    println!("{} bytes, {:?} per parse", html.len(), t.elapsed() / 300);
}
