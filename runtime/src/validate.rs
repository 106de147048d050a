//! Request validation: every violation of a request, found in one pass.
//!
//! Generated `Validate` impls are one line per constrained field; the rules themselves live here,
//! once. A [`Violation`] names the field by JSON pointer (`/callbackURL`), the rule and its limit,
//! and what was found, without ever quoting the value of a sensitive field.
//!
//! Validating a valid request allocates nothing: where a field sits is a [`Pointer`], a chain of
//! borrowed segments on the stack, written out as text only when a violation is recorded, and
//! every rule reads the text in place.

use std::fmt::{self, Write as _};

use super::money::Cents;

/// A request type that can check itself against the constraints of the spec.
pub trait Validate {
    /// Adds every violation of `self` to `v`; `at` is where `self` sits ([`Pointer::ROOT`] for a
    /// whole request, `&at.member("name")` for a nested object).
    fn validate_into(&self, at: &Pointer<'_>, v: &mut Validator);

    /// Checks every constraint and returns all violations at once. Allocates only to report
    /// violations: nothing when the request is valid.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut v = Validator::default();
        self.validate_into(&Pointer::ROOT, &mut v);
        v.finish()
    }
}

/// Where a value sits in a request body: a JSON pointer kept as a chain of borrowed segments, each
/// on the stack of the `validate_into` call that descended into it. It is spelled out (RFC 6901,
/// with the wire names) only when a violation is recorded, so descending allocates nothing.
///
/// ```
/// use ottpay_runtime::validate::Pointer;
///
/// let card = Pointer::ROOT.member("purchase3DSAddition");
/// let item = card.member("items");
/// assert_eq!(item.index(2).to_string(), "/purchase3DSAddition/items/2");
/// assert_eq!(Pointer::ROOT.member("a/b~c").to_string(), "/a~1b~0c");
/// assert_eq!(Pointer::ROOT.to_string(), "");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Pointer<'a>(Segment<'a>);

#[derive(Clone, Copy, Debug)]
enum Segment<'a> {
    Root,
    Member(&'a Pointer<'a>, &'a str),
    Index(&'a Pointer<'a>, usize),
}

impl Pointer<'static> {
    /// The whole request (the empty JSON pointer).
    pub const ROOT: Pointer<'static> = Pointer(Segment::Root);
}

impl<'a> Pointer<'a> {
    /// The member `name` (its wire name) of the object at `self`.
    pub fn member(&'a self, name: &'a str) -> Pointer<'a> {
        Pointer(Segment::Member(self, name))
    }

    /// The element `index` of the array at `self`.
    pub fn index(&'a self, index: usize) -> Pointer<'a> {
        Pointer(Segment::Index(self, index))
    }

    /// The JSON pointer of member `name` under `self`, as text.
    pub fn to_member(&self, name: &str) -> String {
        let mut p = self.to_string();
        p.push('/');
        push_escaped(&mut p, name);
        p
    }
}

impl fmt::Display for Pointer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Segment::Root => Ok(()),
            Segment::Member(parent, name) => {
                write!(f, "{parent}/")?;
                for c in name.chars() {
                    match c {
                        '~' => f.write_str("~0")?,
                        '/' => f.write_str("~1")?,
                        c => f.write_char(c)?,
                    }
                }
                Ok(())
            }
            Segment::Index(parent, index) => write!(f, "{parent}/{index}"),
        }
    }
}

/// A constraint a field must satisfy, with its limit.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// At most this many characters (Unicode scalar values, not bytes).
    MaxChars(usize),
    /// At least this many characters.
    MinChars(usize),
    /// Exactly this many characters.
    ExactChars(usize),
    /// At least this many cents.
    MinCents(u64),
    /// At most this many cents.
    MaxCents(u64),
    /// An absolute `http` or `https` URL written as `scheme://host...`, with no whitespace, no
    /// control character and no backslash anywhere: what passes means exactly what is sent.
    Url,
    /// No control characters (U+0000 to U+001F, U+007F to U+009F): applied to every request
    /// string unless the spec says otherwise.
    NoControl,
    /// An ISO 3166-1 alpha-2 country code in upper case (`CA`, `US`).
    Country,
    /// A card expiry as `MMYY`, month `01` to `12`.
    Mmyy,
    /// A card number: 12 to 19 digits passing the Luhn check.
    CardNumber,
    /// A card verification value: 3 or 4 digits.
    Cvv,
    /// An email address (`local@domain.tld`, no spaces, at most 254 characters).
    Email,
    /// Only the characters of a [`Charset`].
    Charset(Charset),
}

