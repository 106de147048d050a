//! Constraints as data: each yields its runtime check (emitted), its check of vendor examples
//! (at generation time, with the runtime's own [`Rule`], so there is one implementation of each
//! rule) and its boundary test cases (emitted as tests), from one table.

use ottpay_runtime::Rule;
use serde_json::Value;

use crate::spec::model::{Charset, Field, FieldType, Format};

/// One machine-readable rule of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// Absolute http(s) URL.
    Url,
    /// ISO 3166-1 alpha-2 code.
    Country,
    /// MMYY.
    Mmyy,
    /// Luhn-valid card number.
    CardNumber,
    /// 3 or 4 digits.
    Cvv,
    /// Email address.
    Email,
    /// At most N characters.
    MaxChars(usize),
    /// At least N characters.
    MinChars(usize),
    /// Exactly N characters.
    ExactChars(usize),
    /// At least N cents.
    MinCents(u64),
    /// At most N cents.
    MaxCents(u64),
    /// No control characters (every request string unless the spec allows them).
    NoControl,
    /// Only the characters of a set.
    Charset(Charset),
}

impl Constraint {
    /// The constraints a field carries, formats first.
    pub fn of(f: &Field) -> Vec<Constraint> {
        let mut out = Vec::new();
        match f.format {
            Some(Format::Url) => out.push(Constraint::Url),
            Some(Format::Country) => out.push(Constraint::Country),
            Some(Format::Mmyy) => out.push(Constraint::Mmyy),
            Some(Format::CardNumber) => out.push(Constraint::CardNumber),
            Some(Format::Cvv) => out.push(Constraint::Cvv),
            Some(Format::Email) => out.push(Constraint::Email),
            Some(Format::Cents | Format::TimestampMs) | None => {}
        }
        out.extend(f.max_length.map(Constraint::MaxChars));
        out.extend(f.min_length.map(Constraint::MinChars));
        out.extend(f.length.map(Constraint::ExactChars));
        out.extend(f.min_cents.map(Constraint::MinCents));
        out.extend(f.max_cents.map(Constraint::MaxCents));
        out.extend(f.charset.map(Constraint::Charset));
        // Formats (and character sets) whose rule already excludes control characters need no
        // second check.
        let text = f.ty == FieldType::String
            && f.enum_name.is_none()
            && f.charset.is_none()
            && matches!(f.format, None | Some(Format::Email) | Some(Format::TimestampMs));
        if text && !f.allow_control {
            out.push(Constraint::NoControl);
        }
        out
    }

    /// The runtime rule that checks it.
    pub fn to_rule(self) -> Rule {
        match self {
            Constraint::Url => Rule::Url,
            Constraint::Country => Rule::Country,
            Constraint::Mmyy => Rule::Mmyy,
            Constraint::CardNumber => Rule::CardNumber,
            Constraint::Cvv => Rule::Cvv,
            Constraint::Email => Rule::Email,
            Constraint::MaxChars(n) => Rule::MaxChars(n),
            Constraint::MinChars(n) => Rule::MinChars(n),
            Constraint::ExactChars(n) => Rule::ExactChars(n),
            Constraint::MinCents(n) => Rule::MinCents(n),
            Constraint::MaxCents(n) => Rule::MaxCents(n),
            Constraint::NoControl => Rule::NoControl,
            Constraint::Charset(c) => Rule::Charset(c.runtime()),
        }
    }

