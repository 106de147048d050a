//! Doc text from the spec made safe for rustdoc: brackets and angle brackets are escaped outside
//! code spans (no accidental intra-doc links or HTML tags) and bare URLs become autolinks.

/// Splits prose into doc lines, sanitizing each. A code span may continue on the next line (as
/// in Markdown), so whether a line starts inside one is carried over.
///
/// Spec prose is never code: a fenced block is marked `text` (so it is not a doctest), and
/// leading indentation is dropped (four spaces would start an indented code block, also a doctest).
pub fn lines(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut in_fence = false;
    text.trim_end()
        .lines()
        .map(|l| {
            let l = l.trim();
            if let Some(rest) = l.strip_prefix("```") {
                let _language = rest;
                let fence = if in_fence { "```" } else { "```text" }.to_owned();
                in_fence = !in_fence;
                return fence;
            }
            if in_fence {
                return l.to_owned();
            }
            let (line, still) = sanitize_from(l, in_code);
            in_code = still;
            line
        })
        .collect()
}

/// Escapes one line of prose for rustdoc.
pub fn sanitize(line: &str) -> String {
    sanitize_from(line, false).0
}

/// Escapes a line that starts inside a code span when `in_code`; returns the line and whether
/// it ends inside one.
fn sanitize_from(line: &str, in_code: bool) -> (String, bool) {
    let mut out = String::with_capacity(line.len() + 8);
    let mut inside = in_code;
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
            inside = !inside;
        }
        if inside {
            out.push_str(part);
            continue;
        }
        let mut words = part.split(' ').peekable();
        while let Some(w) = words.next() {
            let at = url_start(w);
            let (lead, rest) = match at {
                Some(i) => (&w[..i], &w[i..]),
                None => (w, ""),
            };
            escape_into(&mut out, lead);
            if !rest.is_empty() {
                let url = rest.trim_end_matches(['.', ',', ';', ':', ')']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                escape_into(&mut out, &rest[url.len()..]);
            }
            if words.peek().is_some() {
                out.push(' ');
            }
        }
    }
    (out, inside)
}

/// Where the first `https://` or `http://` in `w` starts. Looks for an `h` first: a word rarely
/// has one, and building a substring searcher for every word of the spec's prose was 3% of a
/// large spec's generation.
fn url_start(w: &str) -> Option<usize> {
    w.match_indices('h').map(|(i, _)| i).find(|&i| w[i..].starts_with("https://") || w[i..].starts_with("http://"))
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '*' | '_' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::{lines, sanitize, url_start};

    #[test]
    fn urls_are_found_after_any_h() {
        for (w, at) in [
            ("https://a.example", Some(0)),
            ("(see:https://a.example).", Some(5)),
            ("shh-http://a.example", Some(4)),
            ("hhttps://a.example", Some(1)),
            ("http://a.example/?next=https://b.example", Some(0)),
            ("https:/a.example", None),
            ("hhhh", None),
            ("", None),
            ("éhttps://a.example", Some(2)),
        ] {
            assert_eq!(url_start(w), at, "{w}");
        }
        assert_eq!(
            sanitize("x http://a.example/?next=https://b.example."),
            "x <http://a.example/?next=https://b.example>."
        );
    }

    #[test]
    fn escapes_outside_code() {
        assert_eq!(sanitize("slice [8:24] of `a[0]`"), "slice \\[8:24\\] of `a[0]`");
        assert_eq!(sanitize("see https://x.y/z."), "see <https://x.y/z>.");
        assert_eq!(sanitize("Bearer <token>"), "Bearer \\<token\\>");
        assert_eq!(sanitize("API (https://a.b/c): x"), "API (<https://a.b/c>): x");
    }

    #[test]
    fn prose_is_never_a_doctest() {
        assert_eq!(
            lines("a\n```\nfn main() {}\n```\n    indented"),
            ["a", "```text", "fn main() {}", "```", "indented"]
        );
    }

    #[test]
    fn code_spans_continue_across_lines() {
        let text = "an envelope `{\"status\": 1,\n\"result\": [x]}`. Carries `Bearer <token>` and <b>.";
        assert_eq!(
            lines(text),
            ["an envelope `{\"status\": 1,", "\"result\": [x]}`. Carries `Bearer <token>` and \\<b\\>."]
        );
    }
}