/// A closed set of allowed characters, for [`Rule::Charset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Charset {
    /// ASCII letters and digits, `_` and `-` (`[0-9A-Za-z_-]`): OTT Pay's rule for the KOUNT
    /// `sessionId`.
    AlnumDashUnderscore,
}

impl Charset {
    /// The name of the set in the spec (`charset: alnum_dash_underscore`).
    pub fn name(self) -> &'static str {
        match self {
            Charset::AlnumDashUnderscore => "alnum_dash_underscore",
        }
    }

    /// Whether every character of `value` is in the set (the empty string is). Allocates nothing.
    pub fn holds_for(self, value: &str) -> bool {
        match self {
            Charset::AlnumDashUnderscore => value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
        }
    }

    /// The set as a rule text reads it.
    pub fn describe(self) -> &'static str {
        match self {
            Charset::AlnumDashUnderscore => "0-9, A-Z, a-z, '_' and '-'",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::MaxChars(n) => write!(f, "must be at most {n} characters"),
            Rule::MinChars(n) => write!(f, "must be at least {n} characters"),
            Rule::ExactChars(n) => write!(f, "must be exactly {n} characters"),
            Rule::MinCents(n) => write!(f, "must be at least {n} cent{}", if *n == 1 { "" } else { "s" }),
            Rule::MaxCents(n) => write!(f, "must be at most {n} cent{}", if *n == 1 { "" } else { "s" }),
            Rule::Url => {
                f.write_str("must be an absolute http(s) URL (scheme://host, no whitespace or control characters)")
            }
            Rule::NoControl => f.write_str("must not contain control characters"),
            Rule::Country => f.write_str("must be an ISO 3166-1 alpha-2 country code such as CA"),
            Rule::Mmyy => f.write_str("must be a card expiry as MMYY"),
            Rule::CardNumber => f.write_str("must be a card number of 12 to 19 digits passing the Luhn check"),
            Rule::Cvv => f.write_str("must be 3 or 4 digits"),
            Rule::Email => f.write_str("must be an email address"),
            Rule::Charset(c) => write!(f, "must contain only {}", c.describe()),
        }
    }
}

impl Rule {
    /// Whether a text value satisfies the rule. Length rules count characters (Unicode scalar
    /// values); [`Rule::MinCents`] reads the text as a count of cents.
    ///
    /// This is the one implementation of every rule: generated `Validate` impls reach it through
    /// [`Validator`], and the generator checks the spec's vendor examples with it.
    pub fn holds_for_text(&self, value: &str) -> bool {
        match *self {
            Rule::MaxChars(n) => value.chars().count() <= n,
            Rule::MinChars(n) => value.chars().count() >= n,
            Rule::ExactChars(n) => value.chars().count() == n,
            Rule::MinCents(min) => value.parse::<u64>().is_ok_and(|c| c >= min),
            Rule::MaxCents(max) => value.parse::<u64>().is_ok_and(|c| c <= max),
            Rule::Url => is_http_url(value),
            Rule::NoControl => has_no_control(value),
            Rule::Country => is_country(value),
            Rule::Mmyy => is_mmyy(value),
            Rule::CardNumber => is_card_number(value),
            Rule::Cvv => is_cvv(value),
            Rule::Email => is_email(value),
            Rule::Charset(c) => c.holds_for(value),
        }
    }

    /// Whether an amount satisfies the rule; rules that are not about amounts hold.
    pub fn holds_for_cents(&self, cents: u64) -> bool {
        match *self {
            Rule::MinCents(min) => cents >= min,
            Rule::MaxCents(max) => cents <= max,
            _ => true,
        }
    }

    /// Whether the rule limits a length, so a violation reports the length found.
    pub fn is_length(&self) -> bool {
        matches!(self, Rule::MaxChars(_) | Rule::MinChars(_) | Rule::ExactChars(_))
    }

