//! RFC 3339 date-times (§5.6) for TLS-RPT reports, read and written without
//! a clock: the caller gives times as Unix seconds.

use std::fmt;
use std::str::FromStr;

use nom::branch::alt;
use nom::bytes::complete::{tag, take, take_while, take_while_m_n};
use nom::character::complete::one_of;
use nom::combinator::all_consuming;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::report::ReportError;
use crate::civil::{civil_from_days, days_from_civil};
use crate::message::quote_short;

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
///
/// The grammar is RFC 3339 §5.6's, one nom parser per rule, on the bytes
/// (every byte of a date-time is ASCII); nom's errors stop here, each
/// turned into the clause that says what is wrong. The ranges are checked
/// in reading order: date, time, fraction, offset.
pub(crate) fn parse(s: &str) -> Result<(DateTime, bool), String> {
    let shape = || "expected an RFC 3339 date-time such as \"2024-03-26T00:00:00Z\"".to_owned();
    let Ok((rest, ((year, month, day), _, (hour, minute, second)))) =
        (full_date, one_of("Tt"), partial_time_hms).parse(s.as_bytes())
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
    let (rest, nanos) = match time_secfrac(rest) {
        Ok((rest, digits)) if !digits.is_empty() => (rest, nanos_of(digits)),
        Ok(_) => return Err("a '.' must be followed by the digits of a fraction".to_owned()),
        Err(_) => (rest, 0),
    };
    // The text from the offset on (the bytes read so far are ASCII).
    let tail = &s[s.len() - rest.len()..];
    let (offset, has_offset) = if rest.is_empty() {
        (0, false)
    } else {
        match time_offset(rest) {
            Ok((b"", Offset::Z)) => (0, true),
            Ok((b"", Offset::Num(sign, hours, minutes))) => {
                let (Some(oh), Some(om)) = (number(hours), number(minutes)) else {
                    return Err(shape());
                };
                if oh > 23 || om > 59 {
                    return Err(format!("the offset {} is out of range", quote_short(tail)));
                }
                let offset = oh * 3600 + om * 60;
                (if sign == '-' { -offset } else { offset }, true)
            }
            _ => {
                return Err(format!(
                    "unexpected text {} after the time",
                    quote_short(tail)
                ));
            }
        }
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

type Bytes<'a> = &'a [u8];

/// `full-date = date-fullyear "-" date-month "-" date-mday`.
fn full_date(input: Bytes<'_>) -> IResult<Bytes<'_>, (i64, i64, i64)> {
    (date_fullyear, tag("-"), date_month, tag("-"), date_mday)
        .map(|(year, _, month, _, day)| (year, month, day))
        .parse(input)
}

/// `date-fullyear = 4DIGIT`.
fn date_fullyear(input: Bytes<'_>) -> IResult<Bytes<'_>, i64> {
    digits(4).parse(input)
}

/// `date-month = 2DIGIT` (01–12, checked by the caller).
fn date_month(input: Bytes<'_>) -> IResult<Bytes<'_>, i64> {
    digits(2).parse(input)
}

/// `date-mday = 2DIGIT` (01–28, 29, 30, 31 by month, checked by the
/// caller).
fn date_mday(input: Bytes<'_>) -> IResult<Bytes<'_>, i64> {
    digits(2).parse(input)
}

/// `time-hour ":" time-minute ":" time-second`, the start of
/// `partial-time` (each `2DIGIT`; ranges checked by the caller).
fn partial_time_hms(input: Bytes<'_>) -> IResult<Bytes<'_>, (i64, i64, i64)> {
    (digits(2), tag(":"), digits(2), tag(":"), digits(2))
        .map(|(hour, _, minute, _, second)| (hour, minute, second))
        .parse(input)
}

/// `time-secfrac = "." 1*DIGIT`: the digits, which the caller needs to be
/// at least one.
fn time_secfrac(input: Bytes<'_>) -> IResult<Bytes<'_>, Bytes<'_>> {
    preceded(tag("."), take_while(|b: u8| b.is_ascii_digit())).parse(input)
}

/// A `time-offset`.
enum Offset<'a> {
    Z,
    /// The sign, then the hour and minute as written (two bytes each).
    Num(char, Bytes<'a>, Bytes<'a>),
}

/// `time-offset = "Z" / time-numoffset` (a lowercase `z` too, RFC 3339
/// §5.6's note); `time-numoffset = ("+" / "-") time-hour ":" time-minute`,
/// its two-byte fields read as written so that the caller can tell a
/// non-digit from a wrong length.
fn time_offset(input: Bytes<'_>) -> IResult<Bytes<'_>, Offset<'_>> {
    alt((
        one_of("Zz").map(|_| Offset::Z),
        (one_of("+-"), take(2usize), tag(":"), take(2usize))
            .map(|(sign, hours, _, minutes)| Offset::Num(sign, hours, minutes)),
    ))
    .parse(input)
}

/// Exactly `len` digits, as a number.
fn digits<'a>(
    len: usize,
) -> impl Parser<Bytes<'a>, Output = i64, Error = nom::error::Error<Bytes<'a>>> {
    take_while_m_n(len, len, |b: u8| b.is_ascii_digit()).map(|d: Bytes<'_>| {
        d.iter()
            .fold(0, |n, digit| n * 10 + i64::from(digit - b'0'))
    })
}

/// Two digits as a number, `None` if they are not digits.
fn number(two: Bytes<'_>) -> Option<i64> {
    all_consuming(digits(2)).parse(two).ok().map(|(_, n)| n)
}

/// The nanoseconds of a fraction's digits (those after the ninth are
/// ignored).
fn nanos_of(digits: Bytes<'_>) -> u32 {
    digits
        .iter()
        .take(9)
        .zip((0..9).rev())
        .map(|(d, power)| u32::from(d - b'0') * 10u32.pow(power))
        .sum()
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
