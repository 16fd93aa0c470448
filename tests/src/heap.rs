//! The heap benchmarks' reading of a dhat profile: the bytes and blocks a process still held
//! when the profile was written, by the place that allocated them, and the share of each place
//! per unit (a page, a user) between two profiles of the same server.

use std::collections::HashMap;

use serde_json::Value;

/// The crates whose functions name a place: the first frame of one of them on an allocation's
/// stack, below the allocator, is where it was allocated.
const PLACES: [&str; 7] = [
    "leptos_live::",
    "demo_chat::",
    "tokio::",
    "axum::",
    "hyper::",
    "tungstenite::",
    "leptos",
];

/// Where the metrics recorders' allocations are, wherever the call that recorded came from:
/// their samples and summaries depend on the events recorded, not on the number of pages.
const METRICS: [&str; 6] = [
    "metrics_util",
    "metrics-util",
    "metrics_exporter_prometheus",
    "metrics-exporter-prometheus",
    "sketches-ddsketch",
    "sketches_ddsketch",
];

/// The place of everything the metrics recorders hold.
pub const METRICS_PLACE: &str = "metrics: the Prometheus recorder's samples and summaries";

/// Bytes and blocks held, by place.
pub type Held = HashMap<String, (u64, u64)>;

/// Reads dhat's profile from `file`.
pub fn read_profile(file: &str) -> Value {
    let text = std::fs::read_to_string(file).expect("the profile");
    serde_json::from_str(&text).expect("dhat's profile is JSON")
}

/// The heap held at the end of `profile`, by place: the first function of the crates above on
/// the stack, followed by up to `depth - 1` more of them further out (callers), joined by
/// ` < `. Depth 1 is the plain split; more tells which caller a place served. What the metrics
/// recorders hold is one place of its own, [`METRICS_PLACE`].
pub fn by_place(profile: &Value, depth: usize) -> Held {
    let frames: Vec<&str> = profile["ftbl"]
        .as_array()
        .map(|f| f.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut places = Held::new();
    for pp in profile["pps"].as_array().into_iter().flatten() {
        let (bytes, blocks) = (
            pp["eb"].as_u64().unwrap_or(0),
            pp["ebk"].as_u64().unwrap_or(0),
        );
        if bytes == 0 {
            continue;
        }
        let stack: Vec<&str> = pp["fs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| frames.get(i.as_u64()? as usize).copied())
            .collect();
        if stack.iter().any(|f| METRICS.iter().any(|m| f.contains(m))) {
            let e = places.entry(METRICS_PLACE.to_string()).or_default();
            e.0 += bytes;
            e.1 += blocks;
            continue;
        }
        let ours = |f: &&&str| PLACES.iter().any(|c| f.contains(c)) && !f.contains("alloc::");
        let mut named: Vec<String> = stack
            .iter()
            .filter(ours)
            .take(depth.max(1))
            .map(|f| function(f))
            .collect();
        if named.is_empty() {
            named.extend(stack.get(1).map(|f| function(f)));
        }
        let place = if named.is_empty() {
            "?".to_string()
        } else {
            named.join(" < ")
        };
        let e = places.entry(place).or_default();
        e.0 += bytes;
        e.1 += blocks;
    }
    places
}

/// "0x…: function (file:line:col)": the function and where, at most 150 characters.
fn function(frame: &str) -> String {
    let f = frame.split_once(": ").map_or(frame, |(_, r)| r);
    f.chars().take(150).collect()
}

/// The bytes and blocks of all places.
pub fn total(held: &Held) -> (u64, u64) {
    held.values().fold((0, 0), |(b, n), (x, y)| (b + x, n + y))
}

/// Per unit, what `with` holds beyond `base` (the same server without the units), by place:
/// bytes and blocks, largest first. A place that holds less than in `base` counts as nothing.
pub fn per_unit(base: &Held, with: &Held, units: usize) -> Vec<(String, f64, f64)> {
    let units = units.max(1) as f64;
    let mut v: Vec<(String, f64, f64)> = with
        .iter()
        .map(|(place, (b, n))| {
            let (b0, n0) = base.get(place).copied().unwrap_or((0, 0));
            (
                place.clone(),
                b.saturating_sub(b0) as f64 / units,
                n.saturating_sub(n0) as f64 / units,
            )
        })
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}

/// Per unit, the whole heap `with` holds beyond `base`: bytes and blocks.
pub fn total_per_unit(base: &Held, with: &Held, units: usize) -> (f64, f64) {
    let ((b0, n0), (b1, n1)) = (total(base), total(with));
    let units = units.max(1) as f64;
    (
        b1.saturating_sub(b0) as f64 / units,
        n1.saturating_sub(n0) as f64 / units,
    )
}
