//! What a simulator is started with: merchants, address, clock, seed and the timings of the
//! payment life. [`SimulatorBuilder`] sets it; [`Simulator::start`](crate::Simulator::start) uses
//! the defaults.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use ottpay::SignKey;

use crate::clock::Clock;
use crate::error::StartError;

/// The port the binary listens on unless `--listen` says otherwise: `http://127.0.0.1:8380`.
pub const DEFAULT_PORT: u16 = 8380;

/// A merchant the simulator knows: the appId/appKey pair the token endpoint checks, the signKey
/// its callbacks are encrypted with, and the merchant id its answers and callbacks carry.
///
/// These are simulator credentials, printed by the binary; `Debug` still leaves the keys out.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Merchant {
    /// The appId of the token call.
    pub app_id: String,
    /// The appKey of the token call.
    pub app_key: String,
    /// The signKey callbacks are encrypted with.
    pub sign_key: String,
    /// The OTT merchant id (`merchantId` in answers, `merchant_id` in callbacks).
    pub merchant_id: String,
}

impl Merchant {
    /// A merchant whose merchant id is its appId (as in the vendor's examples).
    pub fn new(app_id: impl Into<String>, app_key: impl Into<String>, sign_key: impl Into<String>) -> Self {
        let app_id = app_id.into();
        Merchant { merchant_id: app_id.clone(), app_id, app_key: app_key.into(), sign_key: sign_key.into() }
    }

    /// Sets a merchant id different from the appId.
    pub fn merchant_id(mut self, merchant_id: impl Into<String>) -> Self {
        self.merchant_id = merchant_id.into();
        self
    }

    /// The demo merchant every simulator starts with unless told otherwise: appId and merchant
    /// id `ON00000185`, the appKey of the vendor's token example, and the signKey of the
    /// project's callback test vector.
    pub fn demo() -> Self {
        Merchant::new("ON00000185", "0e83678f102d188d8875e8e4c781b984", "3F6C1B7E9A2D4C58")
    }

    /// The signKey as the callback encoder takes it.
    pub fn sign_key(&self) -> SignKey {
        SignKey::new(self.sign_key.clone())
    }

    /// Parses `APP_ID:APP_KEY:SIGN_KEY[:MERCHANT_ID]` (the binary's `--merchant`).
    ///
    /// # Errors
    /// [`StartError::Merchant`] when a part is missing or empty.
    pub fn parse(text: &str) -> Result<Self, StartError> {
        let parts: Vec<&str> = text.split(':').collect();
        let bad = || StartError::Merchant { reason: "expected APP_ID:APP_KEY:SIGN_KEY[:MERCHANT_ID], none empty" };
        if !(3..=4).contains(&parts.len()) || parts.iter().any(|p| p.trim().is_empty()) {
            return Err(bad());
        }
        let [app_id, app_key, sign_key] = [parts[0], parts[1], parts[2]].map(|p| p.trim().to_owned());
        let merchant = Merchant::new(app_id, app_key, sign_key);
        Ok(match parts.get(3) {
            Some(id) => merchant.merchant_id(id.trim()),
            None => merchant,
        })
    }
}

impl fmt::Debug for Merchant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Merchant")
            .field("app_id", &self.app_id)
            .field("merchant_id", &self.merchant_id)
            .finish_non_exhaustive()
    }
}

/// Everything a simulator runs with.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) listen: SocketAddr,
    pub(crate) merchants: Vec<Merchant>,
    pub(crate) seed: Option<u64>,
    pub(crate) clock: Clock,
    pub(crate) token_ttl: Duration,
    pub(crate) order_ttl: Duration,
    pub(crate) capture_after: Duration,
    pub(crate) callback_schedule: Vec<Duration>,
    pub(crate) callback_timeout: Duration,
    pub(crate) exchange_rate: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            merchants: vec![Merchant::demo()],
            seed: None,
            clock: Clock::system(),
            token_ttl: Duration::from_secs(15 * 60),
            order_ttl: Duration::from_secs(2 * 3600),
            capture_after: Duration::from_secs(10 * 60),
            callback_schedule: default_schedule(),
            callback_timeout: Duration::from_secs(5),
            exchange_rate: "5.057030".to_owned(),
        }
    }
}

