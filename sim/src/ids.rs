//! Identifiers: payment, refund and reversal ids, channel order numbers and tokens, drawn from a
//! seedable generator so a test that fixes the seed sees the same ids on every run.

use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// SplitMix64: a counter-based generator, so drawing a number is one atomic add (no lock).
#[derive(Debug)]
pub(crate) struct Ids {
    state: AtomicU64,
}

const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl Ids {
    pub(crate) fn new(seed: u64) -> Self {
        Ids { state: AtomicU64::new(seed) }
    }

    pub(crate) fn next_u64(&self) -> u64 {
        let mut z = self.state.fetch_add(GAMMA, Ordering::Relaxed).wrapping_add(GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `n` decimal digits (n <= 19), the first one not zero.
    pub(crate) fn digits(&self, n: u32) -> String {
        let n = n.clamp(1, 19);
        let low = 10u64.pow(n - 1);
        let span = 9 * low;
        format!("{}", low + self.next_u64() % span)
    }

    /// A payment id as OTT Pay writes them: 17 digits (`17047528085325164`).
    pub(crate) fn payment_id(&self) -> u64 {
        const LOW: u64 = 10_000_000_000_000_000;
        LOW + self.next_u64() % (9 * LOW)
    }

    /// An opaque bearer token shaped like the vendor's (a JWT: `header.payload.signature`, with
    /// the `HS512` header of the documented examples), never parsed by the simulator itself.
    pub(crate) fn token(&self, subject: &str, created_ms: i64, expires_ms: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512"}"#);
        let claims = serde_json::json!({
            "sub": format!("{subject}{}", self.digits(4)),
            "created": created_ms,
            "usertype": "CUSTOMER",
            "exp": expires_ms / 1000,
        });
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let mut signature = [0u8; 64];
        for chunk in signature.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or(&bytes));
        }
        format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

/// A seed from the system clock and the process id, for simulators that were given none.
pub(crate) fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos() & u128::from(u64::MAX)).unwrap_or(0));
    nanos ^ u64::from(std::process::id()).rotate_left(32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let (a, b) = (Ids::new(42), Ids::new(42));
        let draws_a: Vec<u64> = (0..5).map(|_| a.payment_id()).collect();
        let draws_b: Vec<u64> = (0..5).map(|_| b.payment_id()).collect();
        assert_eq!(draws_a, draws_b);
        assert_ne!(Ids::new(43).payment_id(), draws_a[0]);
    }

    #[test]
    fn shapes() {
        let ids = Ids::new(7);
        for _ in 0..1000 {
            let id = ids.payment_id().to_string();
            assert_eq!(id.len(), 17);
            assert!(id.bytes().all(|b| b.is_ascii_digit()) && !id.starts_with('0'));
        }
        assert_eq!(ids.digits(19).len(), 19);
        let token = ids.token("ON00000185", 1_000, 901_000);
        assert_eq!(token.split('.').count(), 3);
        assert!(token.starts_with("eyJhbGciOiJIUzUxMiJ9."));
    }
}
