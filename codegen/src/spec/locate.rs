//! Maps YAML paths (`endpoints[2].request[0].name`) to line:column, from yaml-rust2's marked
//! events, so that diagnostics point at the node they are about.
//!
//! serde_yaml (libyaml) is the loader and yaml-rust2 only the locator, so the two must agree on
//! every text the loader accepts. They nearly do; where they do not, nothing is lost:
//! - a leading BOM is stripped (the loader strips it too, see [`super::load::strip_bom`]);
//! - the line yaml-rust2 stops at is repaired and the text indexed again, a bounded number of
//!   times: its tabs read as spaces (libyaml accepts one at the start of a flow collection's
//!   continuation line, or after a `:`), or it is indented further, its columns shifted back
//!   (libyaml does not require a flow continuation line to be indented);
//! - whatever was indexed before yaml-rust2 stopped is kept, and a node after that point is found
//!   by its keys in the text, from its nearest located ancestor;
//! - as a last resort a text with lines gives 1:1, never no position.
//!
//! The index is built on first use: a spec without problems is never read by yaml-rust2.

use std::cell::OnceCell;
use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::Pos;

/// How many times a text is repaired and indexed again before the index is kept as it is.
const MAX_REPAIRS: usize = 32;

/// Positions of the nodes of a YAML document, by path. Creating one costs nothing: the text is
/// indexed when a position is first asked for (only a diagnostic does), then kept.
#[derive(Debug)]
pub struct Locator<'t> {
    text: &'t str,
    index: OnceCell<Index>,
}

impl<'t> Locator<'t> {
    /// A locator of `text`, not yet indexed (see the module docs for texts yaml-rust2 refuses).
    pub fn new(text: &'t str) -> Self {
        Locator { text, index: OnceCell::new() }
    }

    /// Whether the text has been indexed (a position was asked for).
    pub fn is_indexed(&self) -> bool {
        self.index.get().is_some()
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(self.text))
    }

    /// Whether yaml-rust2 indexed the whole text (possibly after repairs); when false, positions
    /// after the point where it stopped come from the text fallback.
    pub fn is_complete(&self) -> bool {
        self.index().complete
    }

    /// Whether `path` itself (not an ancestor) was indexed.
    pub fn has(&self, path: &str) -> bool {
        self.index().nodes.contains_key(path)
    }

    /// Where the node at `path` starts, or its nearest located ancestor; 1:1 when nothing else
    /// is known about a text that has lines.
    pub fn find(&self, path: &str) -> Option<Pos> {
        self.index().find(path)
    }

    /// Where the key of the node at `path` stands (its first occurrence), else as [`Self::find`].
    pub fn find_key(&self, path: &str) -> Option<Pos> {
        self.index().find_key(path)
    }

    /// Where the key of `path` stands the second time (a repeated key), else as [`Self::find_key`].
    pub fn find_repeat(&self, path: &str) -> Option<Pos> {
        self.index().find_repeat(path)
    }
}

/// Positions of every node of a YAML document, by path.
#[derive(Debug, Default)]
struct Index {
    /// Where each node's value starts (its first occurrence).
    nodes: HashMap<String, Pos>,
    /// Where each mapping key stands, every occurrence in order.
    keys: HashMap<String, Vec<Pos>>,
    /// The indexed text's lines, for the text fallback; empty when yaml-rust2 read it all.
    lines: Vec<String>,
    /// Whether yaml-rust2 read the whole text.
    complete: bool,
    /// Whether the text has at least one line.
    has_lines: bool,
}

