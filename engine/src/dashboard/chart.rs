//! Small pictures and words for figures: a sparkline, durations, sizes.

use std::time::Duration;

use leptos::prelude::*;

/// The sparkline's drawing box.
const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 28.0;

/// The points of a line through `values`, oldest left, scaled to the box (zero at the bottom).
pub(crate) fn points(values: &[f64]) -> String {
    let top = values.iter().copied().fold(0.0_f64, f64::max);
    let step = if values.len() > 1 {
        WIDTH / (values.len() - 1) as f64
    } else {
        0.0
    };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let y = if top > 0.0 {
                HEIGHT - v / top * (HEIGHT - 2.0) - 1.0
            } else {
                HEIGHT - 1.0
            };
            format!("{:.1},{:.1}", i as f64 * step, y)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A sparkline of `values`, in the current text colour.
pub(crate) fn sparkline(values: &[f64]) -> impl IntoView + use<> {
    let points = points(values);
    view! {
        <svg viewBox="0 0 120 28" preserveAspectRatio="none" class="mt-2 h-7 w-full" aria-hidden="true">
            <polyline fill="none" stroke="currentColor" stroke-width="1.5" points=points />
        </svg>
    }
}

/// A time in seconds as people read it: `0.84 ms`, `12.3 ms`, `1.20 s`.
pub(crate) fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.01 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.2} ms", s * 1e3)
    }
}

/// A byte count: `812 KiB`, `41.2 MiB`.
pub(crate) fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2} GiB", n / (1024.0 * 1024.0 * 1024.0))
    } else if n >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", n / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KiB", n / 1024.0)
    }
}

/// How long ago: `now`, `12 s ago`, `3 min ago`.
pub(crate) fn ago(d: Duration) -> String {
    match d.as_secs() {
        0 => "now".to_string(),
        s if s < 120 => format!("{s} s ago"),
        s => format!("{} min ago", s / 60),
    }
}

/// A rate: `0`, `0.4`, `12`, `1,234` per second.
pub(crate) fn rate(per_sec: f64) -> String {
    if per_sec == 0.0 {
        "0".to_string()
    } else if per_sec < 10.0 {
        format!("{per_sec:.1}")
    } else {
        count(per_sec.round() as u64)
    }
}

/// A count with thousands separated: `1,234,567`.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A type's name without its module path: `demo_chat::room::RoomPage` → `RoomPage`.
pub(crate) fn short(type_name: &str) -> &str {
    let outer = type_name.split('<').next().unwrap_or(type_name);
    outer.rsplit("::").next().unwrap_or(outer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_read_them() {
        assert_eq!(seconds(0.00084), "0.84 ms");
        assert_eq!(seconds(0.0123), "12.3 ms");
        assert_eq!(seconds(1.2), "1.20 s");
        assert_eq!(bytes(812 * 1024), "812 KiB");
        assert_eq!(bytes(41 * 1024 * 1024 + 200 * 1024), "41.2 MiB");
        assert_eq!(ago(Duration::from_millis(300)), "now");
        assert_eq!(ago(Duration::from_secs(12)), "12 s ago");
        assert_eq!(ago(Duration::from_secs(200)), "3 min ago");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(999), "999");
        assert_eq!(rate(0.4), "0.4");
        assert_eq!(rate(1234.4), "1,234");
        assert_eq!(short("demo_chat::room::RoomPage"), "RoomPage");
        assert_eq!(short("app::List<app::Row>"), "List");
    }

    #[test]
    fn a_sparkline_spans_its_box() {
        assert_eq!(points(&[0.0, 2.0, 1.0]), "0.0,27.0 60.0,1.0 120.0,14.0");
        assert_eq!(points(&[0.0, 0.0]), "0.0,27.0 120.0,27.0");
        assert_eq!(points(&[]), "");
    }
}
