//! Maps YAML paths (`endpoints[2].request[0].name`) to line:column, from yaml-rust2's marked
//! events, so that semantic diagnostics point at the node they are about.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::Pos;

/// Positions of every node of a YAML document, by path.
#[derive(Debug, Default)]
pub struct Locator {
    nodes: HashMap<String, Pos>,
}

impl Locator {
    /// Indexes `text`. A document yaml-rust2 cannot parse gives an empty index (serde_yaml reports
    /// the syntax error itself).
    pub fn new(text: &str) -> Self {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut walker, false).is_err() {
            return Locator::default();
        }
        Locator { nodes: walker.nodes }
    }

    /// Where the node at `path` starts, or its nearest located ancestor.
    pub fn find(&self, path: &str) -> Option<Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = self.nodes.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    nodes: HashMap<String, Pos>,
}

impl Walker {
    /// The path of the node that starts now, advancing the parent's state. `None` when the event
    /// is a mapping key (recorded as the pending key instead).
    fn next_path(&mut self, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(if path.is_empty() { k } else { format!("{path}.{k}") }),
                None => {
                    *key = Some(scalar.unwrap_or("?").to_owned());
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
                if let Some(p) = self.next_path(Some(&value)) {
                    self.nodes.entry(p).or_insert(pos);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(Some("?")) {
                    self.nodes.entry(p).or_insert(pos);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = self.next_path(None).unwrap_or_default();
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
        assert_eq!(l.find("a.b[0].y"), Some(Pos { line: 3, col: 17 }));
        assert_eq!(l.find("a.b[1].z"), Some(Pos { line: 4, col: 10 }));
        // Unknown child: nearest ancestor.
        assert_eq!(l.find("a.b[1].nope"), l.find("a.b[1]"));
    }
}