impl Index {
    /// Indexes `text`.
    fn new(text: &str) -> Self {
        let text = super::load::strip_bom(text);
        let mut work = text.to_owned();
        let mut walker = Walker::default();
        let mut complete = false;
        let mut shifts = HashMap::new();
        for _ in 0..=MAX_REPAIRS {
            walker = Walker::default();
            let mut parser = Parser::new_from_str(&work);
            match parser.load(&mut walker, false) {
                Ok(()) => {
                    complete = true;
                    break;
                }
                Err(e) => match repair(&work, (e.marker().line(), e.marker().col()), e.info(), &mut shifts) {
                    Some(fixed) => work = fixed,
                    None => break,
                },
            }
        }
        let unshift = |p: &mut Pos| {
            if let Some(n) = shifts.get(&p.line) {
                p.col = p.col.saturating_sub(*n).max(1);
            }
        };
        walker.nodes.values_mut().for_each(unshift);
        walker.keys.values_mut().flatten().for_each(unshift);
        Index {
            nodes: walker.nodes,
            keys: walker.keys,
            lines: if complete { Vec::new() } else { text.split('\n').map(str::to_owned).collect() },
            complete,
            has_lines: !text.is_empty(),
        }
    }

    fn find(&self, path: &str) -> Option<Pos> {
        if let Some(pos) = self.nodes.get(path) {
            return Some(*pos);
        }
        let (ancestor, pos) = self.ancestor(path);
        if !self.complete
            && let Some(p) = self.search(pos, &path[ancestor.len()..])
        {
            return Some(p);
        }
        pos.or(self.has_lines.then_some(Pos { line: 1, col: 1 }))
    }

    fn find_key(&self, path: &str) -> Option<Pos> {
        self.keys.get(path).and_then(|k| k.first().copied()).or_else(|| self.find(path))
    }

    fn find_repeat(&self, path: &str) -> Option<Pos> {
        self.keys.get(path).and_then(|k| k.get(1).copied()).or_else(|| self.find_key(path))
    }

    /// The nearest indexed ancestor of `path`: its path and position.
    fn ancestor<'p>(&self, path: &'p str) -> (&'p str, Option<Pos>) {
        let mut p = path;
        loop {
            if let Some(pos) = self.nodes.get(p) {
                return (p, Some(*pos));
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p = &p[..cut],
                None => return ("", self.nodes.get("").copied()),
            }
        }
    }

    /// Finds the keys of `rest` (`.a[2].b`) in the text, in order, from `from`; the position of
    /// the last key found. Sequence indexes are not counted (the key search moves past them).
    fn search(&self, from: Option<Pos>, rest: &str) -> Option<Pos> {
        let (mut line, mut col) = from.map_or((0, 0), |p| (p.line.saturating_sub(1), p.col.saturating_sub(1)));
        let mut found = None;
        for seg in rest.split(['.', '[']).filter(|s| !s.is_empty() && !s.ends_with(']')) {
            let (l, c) = self.key_after(seg, line, col)?;
            found = Some(Pos { line: l + 1, col: c + 1 });
            (line, col) = (l, c + 1);
        }
        found
    }

    /// The first place at or after line `line`, column `col` (0-based, in characters) where `key`
    /// stands as a mapping key: after indentation, `- `, `{`, `,` or `?`, optionally quoted, then
    /// `:`.
    fn key_after(&self, key: &str, line: usize, col: usize) -> Option<(usize, usize)> {
        for (l, text) in self.lines.iter().enumerate().skip(line) {
            let chars: Vec<char> = text.chars().collect();
            let start = if l == line { col } else { 0 };
            for c in start..chars.len() {
                let before = chars[..c].iter().rev().find(|ch| !ch.is_whitespace());
                if !matches!(before, None | Some('-' | '{' | ',' | '?')) {
                    continue;
                }
                let mut i = c;
                let quote = matches!(chars[i], '"' | '\'').then(|| chars[i]);
                if quote.is_some() {
                    i += 1;
                }
                let k: Vec<char> = key.chars().collect();
                if chars.get(i..i + k.len()) != Some(&k[..]) {
                    continue;
                }
                i += k.len();
                if let Some(q) = quote {
                    if chars.get(i) != Some(&q) {
                        continue;
                    }
                    i += 1;
                }
                while chars.get(i).is_some_and(|ch| *ch == ' ' || *ch == '\t') {
                    i += 1;
                }
                if chars.get(i) == Some(&':') {
                    return Some((l, c));
                }
            }
        }
        None
    }
}

