//! `ottpay-sim`: runs the OTT Pay simulator on `http://127.0.0.1:8380` until Ctrl-C, printing
//! the merchants' credentials and everything that happens.
//!
//! ```text
//! ottpay-sim [--listen PORT|ADDR] [--merchant APP_ID:APP_KEY:SIGN_KEY[:MERCHANT_ID]]...
//!            [--seed N] [--token-ttl SECONDS] [--capture-after SECONDS]
//!            [--callback-schedule SECONDS,SECONDS,...] [--quiet]
//! ```

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use ottpay_sim::{DEFAULT_PORT, Merchant, Simulator, SimulatorBuilder};

const USAGE: &str = "\
usage: ottpay-sim [options]

Runs the OTT Pay simulator on 127.0.0.1 until Ctrl-C.

options:
  --listen PORT|ADDR            port, or loopback address and port (default 127.0.0.1:8380)
  --merchant ID:KEY:SIGNKEY[:MERCHANT_ID]
                                a merchant (repeatable; replaces the demo merchant)
  --seed N                      seed of the id generator (the same ids on every run)
  --token-ttl SECONDS           token lifetime (default 900)
  --capture-after SECONDS       when authorised card payments are captured (default 600)
  --callback-schedule LIST      seconds before each callback attempt (default 0,10,30,60,300,900,3600)
  --quiet                       do not print events
  --help                        this text";

/// What the command line asks for.
#[derive(Debug)]
struct Options {
    builder: SimulatorBuilder,
    quiet: bool,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut builder = Simulator::builder().listen(SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_PORT)));
    let mut quiet = false;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--quiet" | "-q" => quiet = true,
            "--listen" => builder = builder.listen(listen_addr(&value()?)?),
            "--merchant" => builder = builder.merchant(Merchant::parse(&value()?).map_err(|e| e.to_string())?),
            "--seed" => builder = builder.seed(number(&flag, &value()?)?),
            "--token-ttl" => builder = builder.token_ttl(Duration::from_secs(number(&flag, &value()?)?)),
            "--capture-after" => builder = builder.capture_after(Duration::from_secs(number(&flag, &value()?)?)),
            "--callback-schedule" => {
                let list = value()?;
                let delays = list
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| number(&flag, s.trim()).map(Duration::from_secs))
                    .collect::<Result<Vec<_>, _>>()?;
                builder = builder.callback_schedule(delays);
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(Some(Options { builder, quiet }))
}

/// `8380`, `127.0.0.1:8380` or `[::1]:8380`.
fn listen_addr(text: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    text.parse::<SocketAddr>()
        .map_err(|_| format!("--listen takes a port or a loopback address and port, not {text:?}"))
}

fn number(flag: &str, text: &str) -> Result<u64, String> {
    text.parse().map_err(|_| format!("{flag} takes a whole number, not {text:?}"))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sim = match options.builder.start().await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut events = sim.events();
    println!("OTT Pay simulator listening on {}", sim.base_url());
    for m in sim.merchants() {
        println!("  merchant {}: appId {}  appKey {}  signKey {}", m.merchant_id, m.app_id, m.app_key, m.sign_key);
    }
    println!("  pages: {0}/ (index), admin: {0}/_sim/payments; Ctrl-C stops it", sim.base_url());
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            event = events.recv() => match event {
                Ok(event) if !options.quiet => println!("{event}"),
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => println!("({n} events not shown)"),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            },
        }
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options() {
        assert!(matches!(parse(args("--help")), Ok(None)));
        assert!(parse(args("--listen 9000 --seed 4 --token-ttl 60 --callback-schedule 0,1,2 --quiet")).is_ok());
        assert!(parse(args("--merchant A:B:C:D --merchant E:F:G")).is_ok());
        assert!(parse(args("--merchant A:B")).is_err());
        assert!(parse(args("--seed x")).is_err());
        assert!(parse(args("--listen")).is_err());
        assert!(parse(args("--what")).is_err());
        assert_eq!(listen_addr("[::1]:80"), Ok(SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], 80))));
    }
}
