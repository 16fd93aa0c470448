//! The demo's stylesheet, from the Tailwind classes in its sources and in the components it
//! uses: no Node is needed to build or run.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    leptos_live_tailwind::stylesheet(&["src", "../components/src"], "app.css")
}