/// One repair of the text at `(line, col)` (line 1-based, column 0-based in characters), where
/// yaml-rust2 stopped, columns unchanged or the shift recorded in `shifts`:
/// - a `#` right after a token (`,`, `[`, `{`, a quoted scalar) gets a space before it: libyaml
///   reads it as a comment, yaml-rust2 wants it separated by whitespace. The rest of the line is
///   the comment, so nothing located moves;
/// - else the line's tabs read as spaces (libyaml accepts a tab at the start of a flow collection's
///   continuation line, or after a `:`);
/// - else, for an indentation error, the line indented past the previous line (libyaml does not
///   require a flow collection's continuation line to be indented).
///
/// `None` when there is nothing left to repair.
fn repair(
    text: &str,
    (line, col): (usize, usize),
    message: &str,
    shifts: &mut HashMap<usize, usize>,
) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut line = line;
    if message.contains("quoted scalar") {
        // yaml-rust2 marks the scalar's start; the line at fault is its first continuation line
        // that is not indented past it.
        let start = indent(lines.get(line.checked_sub(1)?)?);
        line += lines.iter().skip(line).position(|l| !l.trim().is_empty() && indent(l) <= start)? + 1;
    }
    let l = *lines.get(line.checked_sub(1)?)?;
    let fixed = if message.contains("comments must be separated") {
        let at = l.char_indices().nth(col).filter(|(_, c)| *c == '#')?.0;
        format!("{} {}", &l[..at], &l[at..])
    } else if l.contains('\t') {
        l.replace('\t', " ")
    } else if message.contains("indentation") && !shifts.contains_key(&line) {
        let prev = lines[..line - 1].iter().rev().find(|p| !p.trim().is_empty())?;
        let pad = indent(prev) + 2;
        shifts.insert(line, pad);
        format!("{}{l}", " ".repeat(pad))
    } else {
        return None;
    };
    let mut out = String::with_capacity(text.len() + fixed.len());
    for (i, l) in lines.iter().enumerate() {
        out.push_str(if i + 1 == line { &fixed } else { l });
    }
    Some(out)
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    nodes: HashMap<String, Pos>,
    keys: HashMap<String, Vec<Pos>>,
}

