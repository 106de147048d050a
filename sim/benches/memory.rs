//! The simulator's memory after 100,000 orders: starts the `ottpay-sim` binary in its own
//! process, takes 100,000 `alipay_wap_pay` payments through `ottpay::Client` (32 in flight), and
//! reads the process's resident set size (Linux `/proc/PID/status`, `VmRSS`) before and after.
//!
//! ```text
//! cargo bench -p ottpay-sim --bench memory            # 100,000 orders
//! ORDERS=10000 cargo bench -p ottpay-sim --bench memory
//! ```

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ottpay::{AlipayWapPayRequest, Cents, Client};
use ottpay_sim::Merchant;

const IN_FLIGHT: usize = 32;

fn main() {
    if let Err(e) = run() {
        eprintln!("memory bench: {e}");
        std::process::exit(1);
    }
}

/// Kills the simulator process when the bench ends, however it ends.
struct Sim(Child);

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run() -> Result<(), String> {
    // `cargo bench` passes `--bench`; the only option read here is the ORDERS variable.
    let orders: usize = std::env::var("ORDERS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_ottpay-sim"))
        .args(["--listen", &port.to_string(), "--quiet", "--seed", "1"])
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the simulator: {e}"))?;
    let sim = Sim(child);
    let pid = sim.0.id();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let m = Merchant::demo();
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}"))
            .credentials(m.app_id.as_str(), m.app_key.as_str())
            .request_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?;
        let request = AlipayWapPayRequest::new(
            Cents::new(1000),
            "http://127.0.0.1:9/ottpay/callback",
            "http://127.0.0.1:9/thanks",
        )
        .remark("order 42");
        // Wait for the simulator to listen, then take one payment (token, warm caches).
        let started = Instant::now();
        while client.alipay_wap_pay(&request).await.is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                return Err("the simulator did not answer within 30 s".to_owned());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let before = rss_kib(pid)?;
        let clock = Instant::now();
        let mut done = 1;
        while done < orders + 1 {
            let batch = IN_FLIGHT.min(orders + 1 - done);
            let mut calls = tokio::task::JoinSet::new();
            for _ in 0..batch {
                let (client, request) = (client.clone(), request.clone());
                calls.spawn(async move { client.alipay_wap_pay(&request).await.map(|_| ()) });
            }
            for outcome in calls.join_all().await {
                outcome.map_err(|e| e.to_string())?;
            }
            done += batch;
        }
        let elapsed = clock.elapsed();
        let after = rss_kib(pid)?;
        let grown = after.saturating_sub(before);
        println!("orders:               {orders} (plus 1 warm-up)");
        println!(
            "time:                 {:.1} s ({:.0} orders/s, {IN_FLIGHT} in flight)",
            elapsed.as_secs_f64(),
            orders as f64 / elapsed.as_secs_f64()
        );
        println!("RSS after 1 order:    {:.1} MiB", before as f64 / 1024.0);
        println!("RSS after {orders}: {:.1} MiB", after as f64 / 1024.0);
        println!(
            "growth:               {:.1} MiB, {:.0} bytes per order",
            grown as f64 / 1024.0,
            grown as f64 * 1024.0 / orders as f64
        );
        Ok(())
    })
}

/// The resident set size of `pid` in KiB (Linux).
fn rss_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("cannot read /proc/{pid}/status (Linux only): {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS line".to_owned())
}