    /// A short stable name of the rule (`max_length`, `url`, ...), as used in the spec.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::MaxChars(_) => "max_length",
            Rule::MinChars(_) => "min_length",
            Rule::ExactChars(_) => "length",
            Rule::MinCents(_) => "min_cents",
            Rule::MaxCents(_) => "max_cents",
            Rule::NoControl => "no_control",
            Rule::Url => "url",
            Rule::Country => "country",
            Rule::Mmyy => "mmyy",
            Rule::CardNumber => "card_number",
            Rule::Cvv => "cvv",
            Rule::Email => "email",
            Rule::Charset(_) => "charset",
        }
    }
}

/// One broken constraint: where, which rule, and what was there instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer of the field in the request body, with the wire name (`/callbackURL`).
    pub pointer: String,
    /// The rule and its limit.
    pub rule: Rule,
    /// What was found: a length, or for non-sensitive fields a bounded quote of the value.
    /// Never the value of a sensitive field.
    pub found: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (found {})", self.pointer, self.rule, self.found)
    }
}

/// Every violation of one request. Never empty.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors(Vec<Violation>);

impl ValidationErrors {
    /// The violations, in field order.
    pub fn violations(&self) -> &[Violation] {
        &self.0
    }

    /// The violation at `pointer`, if there is one.
    pub fn at(&self, pointer: &str) -> Option<&Violation> {
        self.0.iter().find(|v| v.pointer == pointer)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "invalid request ({n} violation{}): ", if n == 1 { "" } else { "s" })?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

/// Collects violations; generated code calls one method per constrained field.
#[derive(Debug, Default)]
pub struct Validator {
    violations: Vec<Violation>,
}

/// The JSON pointer of member `name` under `at` (RFC 6901 escaping of `~` and `/`).
pub fn pointer(at: &str, name: &str) -> String {
    let mut p = String::with_capacity(at.len() + name.len() + 1);
    p.push_str(at);
    p.push('/');
    push_escaped(&mut p, name);
    p
}

fn push_escaped(p: &mut String, name: &str) {
    for c in name.chars() {
        match c {
            '~' => p.push_str("~0"),
            '/' => p.push_str("~1"),
            c => p.push(c),
        }
    }
}

impl Validator {
    /// Checks on a text field; `None` (an absent optional field) passes every check.
    pub fn text<'v>(&'v mut self, at: &'v Pointer<'v>, name: &'v str, value: Option<&'v str>) -> TextCheck<'v> {
        TextCheck { v: self, at, name, value, sensitive: false }
    }

    /// Checks on a sensitive text field: violations report lengths only, never the value.
    pub fn secret<'v>(&'v mut self, at: &'v Pointer<'v>, name: &'v str, value: Option<&'v str>) -> TextCheck<'v> {
        TextCheck { v: self, at, name, value, sensitive: true }
    }

    /// Checks on an amount field: at least `min` and at most `max` cents.
    pub fn cents(&mut self, at: &Pointer<'_>, name: &str, value: Option<Cents>, min: u64, max: u64) -> &mut Self {
        if let Some(c) = value {
            for rule in [Rule::MinCents(min), Rule::MaxCents(max)] {
                if !rule.holds_for_cents(c.get()) {
                    self.push(at, name, rule, format!("{} cents", c.get()));
                }
            }
        }
        self
    }

    fn push(&mut self, at: &Pointer<'_>, name: &str, rule: Rule, found: String) {
        self.violations.push(Violation { pointer: at.to_member(name), rule, found });
    }

    /// `Ok` when nothing was violated, else every violation.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.violations.is_empty() { Ok(()) } else { Err(ValidationErrors(self.violations)) }
    }
}

/// The checks of one text field, chained: `v.text(at, "remark", r).max_chars(128)`.
#[must_use = "a check does nothing until one of its rules is called"]
pub struct TextCheck<'v> {
    v: &'v mut Validator,
    at: &'v Pointer<'v>,
    name: &'v str,
    value: Option<&'v str>,
    sensitive: bool,
}

const QUOTE_LIMIT: usize = 64;

