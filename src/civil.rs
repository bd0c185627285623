//! Proleptic Gregorian dates and day counts since 1970-01-01, for the one
//! conversion both the TXT id made from a time and the TLS-RPT date-times
//! need (Howard Hinnant's `days_from_civil` and `civil_from_days`).

/// Days since 1970-01-01 of a proleptic Gregorian date, counting years in
/// 400-year eras of 146 097 days that start on March 1st (so that the leap
/// day is the last day of its year).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip_from_year_0_to_9999() {
        // 0000-01-01 and 9999-12-31, the range RFC 3339 years can write.
        let (first, last) = (-719_528, 2_932_896);
        let mut day = first;
        while day <= last {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day, "{y}-{m}-{d}");
            day += 97;
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(first), (0, 1, 1));
        assert_eq!(civil_from_days(last), (9999, 12, 31));
        assert_eq!(civil_from_days(20_057), (2024, 11, 30));
    }
}
