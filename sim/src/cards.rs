//! Which path a card payment takes: the vendor's published test cards, cardholder names that ask
//! for a decline, and everything else.
//!
//! The test cards are those of OTT Pay's 3-D Secure test guide as cited by third-party code
//! (`../shared/ottpay-api.md` §12): expiry 03/2030 (UnionPay 12/2029), CVV 737 (Amex 7373),
//! challenge password `password` (`1234` in native apps). The guide belongs to the 3-D Secure
//! page, and its sandbox is Adyen's, whose 3-D Secure test cards all challenge; so in the
//! simulator:
//!
//! | card | path |
//! |---|---|
//! | a test card with its expiry and CVV | 3-D Secure challenge (frictionless when the request has no front URL to come back to) |
//! | a test card with another expiry or CVV | declined, `20030` Payment failed |
//! | any other Luhn-valid card, not expired | approved without a challenge (`authorised`) |
//! | an expired card | declined, `20030` |
//! | a number failing the Luhn check | `20008` Unsupported card (the request validator rejects it first with `10005`) |
//!
//! The cardholder name can ask for an outcome, in Adyen's manner (`accountName`, any case):
//! `DECLINED` -> `20030`, `NOT_ENOUGH_BALANCE` -> `20007`, `UNSUPPORTED` -> `20008`, `TIMEOUT`
//! -> `50002`, `FAILURE` -> `50001`, `SYSTEM_ERROR` -> `50003`, `CHALLENGE` -> a challenge with
//! any card.

use ottpay::ErrorCode;

use crate::answer::ApiError;

/// A published test card: number, expiry (MMYY) and CVV.
struct TestCard {
    number: &'static str,
    expiry: &'static str,
    cvv: &'static str,
}

const TEST_CARDS: &[TestCard] = &[
    TestCard { number: "4000020000000000", expiry: "0330", cvv: "737" },
    TestCard { number: "4400000000000008", expiry: "0330", cvv: "737" },
    TestCard { number: "2222400010000008", expiry: "0330", cvv: "737" },
    TestCard { number: "2222400060000007", expiry: "0330", cvv: "737" },
    TestCard { number: "374101012180018", expiry: "0330", cvv: "7373" },
    TestCard { number: "6011601160116611", expiry: "0330", cvv: "737" },
    TestCard { number: "3569990010095841", expiry: "0330", cvv: "737" },
    TestCard { number: "6243030000000001", expiry: "1229", cvv: "737" },
    TestCard { number: "36006666333344", expiry: "0330", cvv: "737" },
];

/// The 3-D Secure challenge passwords: browsers, native apps.
pub(crate) const CHALLENGE_PASSWORDS: &[&str] = &["password", "1234"];

/// The path of a card payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Approved without a challenge.
    Approve,
    /// The issuer wants a 3-D Secure challenge.
    Challenge,
    /// Declined with a code of the table.
    Decline(ApiError),
}

/// What the payment request says about the card.
pub(crate) struct CardInput<'a> {
    pub(crate) number: &'a str,
    pub(crate) expiry: Option<&'a str>,
    pub(crate) cvv: Option<&'a str>,
    pub(crate) holder: Option<&'a str>,
    /// The current year and month, for expiry checks.
    pub(crate) now: (i64, u32),
}

/// Decides the path of a card payment.
pub(crate) fn decide(card: &CardInput<'_>) -> Decision {
    let number: String = card.number.chars().filter(char::is_ascii_digit).collect();
    if !luhn(&number) {
        return Decision::Decline(ApiError::new(ErrorCode::UnsupportedCard, "the card number fails the Luhn check"));
    }
    let holder = card.holder.map(|h| h.trim().to_ascii_uppercase()).unwrap_or_default();
    let decline = |code, message: &str| Decision::Decline(ApiError::new(code, message));
    match holder.as_str() {
        "DECLINED" => return decline(ErrorCode::PaymentFailed, "declined by the issuer (cardholder name DECLINED)"),
        "NOT_ENOUGH_BALANCE" => return decline(ErrorCode::InsufficientBalance, "not enough balance on the card"),
        "UNSUPPORTED" => return decline(ErrorCode::UnsupportedCard, "card type not supported"),
        "TIMEOUT" => return decline(ErrorCode::Timeout, "the issuer did not answer in time"),
        "FAILURE" => return decline(ErrorCode::TransactionFailed, "the payment failed"),
        "SYSTEM_ERROR" => return decline(ErrorCode::SystemError, "no answer from the acquirer"),
        _ => {}
    }
    let expiry = card.expiry.map(str::trim).unwrap_or_default();
    if expired(expiry, card.now) {
        return decline(ErrorCode::PaymentFailed, "the card has expired");
    }
    if let Some(test) = TEST_CARDS.iter().find(|t| t.number == number) {
        if expiry != test.expiry {
            return decline(ErrorCode::PaymentFailed, "expiry date does not match the test card's");
        }
        if card.cvv.map(str::trim) != Some(test.cvv) {
            return decline(ErrorCode::PaymentFailed, "CVV declined");
        }
        return Decision::Challenge;
    }
    if holder == "CHALLENGE" { Decision::Challenge } else { Decision::Approve }
}