impl TextCheck<'_> {
    fn fail(&mut self, rule: Rule, found: String) {
        self.v.push(self.at, self.name, rule, found);
    }

    fn describe(&self, s: &str) -> String {
        let n = s.chars().count();
        if self.sensitive {
            return format!("a redacted value of {n} characters");
        }
        if n <= QUOTE_LIMIT {
            format!("{s:?}")
        } else {
            let head: String = s.chars().take(QUOTE_LIMIT).collect();
            format!("{head:?}... ({n} characters)")
        }
    }

    /// Checks `rule`; a violation reports the length found for length rules, else a bounded
    /// quote of the value (never the value of a sensitive field).
    pub fn rule(&mut self, rule: Rule) -> &mut Self {
        if let Some(s) = self.value
            && !rule.holds_for_text(s)
        {
            let found = if rule.is_length() { format!("{} characters", s.chars().count()) } else { self.describe(s) };
            self.fail(rule, found);
        }
        self
    }

    /// At most `n` characters.
    pub fn max_chars(&mut self, n: usize) -> &mut Self {
        self.rule(Rule::MaxChars(n))
    }

    /// At least `n` characters.
    pub fn min_chars(&mut self, n: usize) -> &mut Self {
        self.rule(Rule::MinChars(n))
    }

    /// Exactly `n` characters.
    pub fn exact_chars(&mut self, n: usize) -> &mut Self {
        self.rule(Rule::ExactChars(n))
    }

    /// An absolute http(s) URL, parsed with the `url` crate.
    pub fn url(&mut self) -> &mut Self {
        self.rule(Rule::Url)
    }

    /// An ISO 3166-1 alpha-2 country code.
    pub fn country(&mut self) -> &mut Self {
        self.rule(Rule::Country)
    }

    /// A card expiry `MMYY`.
    pub fn mmyy(&mut self) -> &mut Self {
        self.rule(Rule::Mmyy)
    }

    /// A Luhn-valid card number.
    pub fn card_number(&mut self) -> &mut Self {
        self.rule(Rule::CardNumber)
    }

    /// A 3- or 4-digit card verification value.
    pub fn cvv(&mut self) -> &mut Self {
        self.rule(Rule::Cvv)
    }

    /// An email address.
    pub fn email(&mut self) -> &mut Self {
        self.rule(Rule::Email)
    }

    /// No control characters.
    pub fn no_control(&mut self) -> &mut Self {
        self.rule(Rule::NoControl)
    }

    /// Only the characters of `charset`.
    pub fn charset(&mut self, charset: Charset) -> &mut Self {
        self.rule(Rule::Charset(charset))
    }
}

/// No `char::is_control` character; in ASCII those are the bytes below space, and DEL.
fn has_no_control(s: &str) -> bool {
    if s.is_ascii() { s.bytes().all(|b| b >= b' ' && b != 0x7f) } else { !s.chars().any(char::is_control) }
}

fn is_cvv(s: &str) -> bool {
    matches!(s.len(), 3 | 4) && s.bytes().all(|b| b.is_ascii_digit())
}

/// The WHATWG parser is lenient (it strips surrounding spaces, drops tabs and newlines, reads
/// `https:host` and `\\` as `//`), so the text is checked first: it must be literally
/// `http://` or `https://` followed by a host, with nothing the parser would rewrite or that could
/// split a header. Then the text must parse with `url::Url::parse` as an http(s) URL with a host;
/// a plain host (see [`is_plain_authority`]) surely does, so only other hosts are parsed, which
/// keeps the common case free of allocations.
fn is_http_url(s: &str) -> bool {
    let Some(rest) = http_url_rest(s) else { return false };
    is_plain_authority(s.len(), rest) || parses_as_http_url(s)
}

/// The text after `http://` or `https://` (any case), if the literal checks of [`Rule::Url`] hold.
fn http_url_rest(s: &str) -> Option<&str> {
    let has_prefix =
        |prefix: &str| s.as_bytes().get(..prefix.len()).is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()));
    // The prefixes are ASCII, so slicing after them is on a character boundary.
    let rest = if has_prefix("https://") {
        &s[8..]
    } else if has_prefix("http://") {
        &s[7..]
    } else {
        return None;
    };
    // In ASCII, whitespace and control characters are exactly the bytes up to space, and DEL.
    let clean = if s.is_ascii() {
        s.bytes().all(|b| b > b' ' && b != 0x7f && b != b'\\')
    } else {
        !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    };
    if rest.is_empty() || rest.starts_with('/') || !clean {
        return None;
    }
    Some(rest)
}

