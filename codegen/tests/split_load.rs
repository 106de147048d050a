//! A big spec's endpoints are read on several threads (`load::load_split`). Whenever that read
//! succeeds, it must give exactly the spec a whole read gives; whenever it cannot be sure, it must
//! give up (and `load` then reads the whole text).

#[path = "../benches/synthetic.rs"]
mod synthetic;

#[path = "common/rng.rs"]
mod rng;

use rng::Rng;
use std::fs;
use std::path::Path;

use ottpay_codegen::spec::load::{load_split, split_endpoints};
use ottpay_codegen::spec::model::Spec;

fn real() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml")).unwrap_or_default()
}

/// The split read of `text` on `threads`, checked against the whole read: equal when it is
/// `Some`. Returns whether it was `Some`.
fn agrees(text: &str, threads: usize) -> bool {
    let Some(split) = load_split(text, threads) else { return false };
    match serde_yaml::from_str::<Spec>(text) {
        Ok(whole) => {
            assert!(format!("{split:?}") == format!("{whole:?}"), "split and whole reads differ on:\n{}", start(text))
        }
        Err(e) => panic!("the split read succeeded where the whole read fails ({e}) on:\n{}", start(text)),
    }
    true
}

/// The start of a text, for a failure message.
fn start(text: &str) -> &str {
    text.char_indices().nth(400).map_or(text, |(i, _)| &text[..i])
}

#[test]
fn the_real_and_synthetic_specs_load_the_same_split() -> Result<(), Box<dyn std::error::Error>> {
    let real = real();
    assert!(real.len() > 10_000);
    let split = split_endpoints(&real, 3).ok_or("the real spec does not split")?;
    let runs = split.runs;
    assert_eq!(runs.len(), 3, "three runs of items");
    assert!(split.head.starts_with("# ") && split.tail.starts_with("callbacks:"), "head and tail");
    assert!(runs.iter().all(|r| r.trim_start().starts_with("- id:")), "runs start at items");
    for threads in [2, 3, 4] {
        assert!(agrees(&real, threads), "the real spec is not read split on {threads} threads");
    }
    let big = synthetic::synthetic(&real, 400)?;
    assert!(big.len() > ottpay_codegen::spec::load::SPLIT_FROM, "the synthetic spec is below the split size");
    assert!(agrees(&big, 2));
    // `load` itself takes the split read for it, and gives the whole read's spec.
    let loaded = ottpay_codegen::spec::load::load("big.yaml", &big).map_err(ottpay_codegen::Diagnostics)?;
    assert_eq!(format!("{loaded:?}"), format!("{:?}", serde_yaml::from_str::<Spec>(&big)?));
    // CRLF line ends.
    assert!(agrees(&real.replace('\n', "\r\n"), 2));
    Ok(())
}

/// Texts the split cannot read alone: it gives up, or agrees with the whole read.
#[test]
fn awkward_lists_give_up_or_agree() {
    let real = real();
    let at = real.find("\nendpoints:\n").map_or(0, |i| i + 1);
    let (head, list) = real.split_at(at);
    let items: Vec<usize> = list.match_indices("\n  - id:").map(|(i, _)| i).collect();
    let second = items.get(1).copied().unwrap_or(0) + 1;
    let cases = [
        // an anchor in the first item, its alias in the last: the alias has no anchor in its run
        {
            let last = real.rfind("\n    group: ").unwrap_or(0);
            let end = real[last + 1..].find('\n').map_or(real.len(), |e| last + 1 + e);
            let aliased = format!("{}\n    group: *first{}", &real[..last], &real[end..]);
            aliased.replacen("\n    group: auth", "\n    group: &first auth", 1)
        },
        // the key twice
        format!("{real}\nendpoints: []\n"),
        // a flow sequence instead of a block one
        format!("{head}endpoints: [{}]\n", "{id: x}"),
        // a quoted string continued on a less indented line that looks like an item
        format!("{}\"split\n  - id: here\"{}", &real[..at + second], &real[at + second..]),
        // items at indentation 0
        format!("{head}endpoints:\n{}", list["endpoints:\n".len()..].replace("\n  ", "\n").trim_start()),
        // a comment and blank lines before the first item, a tab-indented line in the list
        real.replacen("endpoints:\n", "endpoints:   # the list\n\n  # first\n", 1),
        real.replacen("\n    group: auth", "\n\tgroup: auth", 1),
        // a document end marker after the list, and a second document
        format!("{real}...\n"),
        format!("{real}---\nx: 1\n"),
        // no endpoints at all
        head.to_owned(),
        // a flow mapping around the block list (invalid YAML as a whole: a block sequence inside a
        // flow collection), whose head and tail would be valid around `endpoints: []`
        "{api: {title: x},\nendpoints:\n  - id: a\n    group: g\n, errors: []}\n".to_owned(),
        format!("{{x: 1,\n{}\n}}\n", &real[at..]),
        // line breaks YAML knows and the split does not (CR alone, NEL, LS) before items and keys
        real.replace("\n  - id:", "\r  - id:"),
        real.replace("\n  - id:", "\u{85}  - id:"),
        real.replace("\ncallbacks:", "\u{2028}callbacks:"),
        // the same with a spec the rest reads: the other sections as one JSON (flow) mapping
        // opened before `endpoints:` and closed after the list
        flow_around_block_list(&real),
    ];
    for (i, text) in cases.iter().enumerate() {
        for threads in [2, 3] {
            let split = agrees(text, threads);
            if i == 0 {
                assert!(!split, "an alias across runs must make the split read give up");
            }
        }
    }
}

/// The real spec's sections but `endpoints` as a JSON mapping, with its block list inside it.
fn flow_around_block_list(real: &str) -> String {
    let Ok(serde_yaml::Value::Mapping(mut sections)) = serde_yaml::from_str::<serde_yaml::Value>(real) else {
        return String::new();
    };
    sections.remove("endpoints");
    let json = serde_json::to_string(&sections).unwrap_or_default();
    let start = real.find("\nendpoints:\n").map_or(0, |i| i + "\nendpoints:\n".len());
    let end = real.find("\ncallbacks:").map_or(real.len(), |i| i + 1);
    format!("{},\nendpoints:\n{}}}\n", json.trim_end_matches('}'), &real[start..end])
}

/// Random damage near the places a split cares about (line starts and indentation): whenever the
/// split read succeeds it agrees with the whole read.
#[test]
fn damaged_specs_never_load_differently_split() {
    const INSERT: &[&str] = &[
        " ",
        "  ",
        "\n",
        "\n  - ",
        "\n- ",
        "- ",
        "#",
        "\"",
        "'",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        ":",
        "|",
        ">",
        "\t",
        "endpoints:\n",
    ];
    let real = real();
    let lines: Vec<usize> = std::iter::once(0).chain(real.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut split, mut gave_up) = (0, 0);
    for _ in 0..300 {
        let mut text = real.clone();
        for _ in 0..=rng.below(2) {
            // at a line start, or a few characters into the line
            let at = (lines[rng.below(lines.len())] + rng.below(6)).min(text.len());
            if !text.is_char_boundary(at) {
                continue;
            }
            let insert = INSERT[rng.below(INSERT.len())];
            if rng.below(3) == 0 {
                let end = (at + 1..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
                text.replace_range(at..end, insert);
            } else {
                text.insert_str(at, insert);
            }
        }
        if agrees(&text, 2 + rng.below(3)) {
            split += 1;
        } else {
            gave_up += 1;
        }
    }
    assert!(split >= 10 && gave_up >= 10, "{split} read split, {gave_up} gave up: the damage should cover both");
}
