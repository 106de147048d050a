//! Doc text from the spec made safe for rustdoc: brackets and angle brackets are escaped outside
//! code spans (no accidental intra-doc links or HTML tags) and bare URLs become autolinks.

/// Splits prose into doc lines, sanitizing each.
pub fn lines(text: &str) -> Vec<String> {
    text.trim_end().lines().map(|l| sanitize(l.trim_end())).collect()
}

/// Escapes one line of prose for rustdoc.
pub fn sanitize(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut words = part.split(' ').peekable();
        while let Some(w) = words.next() {
            let at = w.find("https://").or_else(|| w.find("http://"));
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
    out
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
    use super::sanitize;

    #[test]
    fn escapes_outside_code() {
        assert_eq!(sanitize("slice [8:24] of `a[0]`"), "slice \\[8:24\\] of `a[0]`");
        assert_eq!(sanitize("see https://x.y/z."), "see <https://x.y/z>.");
        assert_eq!(sanitize("Bearer <token>"), "Bearer \\<token\\>");
        assert_eq!(sanitize("API (https://a.b/c): x"), "API (<https://a.b/c>): x");
    }
}