/// The reference: the URL parses, with an http(s) scheme and a non-empty host. Allocates.
fn parses_as_http_url(s: &str) -> bool {
    match url::Url::parse(s) {
        Ok(u) => matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()),
        Err(_) => false,
    }
}

/// Whether `rest` (what follows `http://` or `https://` in a URL of `len` bytes that passed the
/// literal checks) starts with an authority that `url::Url::parse` surely accepts, so the URL
/// parses with a non-empty host: a conservative subset, checked without allocating. `false` means
/// "not sure", never "invalid". The subset, with why the WHATWG parser (url 2.5, idna 1.x) accepts
/// it:
///
/// - the authority runs to the first `/`, `?` or `#` (where the parser ends it; `\` is already
///   refused) and has no `@`, so there is no userinfo;
/// - the host is ASCII letters, digits, `-` and `.`, in non-empty labels, none starting with
///   `xn--` (any case): nothing is percent-decoded, no forbidden code point, and UTS 46 with
///   hyphens allowed and DNS lengths ignored (what `url` asks for) maps such labels to lower case
///   and never fails on them;
/// - if the last label could be read as a number (all digits, or `0x` and hex digits), the host
///   must be a dotted quad of decimal numbers 0 to 255 without leading zeros, a valid IPv4
///   address; otherwise it is a domain, non-empty;
/// - an optional port of 1 to 5 digits, at most 65535;
/// - whatever follows is path, query and fragment, where the parser percent-encodes and never fails
///   (the length bound keeps positions far below `u32::MAX`).
///
/// The `url_fast_path` proptest checks that whatever this accepts, `url::Url::parse` accepts too.
fn is_plain_authority(len: usize, rest: &str) -> bool {
    if len > 1 << 16 {
        return false;
    }
    let rest = rest.as_bytes();
    let end = rest.iter().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
    let authority = &rest[..end];
    let (host, port) = match authority.iter().position(|&b| b == b':') {
        Some(colon) => (&authority[..colon], Some(&authority[colon + 1..])),
        None => (authority, None),
    };
    if let Some(port) = port
        && !(matches!(port.len(), 1..=5)
            && port.iter().all(u8::is_ascii_digit)
            && port.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')) <= u32::from(u16::MAX))
    {
        return false;
    }
    let label_ok = |label: &[u8]| {
        !label.is_empty()
            && label.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.get(..4).is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"))
    };
    if !host.split(|&b| b == b'.').all(label_ok) {
        return false;
    }
    let last = host.rsplit(|&b| b == b'.').next().unwrap_or(host);
    let numeric = last.iter().all(u8::is_ascii_digit)
        || (last.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"0x"))
            && last[2..].iter().all(u8::is_ascii_hexdigit));
    !numeric || is_dotted_quad(host)
}

/// Four decimal numbers 0 to 255 without leading zeros, separated by dots.
fn is_dotted_quad(host: &[u8]) -> bool {
    let mut parts = 0;
    host.split(|&b| b == b'.').all(|part| {
        parts += 1;
        matches!(part.len(), 1..=3)
            && part.iter().all(u8::is_ascii_digit)
            && (part.len() == 1 || part[0] != b'0')
            && part.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')) <= 255
    }) && parts == 4
}

fn is_mmyy(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 4
        && b.iter().all(u8::is_ascii_digit)
        && matches!((b[0], b[1]), (b'0', b'1'..=b'9') | (b'1', b'0'..=b'2'))
}

fn is_card_number(s: &str) -> bool {
    if !(12..=19).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = s
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    s.chars().count() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

/// The officially assigned ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ \
FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT \
JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP \
MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE \
RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV \
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// The ISO 3166-1 alpha-2 codes [`Rule::Country`] accepts, in alphabetical order (generators
/// use it to list them, e.g. as a JSON Schema `enum`).
pub fn country_codes() -> impl Iterator<Item = &'static str> {
    COUNTRIES.split(' ')
}