/// Whether `mmyy` is before the current month (an unreadable expiry is not "expired": the
/// request validator judges its format).
fn expired(mmyy: &str, (year, month): (i64, u32)) -> bool {
    let (Some(mm), Some(yy)) = (mmyy.get(..2), mmyy.get(2..4)) else { return false };
    let (Ok(mm), Ok(yy)) = (mm.parse::<u32>(), yy.parse::<i64>()) else { return false };
    let card_year = 2000 + yy;
    card_year < year || (card_year == year && mm < month)
}

/// The Luhn check over a string of digits (12 to 19 of them): the runtime's own card-number rule,
/// the one `validate()` applies.
pub(crate) fn luhn(digits: &str) -> bool {
    ottpay::Rule::CardNumber.holds_for_text(digits)
}

/// The card brand from the number's prefix, as `ccType` reports it.
pub(crate) fn brand(number: &str) -> &'static str {
    let digits: String = number.chars().filter(char::is_ascii_digit).take(6).collect();
    let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    match (prefix(1), prefix(2), prefix(3), prefix(4)) {
        (4, ..) => "VISA",
        (_, 34 | 37, ..) => "AMEX",
        (_, 51..=55, ..) | (.., 2221..=2720) => "MC",
        (_, 62, ..) => "CUP",
        (.., 6011) | (_, 65, ..) | (_, _, 644..=649, _) => "DISCOVER",
        (.., 3528..=3589) => "JCB",
        (_, 36 | 38 | 39, ..) | (_, _, 300..=305, _) => "DINERS",
        _ => "UNKNOWN",
    }
}

/// The last four digits of the number.
pub(crate) fn last4(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(4)..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card<'a>(number: &'a str, expiry: &'a str, cvv: &'a str, holder: &'a str) -> CardInput<'a> {
        CardInput { number, expiry: Some(expiry), cvv: Some(cvv), holder: Some(holder), now: (2026, 5) }
    }

    fn code(d: Decision) -> Option<i64> {
        match d {
            Decision::Decline(e) => Some(e.code),
            _ => None,
        }
    }

    #[test]
    fn every_test_card_is_luhn_valid_and_challenges() {
        for t in TEST_CARDS {
            assert!(luhn(t.number), "{}", t.number);
            assert_eq!(decide(&card(t.number, t.expiry, t.cvv, "Jack Smith")), Decision::Challenge, "{}", t.number);
            assert_ne!(brand(t.number), "UNKNOWN", "{}", t.number);
        }
    }

    #[test]
    fn wrong_cvv_or_expiry_on_a_test_card_declines() {
        assert_eq!(code(decide(&card("4000020000000000", "0330", "000", "J"))), Some(20030));
        assert_eq!(code(decide(&card("4000020000000000", "0430", "737", "J"))), Some(20030));
    }

    #[test]
    fn other_cards_approve_unless_named_or_expired() {
        assert_eq!(decide(&card("4111111111111111", "1230", "123", "Jack")), Decision::Approve);
        assert_eq!(decide(&card("4111111111111111", "1230", "123", "challenge")), Decision::Challenge);
        assert_eq!(code(decide(&card("4111111111111111", "1230", "123", "not_enough_balance"))), Some(20007));
        assert_eq!(code(decide(&card("4111111111111111", "0426", "123", "Jack"))), Some(20030));
        assert_eq!(decide(&card("4111111111111111", "0526", "123", "Jack")), Decision::Approve);
        assert_eq!(code(decide(&card("4111111111111112", "1230", "123", "Jack"))), Some(20008));
    }

    #[test]
    fn brands() {
        assert_eq!(brand("4111111111111111"), "VISA");
        assert_eq!(brand("5555555555554444"), "MC");
        assert_eq!(brand("2222400010000008"), "MC");
        assert_eq!(brand("374101012180018"), "AMEX");
        assert_eq!(brand("6243030000000001"), "CUP");
        assert_eq!(last4("4111 1111 1111 1234"), "1234");
    }
}
