//! What the tree builder knows of tag and attribute names: the spec's lists of tags (void,
//! special, implied end tags, table parts, …) as bit flags looked up once per tag, and the case
//! adjustments of SVG names.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::string::Str;

/// Elements without content or end tag, for the parser and the serialiser alike.
pub(super) const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose start tag closes an open paragraph and whose end tag closes whatever is
/// open inside them: the spec names them together in both places.
const CONTAINERS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "search",
    "section",
    "summary",
    "ul",
    "pre",
    "listing",
];

/// Other start tags that close an open paragraph (headings too).
const CLOSES_P: &[&str] = &[
    "p",
    "table",
    "hr",
    "xmp",
    "plaintext",
    "dd",
    "dt",
    "li",
    "form",
];

pub(super) const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Elements whose content is text up to their end tag (raw text, RCDATA, plaintext).
pub(super) const TEXT_ONLY: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

const IMPLIED_END: &[&str] = &[
    "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
];

/// The spec's special category as Chromium applies it (which leaves `search` out).
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Start tags that leave foreign content and go back to HTML.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

const TABLE_PARTS: &[&str] = &[
    "caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr",
];

pub(super) const SVG_TAGS: &[&str] = &[
    "altGlyph",
    "altGlyphDef",
    "altGlyphItem",
    "animateColor",
    "animateMotion",
    "animateTransform",
    "clipPath",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "foreignObject",
    "glyphRef",
    "linearGradient",
    "radialGradient",
    "textPath",
];

pub(super) const SVG_ATTRS: &[&str] = &[
    "attributeName",
    "attributeType",
    "baseFrequency",
    "baseProfile",
    "calcMode",
    "clipPathUnits",
    "diffuseConstant",
    "edgeMode",
    "filterUnits",
    "glyphRef",
    "gradientTransform",
    "gradientUnits",
    "kernelMatrix",
    "kernelUnitLength",
    "keyPoints",
    "keySplines",
    "keyTimes",
    "lengthAdjust",
    "limitingConeAngle",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "maskContentUnits",
    "maskUnits",
    "numOctaves",
    "pathLength",
    "patternContentUnits",
    "patternTransform",
    "patternUnits",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "preserveAlpha",
    "preserveAspectRatio",
    "primitiveUnits",
    "refX",
    "refY",
    "repeatCount",
    "repeatDur",
    "requiredExtensions",
    "requiredFeatures",
    "specularConstant",
    "specularExponent",
    "spreadMethod",
    "startOffset",
    "stdDeviation",
    "stitchTiles",
    "surfaceScale",
    "systemLanguage",
    "tableValues",
    "targetX",
    "targetY",
    "textLength",
    "viewBox",
    "viewTarget",
    "xChannelSelector",
    "yChannelSelector",
    "zoomAndPan",
];

pub(super) const F_VOID: u16 = 1;
pub(super) const F_SPECIAL: u16 = 1 << 1;
pub(super) const F_CLOSES_P: u16 = 1 << 2;
pub(super) const F_HEADING: u16 = 1 << 3;
pub(super) const F_TABLE_PART: u16 = 1 << 4;
pub(super) const F_IMPLIED_END: u16 = 1 << 5;
pub(super) const F_BREAKOUT: u16 = 1 << 6;
/// Bounds the default scope (and so the button and list item scopes).
pub(super) const F_SCOPE: u16 = 1 << 7;
pub(super) const F_FORMATTING: u16 = 1 << 8;
/// Current nodes whose content goes through the table insertion modes.
pub(super) const F_TABLE_MODE: u16 = 1 << 9;
/// What a table-mode node takes directly (anything else is foster-parented by browsers).
pub(super) const F_TABLE_CONTENT: u16 = 1 << 10;
/// An HTML `<select>` (whose content is read with rules of its own).
pub(super) const F_SELECT: u16 = 1 << 11;
/// Start tags with rules of their own in `html_start`, beyond what the other flags say.
pub(super) const F_START_RULES: u16 = 1 << 12;

/// End tags that table insertion modes take (any other one in a table is fostered).
pub(super) const F_TABLE_END: u16 = 1 << 13;
/// End tags with rules of their own in `html_end`; the rest close like any other element.
pub(super) const F_END_RULES: u16 = 1 << 14;
/// End tags that close whatever is open inside their element, when it is in scope.
pub(super) const F_BLOCK_END: u16 = 1 << 15;

const TABLE_END: &[&str] = &[
    "table", "tbody", "tfoot", "thead", "tr", "td", "th", "caption", "colgroup", "col", "body",
    "html", "template",
];

/// Other end tags that close whatever is open inside their element.
const BLOCK_END: &[&str] = &["button", "applet", "marquee", "object"];

/// The other end tags with rules of their own in `html_end`.
const OTHER_END_RULES: &[&str] = &[
    "p", "br", "body", "html", "head", "li", "dd", "dt", "table", "tbody", "thead", "tfoot", "tr",
    "td", "th", "caption", "colgroup", "form",
];

/// Start tags with rules of their own in `html_start` (the `TEXT_ONLY` elements have them too).
const START_RULES: &[&str] = &[
    "html", "body", "head", "frameset", "frame", "svg", "math", "li", "dd", "dt", "button",
    "option", "optgroup", "image", "input", "template", "rb", "rp", "rt", "rtc", "a", "nobr",
    "form", "pre", "listing",
];