impl Walker {
    /// The path of the node that starts now, advancing the parent's state. `None` when the event
    /// is a mapping key (recorded as the pending key instead, with its position).
    fn next_path(&mut self, scalar: Option<&str>, pos: Pos) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(k),
                None => {
                    // yaml-rust2 marks a block mapping where its first key's `:` is; the key
                    // itself is where the mapping starts.
                    if let Some(start) = self.nodes.get_mut(path.as_str())
                        && (pos.line, pos.col) < (start.line, start.col)
                    {
                        *start = pos;
                    }
                    let k = scalar.unwrap_or("?");
                    let full = if path.is_empty() { k.to_owned() } else { format!("{path}.{k}") };
                    self.keys.entry(full.clone()).or_default().push(pos);
                    *key = Some(full);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos { line: mark.line(), col: mark.col() + 1 };
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.next_path(Some(&value), pos) {
                    self.nodes.entry(p).or_insert(pos);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(Some("?"), pos) {
                    self.nodes.entry(p).or_insert(pos);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = self.next_path(None, pos).unwrap_or_default();
                self.nodes.entry(path.clone()).or_insert(pos);
                if matches!(ev, Event::MappingStart(..)) {
                    self.stack.push(Frame::Map { path, key: None });
                } else {
                    self.stack.push(Frame::Seq { path, next: 0 });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_nodes() {
        let text = "a:\n  b:\n    - {x: 1, y: 2}\n    - z: 3\n";
        let l = Locator::new(text);
        assert!(!l.is_indexed(), "indexed before a position was asked for");
        assert_eq!(l.find("a.b[0].y"), Some(Pos { line: 3, col: 17 }));
        assert_eq!(l.find("a.b[1].z"), Some(Pos { line: 4, col: 10 }));
        assert_eq!(l.find_key("a.b[1].z"), Some(Pos { line: 4, col: 7 }));
        // Unknown child: nearest ancestor.
        assert_eq!(l.find("a.b[1].nope"), l.find("a.b[1]"));
    }

    #[test]
    fn a_bom_is_not_a_column() {
        let l = Locator::new("\u{feff}a: 1\nb: 2\n");
        assert!(l.is_complete());
        assert_eq!(l.find("a"), Some(Pos { line: 1, col: 4 }));
        assert_eq!(l.find("b"), Some(Pos { line: 2, col: 4 }));
    }

    #[test]
    fn repeated_keys_are_located_twice() {
        let l = Locator::new("a: 1\nb: 2\na: 3\n");
        assert_eq!(l.find_key("a"), Some(Pos { line: 1, col: 1 }));
        assert_eq!(l.find_repeat("a"), Some(Pos { line: 3, col: 1 }));
    }

    #[test]
    fn tabs_libyaml_accepts_are_read_as_spaces() {
        for text in
            ["x:\n  - {p: 1,\n\tq: 2}\n", "x:\n  - {p: 1,\n q: 2}\n", "x:\n  - {p: 1,\n\t\tq: 2}\n", "x:\t{q: 2}\n"]
        {
            let l = Locator::new(text);
            assert!(l.is_complete(), "{text:?}");
            assert!(l.has("x") && l.index().keys.contains_key("x") && l.find_key("x") == Some(Pos { line: 1, col: 1 }));
        }
        let l = Locator::new("x:\n  - {p: 1,\n\tq: 2}\n");
        assert_eq!(l.find("x[0].q"), Some(Pos { line: 3, col: 5 }));
        assert_eq!(l.find_key("x[0].q"), Some(Pos { line: 3, col: 2 }));
        let l = Locator::new("x:\n  - {p: 1,\n q: 2}\n");
        assert_eq!(l.find_key("x[0].q"), Some(Pos { line: 3, col: 2 }));
    }

    /// libyaml reads a `#` right after a flow indicator or a quoted scalar as a comment, where
    /// yaml-rust2 wants whitespace first: such texts are indexed whole, positions unmoved.
    #[test]
    fn comments_right_after_a_token_are_comments() {
        for (text, second) in [
            ("a: {x: 1,# c: 3\n   y: 2}\n", "a.y"),
            ("a: [1,# c\n  2]\n", "a[1]"),
            ("a: {#c\n  y: 2}\n", "a.y"),
            ("a: [#c\n  2]\n", "a[0]"),
            ("a: {x: 'q'#c\n   , y: 2}\n", "a.y"),
            ("a: {x: \"q\"#c\n   , y: 2}\n", "a.y"),
            ("a: {x: 1,#c,#d\n   y: 2}\n", "a.y"),
        ] {
            assert!(serde_yaml::from_str::<serde_yaml::Value>(text).is_ok(), "libyaml refuses {text:?}");
            let l = Locator::new(text);
            assert!(l.is_complete(), "{text:?}");
            assert!(l.has(second), "{text:?}: {second} not indexed");
            assert_eq!(l.find(second).map(|p| p.line), Some(2), "{text:?}");
            assert_eq!(l.find("a"), Some(Pos { line: 1, col: 4 }), "{text:?}");
        }
        // Twice on one line and on several lines: each is repaired.
        let l = Locator::new("a: {x: 1,#c\n   y: [2,#d\n   3]}\nb: 4\n");
        assert!(l.is_complete());
        assert_eq!(l.find("a.y[1]"), Some(Pos { line: 3, col: 4 }));
        assert_eq!(l.find("b"), Some(Pos { line: 4, col: 4 }));
    }

    #[test]
    fn text_yaml_rust2_stops_at_is_searched() {
        // A text yaml-rust2 refuses from line 2 on (`@` cannot start a plain scalar).
        let l = Locator::new("a: 1\nb: @x\nc:\n  d: 2\n");
        assert!(!l.is_complete());
        assert_eq!(l.find("a"), Some(Pos { line: 1, col: 4 }));
        assert_eq!(l.find("c.d"), Some(Pos { line: 4, col: 3 }));
        assert_eq!(Locator::new("@").find("x"), Some(Pos { line: 1, col: 1 }));
    }
}
