//! The time formats of OTT Pay's answers, rendered from the simulator's clock.
//!
//! The vendor writes times several ways (`../shared/ottpay-api.md` §5): wallet answers
//! `"Mar 13, 2023 9:52:19 AM"`, card answers `"2023-09-14 16:25:00 EDT"`, callbacks
//! `"2023-03-23 01:21:53"`. The card refund page says its times are always Eastern; the simulator
//! renders every time in Eastern Standard Time (UTC-5, no daylight saving), so the same instant
//! reads the same in every answer.

const EST_OFFSET_MS: i64 = -5 * 3600 * 1000;
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A broken-down Eastern time.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
}

fn civil(unix_ms: i64) -> Civil {
    let local = unix_ms.saturating_add(EST_OFFSET_MS).div_euclid(1000);
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil { year, month, day, hour: secs / 3600, minute: secs % 3600 / 60, second: secs % 60 }
}

/// `"Mar 13, 2023 9:52:19 AM"`: wallet status queries and refunds.
pub(crate) fn wallet(unix_ms: i64) -> String {
    let c = civil(unix_ms);
    let month = MONTHS.get(c.month.saturating_sub(1) as usize).copied().unwrap_or("Jan");
    let (hour, half) = match c.hour {
        0 => (12, "AM"),
        h @ 1..=11 => (h, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!("{month} {}, {} {hour}:{:02}:{:02} {half}", c.day, c.year, c.minute, c.second)
}

/// `"2023-09-14 16:25:00 EST"`: card payments and card refunds.
pub(crate) fn card(unix_ms: i64) -> String {
    format!("{} EST", plain(unix_ms))
}

/// `"2023-09-14 16:25:00"`: the callback's `finish_time`.
pub(crate) fn plain(unix_ms: i64) -> String {
    let c = civil(unix_ms);
    format!("{}-{:02}-{:02} {:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second)
}

/// The year (four digits) and month of an instant, for card expiry checks.
pub(crate) fn year_month(unix_ms: i64) -> (i64, u32) {
    let c = civil(unix_ms);
    (c.year, c.month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        // 2023-03-13 14:52:19 UTC = 09:52:19 EST
        let ms = 1_678_719_139_000;
        assert_eq!(wallet(ms), "Mar 13, 2023 9:52:19 AM");
        assert_eq!(card(ms), "2023-03-13 09:52:19 EST");
        assert_eq!(plain(ms), "2023-03-13 09:52:19");
        assert_eq!(wallet(ms + 6 * 3_600_000), "Mar 13, 2023 3:52:19 PM");
        assert_eq!(year_month(ms), (2023, 3));
        // midnight and the year boundary
        assert_eq!(plain(1_704_085_200_000), "2024-01-01 00:00:00");
        assert_eq!(wallet(1_704_085_200_000), "Jan 1, 2024 12:00:00 AM");
        assert_eq!(plain(0), "1969-12-31 19:00:00");
    }
}
