//! The dashboard page, in-process: it shows what the engine recorded (events by view and name,
//! their times, errors with the event they answered), moves when pages do, and its stylesheet is
//! the one its classes make.

use demo_counter::Counter;
use leptos_live::dashboard::{Dashboard, Recorder, STYLESHEET};
use leptos_live::testing::LiveTest;
use leptos_live::{Params, Session};

const DASHBOARD_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/src/dashboard");

/// `dashboard.css` holds the rules of the classes the dashboard's sources use, scoped to the
/// dashboard's root, and nothing of Tailwind's reset. `UPDATE_DASHBOARD_CSS=1` writes it anew after a change to the classes.
#[test]
fn the_stylesheet_is_made_from_the_dashboards_classes() {
    let made = leptos_live_tailwind::rules(&[DASHBOARD_DIR], "#lv-dashboard")
        .expect("read the dashboard's sources");
    if std::env::var_os("UPDATE_DASHBOARD_CSS").is_some() {
        std::fs::write(format!("{DASHBOARD_DIR}/dashboard.css"), &made).expect("write");
        return;
    }
    assert!(
        made == STYLESHEET,
        "dashboard.css is out of date: run this test with UPDATE_DASHBOARD_CSS=1"
    );
    for class in [
        ".rounded-xl",
        ".lg\\:grid-cols-6",
        ".text-rose-700",
        ".tabular-nums",
    ] {
        assert!(
            STYLESHEET.contains(&format!("#lv-dashboard {class} {{")),
            "{class} missing, or not scoped"
        );
    }
    assert!(!STYLESHEET.contains("box-sizing"), "no reset");
}

#[tokio::test]
async fn the_dashboard_shows_events_errors_and_moves() {
    Recorder::new()
        .install()
        .expect("the only recorder of this test binary");
    let mut counter = LiveTest::<Counter>::mount(Params::default(), Session::default())
        .await
        .expect("mount the counter");
    for _ in 0..3 {
        counter.click("[lv-click=inc]").await.expect("click");
    }
    counter
        .event("no_such_event", serde_json::json!({}))
        .await
        .expect_err("an unknown event is refused");

    let mut dash = LiveTest::<Dashboard>::mount(Params::default(), Session::default())
        .await
        .expect("mount the dashboard");
    let row = r#"#events tr[data-view="demo_counter::Counter"][data-event="inc"]"#;
    assert_eq!(
        dash.text(&format!("{row} [data-total]")).as_deref(),
        Some("3"),
        "{}",
        dash.html()
    );
    let p50 = dash.texts(&format!("{row} td"));
    assert!(p50[4].ends_with(" ms"), "a median time: {p50:?}");
    let error = r#"#errors tr[data-code="unknown_event"]"#;
    assert_eq!(
        dash.text(&format!("{error} [data-total]")).as_deref(),
        Some("1")
    );
    assert!(
        dash.text(error)
            .unwrap_or_default()
            .contains("Counter · no_such_event"),
        "the example names its view and event: {}",
        dash.html()
    );
    assert!(dash.has_text("#slowest", "inc"));
    assert!(!dash.has("#dashboard-off"));

    // Two more clicks; at the next second the dashboard says 5.
    counter.click("[lv-click=inc]").await.expect("click");
    counter.click("[lv-click=inc]").await.expect("click");
    dash.next_info()
        .await
        .expect("the next tick")
        .expect("it renders");
    assert_eq!(
        dash.text(&format!("{row} [data-total]")).as_deref(),
        Some("5")
    );
    assert_eq!(dash.text("#stat-events").as_deref(), Some("6"));
}