/// Binary search over [`COUNTRIES`]: sorted two-letter codes, one every three bytes (a test
/// checks both and that the answer equals a linear scan's).
fn is_country(s: &str) -> bool {
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let (mut lo, mut hi) = (0, COUNTRIES.len().div_ceil(3));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match COUNTRIES.as_bytes()[3 * mid..3 * mid + 2].cmp(s.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Card {
        number: String,
        expiry: String,
        remark: Option<String>,
        amount: Cents,
    }

    impl Validate for Card {
        fn validate_into(&self, at: &Pointer<'_>, v: &mut Validator) {
            v.secret(at, "accountNumber", Some(&self.number)).card_number();
            v.text(at, "accountExpire", Some(&self.expiry)).mmyy();
            v.text(at, "remark", self.remark.as_deref()).max_chars(5);
            v.cents(at, "amount", Some(self.amount), 1, 1_000_000);
        }
    }

    /// A request with a card nested twice, the second in a list.
    struct Order {
        card: Card,
        more: Vec<Card>,
    }

    impl Validate for Order {
        fn validate_into(&self, at: &Pointer<'_>, v: &mut Validator) {
            self.card.validate_into(&at.member("card/main"), v);
            let more = at.member("more");
            for (i, card) in self.more.iter().enumerate() {
                card.validate_into(&more.index(i), v);
            }
        }
    }

    #[test]
    fn nested_violations_are_located() {
        let good =
            || Card { number: "4111111111111111".into(), expiry: "0625".into(), remark: None, amount: Cents::new(1) };
        let bad = Card { remark: Some("toolong".into()), ..good() };
        let order = Order { card: bad, more: vec![good(), Card { expiry: "13".into(), ..good() }] };
        let pointers: Vec<String> = order
            .validate()
            .err()
            .map(|e| e.violations().iter().map(|v| v.pointer.clone()).collect())
            .unwrap_or_default();
        assert_eq!(pointers, ["/card~1main/remark", "/more/1/accountExpire"]);
        let valid = Order { card: good(), more: vec![good()] };
        assert_eq!(valid.validate(), Ok(()));
    }

    #[test]
    fn reports_every_violation_without_secrets() {
        let card = Card {
            number: "4111111111111112".into(),
            expiry: "1325".into(),
            remark: Some("ééééééé".into()),
            amount: Cents::new(0),
        };
        let err = card.validate().err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            err,
            "invalid request (4 violations): /accountNumber: must be a card number of 12 to 19 digits \
             passing the Luhn check (found a redacted value of 16 characters); /accountExpire: must be \
             a card expiry as MMYY (found \"1325\"); /remark: must be at most 5 characters (found 7 \
             characters); /amount: must be at least 1 cent (found 0 cents)"
        );
        assert!(!err.contains("4111111111111112"));
    }

    #[test]
    fn valid_values_pass() {
        let card =
            Card { number: "4111111111111111".into(), expiry: "0625".into(), remark: None, amount: Cents::new(1) };
        assert_eq!(card.validate(), Ok(()));
    }

    #[test]
    fn formats() {
        assert!(is_http_url("https://your.callback.url"));
        assert!(is_http_url("http://127.0.0.1:8080/cb?x=1"));
        assert!(!is_http_url("ftp://example.com"));
        assert!(!is_http_url("/relative"));
        assert!(!is_http_url("https://"));
        assert!(is_country("CA") && is_country("US"));
        assert!(!is_country("ca") && !is_country("XX") && !is_country("CAN"));
        assert!(!is_country("") && !is_country("A") && !is_country("É"));
    }

    #[test]
    fn country_table_is_sorted_fixed_stride_and_search_matches_a_scan() {
        let codes: Vec<&str> = country_codes().collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.iter().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "COUNTRIES must stay sorted");
        assert_eq!(COUNTRIES.len(), 3 * codes.len() - 1);
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b]).unwrap_or_default();
                assert_eq!(is_country(&code), codes.contains(&code.as_str()), "{code}");
            }
        }
        assert!(is_mmyy("1299") && is_mmyy("0130"));
        assert!(!is_mmyy("0025") && !is_mmyy("1300") && !is_mmyy("125"));
        assert!(is_email("a@b.co") && !is_email("a@b") && !is_email("a b@c.d") && !is_email("@c.d"));
    }

    #[test]
    fn urls_mean_exactly_what_is_sent() {
        for bad in [
            "https://shop.example/cb\nX-Injected: 1",
            "https://shop.example/c\tb",
            " https://shop.example/cb",
            "https://shop.example/cb ",
            "https://shop.example/call back",
            "https:shop.example/cb",
            "https:/shop.example/cb",
            "https:///shop.example/cb",
            "https:\\\\shop.example\\cb",
            "https://shop.example/\u{85}x",
            "https://shop.example/\u{a0}x",
            "https://",
            "HTTPS//shop.example",
            "ftp://shop.example/",
        ] {
            assert!(!is_http_url(bad), "{bad:?}");
        }
        for good in [
            "https://shop.example/cb?x=1&y=%20",
            "HTTP://127.0.0.1:8080/x",
            "https://xn--bcher-kva.example/",
            "http://é.example/",
            "https://bücher.example/",
        ] {
            assert!(is_http_url(good), "{good:?}");
        }
    }

    #[test]
    fn control_characters() {
        assert!(!Rule::NoControl.holds_for_text("a\u{0}b"));
        assert!(!Rule::NoControl.holds_for_text("a\u{7f}"));
        assert!(!Rule::NoControl.holds_for_text("line\nbreak"));
        assert!(Rule::NoControl.holds_for_text("订单-42 é"));
    }

    #[test]
    fn charsets() {
        let rule = Rule::Charset(Charset::AlnumDashUnderscore);
        assert!(rule.holds_for_text("ON00000097-1764712345_aZ9"));
        assert!(rule.holds_for_text(""));
        for bad in ["a b", "a.b", "a/b", "é", "a\u{0}", "a+b", "ａ"] {
            assert!(!rule.holds_for_text(bad), "{bad:?}");
        }
        assert_eq!(rule.name(), "charset");
        assert_eq!(rule.to_string(), "must contain only 0-9, A-Z, a-z, '_' and '-'");
        let mut v = Validator::default();
        v.text(&Pointer::ROOT, "sessionId", Some("abc def")).charset(Charset::AlnumDashUnderscore);
        let err = v.finish().err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            err,
            "invalid request (1 violation): /sessionId: must contain only 0-9, A-Z, a-z, '_' and '-' (found \"abc def\")"
        );
    }

    #[test]
    fn pointer_escapes() {
        assert_eq!(pointer("/a", "b/c~d"), "/a/b~1c~0d");
        let a = Pointer::ROOT.member("a");
        assert_eq!(a.to_member("b/c~d"), pointer("/a", "b/c~d"));
        assert_eq!(a.member("x~/y").index(0).to_string(), "/a/x~0~1y/0");
        assert_eq!(Pointer::ROOT.to_member(""), "/");
    }

    #[test]
    fn ascii_shortcuts_mean_what_the_char_checks_mean() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(has_no_control(&text), !text.chars().any(char::is_control), "{c:?}");
            let url = format!("https://shop.example/a{c}b");
            assert_eq!(is_http_url(&url), reference_is_http_url(&url), "{c:?}");
            let host = format!("https://sh{c}op.example/");
            assert_eq!(is_http_url(&host), reference_is_http_url(&host), "{c:?}");
        }
    }

    #[test]
    fn common_urls_take_the_fast_path() {
        for url in [
            "https://your.callback.url",
            "https://shop.example/ottpay?order=42&x=%20#top",
            "HTTPS://Shop.Example:8443/cb",
            "http://127.0.0.1:8080/cb",
            "http://localhost/",
            "https://a-b.c--d.example/订单",
            "https://0xzz.example/",
        ] {
            let rest = http_url_rest(url);
            assert!(rest.is_some_and(|rest| is_plain_authority(url.len(), rest)), "{url:?}");
            assert!(parses_as_http_url(url), "{url:?}");
        }
        // Not sure without parsing (the parser decides), so the fast path declines.
        for url in [
            "https://xn--bcher-kva.example/",
            "https://bücher.example/",
            "http://user@shop.example/",
            "http://010.0.0.1/",
            "http://1.2.3/",
            "http://shop.example:/",
            "http://shop.example:65536/",
            "http://[::1]/",
            "http://shop.example./",
            "http://shop%2Eexample/",
            "http://0x7f.1/",
        ] {
            let rest = http_url_rest(url);
            assert!(rest.is_some_and(|rest| !is_plain_authority(url.len(), rest)), "{url:?}");
        }
    }

    /// The rule as it was before the fast path, verbatim: the literal checks, then
    /// `url::Url::parse` every time.
    fn reference_is_http_url(s: &str) -> bool {
        let has_prefix =
            |prefix: &str| s.as_bytes().get(..prefix.len()).is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()));
        let rest = if has_prefix("https://") {
            &s[8..]
        } else if has_prefix("http://") {
            &s[7..]
        } else {
            return false;
        };
        if rest.is_empty()
            || rest.starts_with('/')
            || s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        {
            return false;
        }
        match url::Url::parse(s) {
            Ok(u) => matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()),
            Err(_) => false,
        }
    }

    fn url_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let scheme = prop::sample::select(vec![
            "http://", "https://", "HTTP://", "hTtPs://", "http:/", "https:", "http:///", "ftp://", "",
        ]);
        let label = prop_oneof![
            "[a-z]{1,6}",
            "[a-zA-Z0-9-]{0,6}",
            "[0-9]{1,4}",
            "0[xX][0-9a-fA-F]{0,3}",
            "[xX][nN]--[a-z0-9-]{0,6}",
            "[a-z0-9%@\\[\\]:_~é^|<>-]{0,4}",
            Just("bücher".to_owned()),
            Just("xn--bcher-kva".to_owned()),
            Just("255".to_owned()),
            Just("256".to_owned()),
        ];
        let host = prop::collection::vec(label, 1..5).prop_map(|labels| labels.join("."));
        let number = prop_oneof![
            4 => "[1-9][0-9]{0,2}",
            1 => "0[0-9]{0,2}",
            1 => "0[xX][0-9a-f]{0,3}",
            1 => Just(String::new()),
        ];
        let quad = prop_oneof![
            prop::collection::vec(number.clone(), 4).prop_map(|parts| parts.join(".")),
            prop::collection::vec(number, 1..6).prop_map(|parts| parts.join(".")),
        ];
        let host = prop_oneof![4 => host, 3 => quad, 1 => "\\[[0-9a-f:.]{0,12}\\]", 1 => "[0-9.]{0,16}", 1 => "[a-z0-9.@:-]{0,16}"];
        let port = prop_oneof![
            Just(String::new()),
            "[0-9]{0,7}".prop_map(|p| format!(":{p}")),
            (60_000u32..70_000).prop_map(|p| format!(":{p}")),
            ":[0-9a-z:]{0,4}",
        ];
        let tail = prop_oneof![Just(String::new()), "[/?#][ -~é订]{0,12}", "[./?#%@:][a-z0-9./?#%@:]{0,8}"];
        (scheme, host, port, tail).prop_map(|(s, h, p, t)| format!("{s}{h}{p}{t}"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// What the allocation-free fast path accepts, `url::Url::parse` accepts too, so the rule
        /// (fast path, else the parser) means exactly what it meant when it always parsed.
        #[test]
        fn url_fast_path(s in url_like()) {
            if let Some(rest) = http_url_rest(&s)
                && is_plain_authority(s.len(), rest)
            {
                proptest::prop_assert!(parses_as_http_url(&s), "fast path accepted {:?}, the parser refuses it", s);
            }
            proptest::prop_assert_eq!(is_http_url(&s), reference_is_http_url(&s), "{:?}", s);
        }

        /// The same on any text, not only URL-like text.
        #[test]
        fn url_rule_unchanged_on_any_text(s in proptest::prelude::any::<String>()) {
            let s = format!("https://{s}");
            proptest::prop_assert_eq!(is_http_url(&s), reference_is_http_url(&s), "{:?}", s);
        }
    }
}