    /// The rule name, equal to the runtime's `Rule::name()` of the violation it produces.
    pub fn rule(self) -> &'static str {
        self.to_rule().name()
    }

    /// How it reads in docs and diagnostics.
    pub fn describe(self) -> String {
        match self {
            Constraint::Url => "an absolute http(s) URL".to_owned(),
            Constraint::Country => "an ISO 3166-1 alpha-2 country code".to_owned(),
            Constraint::Mmyy => "a card expiry as MMYY".to_owned(),
            Constraint::CardNumber => "a Luhn-valid card number of 12 to 19 digits".to_owned(),
            Constraint::Cvv => "3 or 4 digits".to_owned(),
            Constraint::Email => "an email address".to_owned(),
            Constraint::MaxChars(n) => format!("at most {n} characters"),
            Constraint::MinChars(n) => format!("at least {n} characters"),
            Constraint::ExactChars(n) => format!("exactly {n} characters"),
            Constraint::MinCents(n) => format!("at least {n} cent{}", if n == 1 { "" } else { "s" }),
            Constraint::MaxCents(n) => format!("at most {n} cent{}", if n == 1 { "" } else { "s" }),
            Constraint::NoControl => "free of control characters".to_owned(),
            Constraint::Charset(c) => format!("made only of {}", c.runtime().describe()),
        }
    }

    /// Checks an example value with the runtime's rule; `None` when it holds (or the value is not
    /// of the kind the rule checks), else what was found.
    pub fn violation(self, v: &Value) -> Option<String> {
        let rule = self.to_rule();
        if let Constraint::MinCents(_) | Constraint::MaxCents(_) = self {
            let cents = match v {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            }?;
            return (!rule.holds_for_cents(cents)).then(|| format!("{cents} cents"));
        }
        let s = v.as_str()?;
        (!rule.holds_for_text(s))
            .then(|| if rule.is_length() { format!("{} characters", s.chars().count()) } else { format!("{s:?}") })
    }

    /// Boundary cases for a field carrying all of `all` (so each value satisfies the others):
    /// values that must pass and values that must break this constraint.
    pub fn boundary(self, all: &[Constraint], ty: FieldType) -> (Vec<Value>, Vec<Value>) {
        let text = |n: usize| Value::String(filler(all, n));
        match self {
            Constraint::MaxChars(n) => (vec![text(n)], vec![text(n + 1)]),
            Constraint::MinChars(n) => (vec![text(n)], n.checked_sub(1).map(text).into_iter().collect()),
            Constraint::ExactChars(n) => {
                (vec![text(n)], [Some(n + 1), n.checked_sub(1)].into_iter().flatten().map(text).collect())
            }
            Constraint::MinCents(m) => {
                (vec![cents(m, ty)], m.checked_sub(1).map(|c| cents(c, ty)).into_iter().collect())
            }
            // Past `Cents::MAX` deserialization itself refuses the amount (tested in the runtime).
            Constraint::MaxCents(m) => (
                vec![cents(m, ty)],
                m.checked_add(1)
                    .filter(|c| *c <= ottpay_runtime::Cents::MAX.get())
                    .map(|c| cents(c, ty))
                    .into_iter()
                    .collect(),
            ),
            Constraint::NoControl => {
                let ok = valid_text(all);
                (
                    vec![Value::String(ok.clone())],
                    vec![Value::String(format!("{ok}\u{0}")), Value::String(format!("{ok}\n"))],
                )
            }
            Constraint::Url => (
                vec!["https://shop.example/cb".into(), "http://127.0.0.1:8080/x?y=1".into()],
                vec![
                    "shop.example/cb".into(),
                    "ftp://shop.example/".into(),
                    "https:shop.example/cb".into(),
                    " https://shop.example/cb".into(),
                    "https://shop.example/call back".into(),
                    "https://shop.example/cb\r\nX-Injected: 1".into(),
                ],
            ),
            Constraint::Country => (vec!["CA".into(), "US".into()], vec!["ca".into(), "ZZ".into()]),
            Constraint::Mmyy => (vec!["0130".into(), "1299".into()], vec!["1330".into(), "0030".into(), "12/9".into()]),
            Constraint::CardNumber => {
                (vec!["4111111111111111".into()], vec!["4111111111111112".into(), "4111-1111-1111".into()])
            }
            Constraint::Cvv => (vec!["123".into(), "1234".into()], vec!["12".into(), "12a".into()]),
            Constraint::Email => {
                (vec!["payer@shop.example".into()], vec!["payer.shop.example".into(), "pa yer@shop.example".into()])
            }
            Constraint::Charset(_) => {
                // Candidates, kept only where every other constraint of the field holds, so a
                // failure is this rule's.
                let others = |v: &str| all.iter().filter(|c| **c != self).all(|c| c.to_rule().holds_for_text(v));
                let pick = |values: &[&str]| -> Vec<Value> {
                    values.iter().filter(|v| others(v)).map(|v| Value::String((*v).to_owned())).collect()
                };
                let mut ok = vec![Value::String(valid_text(all))];
                ok.extend(pick(&["aZ09_-", "ON00000097-1764712345_x7Qk"]));
                (ok, pick(&["ab cd", "ab.cd", "ab/cd", "abé", "ab+cd"]))
            }
        }
    }
}

/// An amount in the field's wire form.
fn cents(c: u64, ty: FieldType) -> Value {
    if ty == FieldType::Number { Value::from(c) } else { Value::String(c.to_string()) }
}

/// A value of exactly `n` characters that satisfies the format constraints in `all`. Plain text
/// uses a two-byte character, so a check that counts bytes instead of characters fails the test.
pub fn filler(all: &[Constraint], n: usize) -> String {
    let (prefix, suffix, pad) = if all.contains(&Constraint::Url) {
        ("https://shop.example/", "", 'a')
    } else if all.contains(&Constraint::Email) {
        ("", "@shop.example", 'a')
    } else if all.contains(&Constraint::Country) {
        ("CA", "", 'A')
    } else if all.iter().any(|c| matches!(c, Constraint::Cvv | Constraint::CardNumber | Constraint::Mmyy)) {
        ("", "", '1')
    } else if all.iter().any(|c| matches!(c, Constraint::Charset(_))) {
        ("", "", 'a')
    } else {
        ("", "", 'é')
    };
    let fixed = prefix.chars().count() + suffix.chars().count();
    let mut s = String::from(prefix);
    if n >= fixed {
        s.extend(std::iter::repeat_n(pad, n - fixed));
        s.push_str(suffix);
        s
    } else {
        std::iter::repeat_n(pad, n).collect()
    }
}

/// A value that satisfies every constraint in `all` (for building valid requests).
pub fn valid_text(all: &[Constraint]) -> String {
    for c in all {
        let v = match c {
            Constraint::Url => "https://shop.example/ottpay",
            Constraint::Country => "CA",
            Constraint::Mmyy => "1230",
            Constraint::CardNumber => "4111111111111111",
            Constraint::Cvv => "737",
            Constraint::Email => "payer@shop.example",
            _ => continue,
        };
        return v.to_owned();
    }
    let min = all.iter().find_map(|c| match c {
        Constraint::MinChars(n) | Constraint::ExactChars(n) => Some(*n),
        _ => None,
    });
    let max = all.iter().find_map(|c| match c {
        Constraint::MaxChars(n) => Some(*n),
        _ => None,
    });
    filler(all, min.unwrap_or(4).max(1).min(max.unwrap_or(usize::MAX)))
}
