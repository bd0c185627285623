//! RFC 3339 date-times (§5.6) for TLS-RPT reports, read and written without
//! a clock: the caller gives times as Unix seconds.

use std::fmt;
use std::str::FromStr;

use super::report::ReportError;
use crate::civil::{civil_from_days, days_from_civil};

/// Seconds in a day.
const DAY: i64 = 86_400;
/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z as Unix seconds: the
/// years a four-digit `date-fullyear` can name.
const MIN_SECS: i64 = -62_167_219_200;
const MAX_SECS: i64 = 253_402_300_799;

/// An instant, as an RFC 3339 `date-time` names it (RFC 8460 §4.4).
///
/// Stored as Unix seconds plus nanoseconds, in the years 0000 to 9999 UTC.
/// Reading accepts any offset (`Z`, `+02:00`, `-00:00`), a lowercase `t` or
/// `z`, fractional seconds (digits after the ninth are ignored) and a leap
/// second `23:59:60` in UTC (the same instant as the next day's
/// `00:00:00`). It rejects what RFC 3339 rejects: a day the month does not
/// have (`2024-02-30`), an hour above 23, an offset above 23:59, a missing
/// `T`, and a missing offset (which lenient report parsing reads as UTC,
/// SEMANTICS G3). [`Display`](fmt::Display) writes UTC with a `Z` offset
/// and no fraction unless there is one; it parses back to an equal value.
///
/// ```
/// use mta_sts::tlsrpt::DateTime;
///
/// let start: DateTime = "2016-04-01T02:00:00+02:00".parse()?;
/// assert_eq!(start.unix_seconds(), 1_459_468_800);
/// assert_eq!(start.to_string(), "2016-04-01T00:00:00Z");
/// assert_eq!(DateTime::from_unix(1_459_468_800), Some(start));
///
/// let err = "2024-02-30T00:00:00Z".parse::<DateTime>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid date-time \"2024-02-30T00:00:00Z\": February 2024 has 29 days"
/// );
/// # Ok::<(), mta_sts::tlsrpt::ReportError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

impl DateTime {
    /// The instant `secs` seconds after 1970-01-01T00:00:00Z; `None`
    /// outside the years 0000 to 9999.
    #[must_use]
    pub fn from_unix(secs: i64) -> Option<DateTime> {
        (MIN_SECS..=MAX_SECS)
            .contains(&secs)
            .then_some(DateTime { secs, nanos: 0 })
    }

    /// This instant's second with its fraction set to `nanos` nanoseconds
    /// (at most 999 999 999; larger values are clamped to it).
    #[must_use]
    pub fn with_nanos(self, nanos: u32) -> DateTime {
        DateTime {
            nanos: nanos.min(999_999_999),
            ..self
        }
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before it).
    #[must_use]
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// The fraction of the second, in nanoseconds.
    #[must_use]
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The start of this instant's UTC day (`00:00:00Z`).
    #[must_use]
    pub fn start_of_day(&self) -> DateTime {
        DateTime {
            secs: self.secs - self.secs.rem_euclid(DAY),
            nanos: 0,
        }
    }
}

impl FromStr for DateTime {
    type Err = ReportError;

    /// Reads an RFC 3339 `date-time`; the error (code
    /// `report-invalid-datetime`, no path) says what is wrong.
    fn from_str(s: &str) -> Result<DateTime, ReportError> {
        match parse(s) {
            Ok((time, true)) => Ok(time),
            Ok((_, false)) => Err(ReportError::datetime("", s, NO_OFFSET)),
            Err(why) => Err(ReportError::datetime("", s, &why)),
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(DAY);
        let time = self.secs.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            time / 3600,
            time / 60 % 60,
            time % 60
        )?;
        if self.nanos > 0 {
            let digits = format!("{:09}", self.nanos);
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

/// Why a date-time without an offset is refused in strict mode.
pub(crate) const NO_OFFSET: &str =
    "it has no UTC offset (RFC 3339 needs \"Z\" or \"+hh:mm\" at the end)";

/// Reads `YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|-hh:mm)`; the offset may be
/// missing (the flag is then `false` and the time is read as UTC). On
/// failure, why, as a clause for "invalid date-time \"…\": {why}".
pub(crate) fn parse(s: &str) -> Result<(DateTime, bool), String> {
    let shape = || "expected an RFC 3339 date-time such as \"2024-03-26T00:00:00Z\"".to_owned();
    let b = s.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let at = |i: usize, chars: &[u8]| b.get(i).is_some_and(|c| chars.contains(c));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt") && at(13, b":") && at(16, b":")) {
        return Err(shape());
    }
    let fields = (
        digits(0, 4),
        digits(5, 2),
        digits(8, 2),
        digits(11, 2),
        digits(14, 2),
        digits(17, 2),
    );
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = fields
    else {
        return Err(shape());
    };
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month:02}"));
    }
    let month_days = days_in_month(year, month);
    if day < 1 || day > month_days {
        return Err(format!(
            "{} {year:04} has {month_days} days",
            MONTHS[(month - 1) as usize]
        ));
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!(
            "the time {hour:02}:{minute:02}:{second:02} is out of range"
        ));
    }
    let mut i = 19;
    let mut nanos = 0u32;
    if at(i, b".") {
        let count = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if count == 0 {
            return Err("a '.' must be followed by the digits of a fraction".to_owned());
        }
        for (k, d) in b[i + 1..i + 1 + count.min(9)].iter().enumerate() {
            nanos += u32::from(d - b'0') * 10u32.pow(8 - k as u32);
        }
        i += 1 + count;
    }
    let (offset, has_offset) = match b.get(i) {
        None => (0, false),
        Some(b'Z' | b'z') if i + 1 == b.len() => (0, true),
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && at(i + 3, b":") => {
            let (Some(oh), Some(om)) = (digits(i + 1, 2), digits(i + 4, 2)) else {
                return Err(shape());
            };
            if oh > 23 || om > 59 {
                return Err(format!("the offset {:?} is out of range", &s[i..]));
            }
            let offset = oh * 3600 + om * 60;
            (if *sign == b'-' { -offset } else { offset }, true)
        }
        Some(_) => return Err(format!("unexpected text {:?} after the time", &s[i..])),
    };
    let leap = second == 60;
    let local = days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60;
    let secs = local + second.min(59) - offset;
    if leap && (secs + 1).rem_euclid(DAY) != 0 {
        return Err("a leap second is 23:59:60 in UTC only".to_owned());
    }
    let secs = secs + i64::from(leap);
    match DateTime::from_unix(secs) {
        Some(time) => Ok((time.with_nanos(nanos), has_offset)),
        None => Err("it falls outside the years 0000 to 9999 in UTC".to_owned()),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