const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// HTML elements with no rules of their own: listed so that their names cost no copy.
const PLAIN: &[&str] = &[
    "abbr", "audio", "bdi", "bdo", "canvas", "cite", "data", "del", "dfn", "ins", "kbd", "label",
    "legend", "mark", "meter", "output", "picture", "progress", "q", "samp", "slot", "span", "sub",
    "sup", "time", "var", "video",
];

/// What the tree builder needs to know of an HTML tag, looked up once per tag.
pub(super) fn tag_flags(name: &str) -> u16 {
    flags_of(tag_key(name.as_bytes()))
}

/// The flags of the tag whose [`tag_key`] is `key` (0 for a name too long to have one).
pub(super) fn flags_of(key: Option<u128>) -> u16 {
    key.and_then(|k| table().get(&k)).map_or(0, |t| t.1)
}

/// An HTML tag's flags, and its name as a [`Str`] that copies nothing for a known tag.
pub(super) fn tag(name: &str) -> (u16, Str) {
    match tag_key(name.as_bytes()).and_then(|k| table().get(&k)) {
        Some(&(known, flags)) => (flags, Str::from_static(known)),
        None => (0, Str::from(name)),
    }
}

/// The longest name a [`tag_key`] holds; every name of the tables is shorter.
const KEY_BYTES: usize = 15;

/// `name` packed into one integer, its bytes and (in the top byte) its length, when it has at
/// most 15 bytes; one name gives one key and one key one name. The tag table is keyed by it so
/// that a lookup hashes and compares a word: hashing a string and comparing it with `memcmp`
/// were a tenth of the time a small page's parse took.
pub(super) fn tag_key(name: &[u8]) -> Option<u128> {
    (name.len() <= KEY_BYTES).then(|| {
        let bytes = name.iter().fold(0, |k, &c| k << 8 | u128::from(c));
        bytes | (name.len() as u128) << 120
    })
}

/// An attribute's name as a [`Str`], copying nothing for the names pages use most.
pub(super) fn attr_name(name: &str) -> Str {
    match name {
        "class" => Str::from_static("class"),
        "id" => Str::from_static("id"),
        "href" => Str::from_static("href"),
        "type" => Str::from_static("type"),
        "value" => Str::from_static("value"),
        "name" => Str::from_static("name"),
        "style" => Str::from_static("style"),
        "lv-key" => Str::from_static("lv-key"),
        "lv-click" => Str::from_static("lv-click"),
        _ => Str::from(name),
    }
}

/// Every tag the tables name, by its [`tag_key`]: its name and its flags.
fn table() -> &'static FxHashMap<u128, (&'static str, u16)> {
    static TABLE: OnceLock<FxHashMap<u128, (&'static str, u16)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m: FxHashMap<u128, (&'static str, u16)> = FxHashMap::default();
        let scope: &[&str] = &[
            "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
        ];
        for (list, flag) in [
            (VOID, F_VOID),
            (SPECIAL, F_SPECIAL),
            (CONTAINERS, F_CLOSES_P | F_BLOCK_END | F_END_RULES),
            (CLOSES_P, F_CLOSES_P),
            (HEADINGS, F_HEADING | F_CLOSES_P | F_END_RULES),
            (TABLE_PARTS, F_TABLE_PART),
            (IMPLIED_END, F_IMPLIED_END),
            (BREAKOUT, F_BREAKOUT),
            (scope, F_SCOPE),
            (FORMATTING, F_FORMATTING),
            (&["select"], F_SELECT),
            (PLAIN, 0),
            (START_RULES, F_START_RULES),
            (TEXT_ONLY, F_START_RULES),
            (TABLE_END, F_TABLE_END),
            (BLOCK_END, F_BLOCK_END | F_END_RULES),
            (OTHER_END_RULES, F_END_RULES),
            (
                &["table", "tbody", "thead", "tfoot", "tr", "colgroup"],
                F_TABLE_MODE,
            ),
            (
                &[
                    "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th",
                    "script", "style", "template", "input",
                ],
                F_TABLE_CONTENT,
            ),
        ] {
            for &name in list {
                // Every name has a key (a test checks it).
                if let Some(key) = tag_key(name.as_bytes()) {
                    m.entry(key).or_insert((name, 0)).1 |= flag;
                }
            }
        }
        m
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_tag_has_a_key_of_its_own() {
        let lists = [
            VOID,
            CONTAINERS,
            CLOSES_P,
            HEADINGS,
            TEXT_ONLY,
            IMPLIED_END,
            SPECIAL,
            BREAKOUT,
            TABLE_PARTS,
            TABLE_END,
            BLOCK_END,
            OTHER_END_RULES,
            START_RULES,
            FORMATTING,
            PLAIN,
        ];
        for name in lists.iter().flat_map(|l| l.iter()) {
            assert!(tag_key(name.as_bytes()).is_some(), "{name}");
            assert_eq!(tag(name).1, *name);
        }
        assert_eq!(tag_flags("td"), tag_flags("td") | F_TABLE_PART | F_SPECIAL);
        assert_eq!(tag_flags("x-a-custom-element-name"), 0);
        assert_eq!(tag_flags("tdx"), 0);
        // A NUL byte does not make a name read as a shorter one.
        assert_ne!(tag_key(b"\0td"), tag_key(b"td"));
        assert_eq!(tag_key(&[b'a'; 16]), None);
    }
}