/// Immediately, then after 10 s, 30 s, 1 min, 5 min, 15 min and 1 h (simulated time).
fn default_schedule() -> Vec<Duration> {
    [0, 10, 30, 60, 300, 900, 3600].into_iter().map(Duration::from_secs).collect()
}

/// Configures and starts a [`Simulator`](crate::Simulator).
///
/// ```no_run
/// use std::time::Duration;
/// use ottpay_sim::{Clock, Merchant, Simulator};
///
/// # async fn run() -> Result<(), ottpay_sim::StartError> {
/// let sim = Simulator::builder()
///     .merchant(Merchant::new("ON00000097", "app-key", "3F6C1B7E9A2D4C58"))
///     .seed(42)                                   // the same ids on every run
///     .clock(Clock::frozen_at(1_700_000_000_000)) // the same times on every run
///     .callback_schedule([Duration::ZERO, Duration::from_secs(10)])
///     .start()
///     .await?;
/// println!("{}", sim.base_url());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct SimulatorBuilder {
    config: Config,
    merchants_set: bool,
}

impl SimulatorBuilder {
    /// The address to listen on: a loopback address (`127.0.0.1` or `::1`); port 0 (the default)
    /// picks a free port. [`start`](Self::start) refuses any other address.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.config.listen = addr;
        self
    }

    /// Adds a merchant. The first call replaces the demo merchant; the first merchant is the one
    /// [`Simulator::merchant`](crate::Simulator::merchant) returns.
    pub fn merchant(mut self, merchant: Merchant) -> Self {
        if !self.merchants_set {
            self.config.merchants.clear();
            self.merchants_set = true;
        }
        self.config.merchants.push(merchant);
        self
    }

    /// Seeds the id generator: the same seed and the same calls give the same payment ids,
    /// refund ids and tokens. Without a seed, ids differ from run to run.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = Some(seed);
        self
    }

    /// The clock (default: [`Clock::system`]). Keep a clone to move time from outside, or use
    /// [`Simulator::advance`](crate::Simulator::advance).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.config.clock = clock;
        self
    }

    /// How long a token lives (`expired` = issue time + this). Default 15 minutes, as in the
    /// vendor's examples.
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.config.token_ttl = ttl;
        self
    }

    /// How long a wallet order waits to be paid, and a card payment for its 3-D Secure challenge,
    /// before it closes (`orderclosed`). Default 2 hours.
    pub fn order_ttl(mut self, ttl: Duration) -> Self {
        self.config.order_ttl = ttl;
        self
    }

    /// How long an authorised card payment stays `authorised` (reversible) before OTT Pay
    /// captures it (`success`). Default 10 minutes of simulated time;
    /// [`Simulator::capture`](crate::Simulator::capture) captures at once.
    pub fn capture_after(mut self, delay: Duration) -> Self {
        self.config.capture_after = delay;
        self
    }

    /// When callback attempts are made, each delay counted from the previous attempt on the
    /// simulated clock: one attempt per entry, until the merchant acknowledges. Default
    /// `0 s, 10 s, 30 s, 1 min, 5 min, 15 min, 1 h`. An empty schedule sends no callbacks.
    pub fn callback_schedule(mut self, delays: impl IntoIterator<Item = Duration>) -> Self {
        self.config.callback_schedule = delays.into_iter().collect();
        self
    }

    /// How long one callback attempt may take (connect, send, read the answer), in real time.
    /// Default 5 s.
    pub fn callback_timeout(mut self, timeout: Duration) -> Self {
        self.config.callback_timeout = timeout;
        self
    }

    /// The CAD to CNY exchange rate wallet answers and callbacks report. Default `5.057030`.
    pub fn exchange_rate(mut self, rate: impl Into<String>) -> Self {
        self.config.exchange_rate = rate.into();
        self
    }

    /// Binds the address and starts serving in the current tokio runtime.
    ///
    /// # Errors
    /// [`StartError`]: no merchant, a non-loopback address, an address that cannot be bound,
    /// or an endpoint of the registry that cannot be routed.
    pub async fn start(self) -> Result<crate::Simulator, StartError> {
        crate::Simulator::start_with(self.config).await
    }
}
