//! Calendar dates without a date library: checking `YYYY-MM-DD` and turning `SOURCE_DATE_EPOCH`
//! seconds into a UTC date (Howard Hinnant's `civil_from_days`). Only the proleptic Gregorian
//! calendar is needed, and pulling in chrono for two functions is not worth its weight.
use jixiao_core::civil_from_days;

/// Why a `YYYY-MM-DD` text is not a date (the message completes "`as_of` …").
pub(crate) fn check_iso_date(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!(
            "`as_of` is \"{text}\": write a date as YYYY-MM-DD, e.g. \"2024-03-01\""
        ));
    }
    // The shape check guarantees ASCII digits, so these slices and parses cannot fail.
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(0..4) as i64, num(5..7), num(8..10));
    if !(1..=12).contains(&month) {
        return Err(format!(
            "`as_of` is \"{text}\": month {month} does not exist (01 to 12)"
        ));
    }
    let last = days_in_month(year, month);
    if day == 0 || day > last {
        return Err(format!(
            "`as_of` is \"{text}\": day {day} does not exist ({year}-{month:02} has {last} days)"
        ));
    }
    Ok(())
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `SOURCE_DATE_EPOCH` (decimal seconds since 1970-01-01 00:00 UTC) → `YYYY-MM-DD`.
/// Per the reproducible-builds specification a malformed value is an error, not silently ignored.
pub(crate) fn date_from_epoch(value: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "SOURCE_DATE_EPOCH is \"{value}\": it must be whole seconds since 1970-01-01 UTC \
             (e.g. 1709251200); unset it or set `[pipeline] as_of`"
        )
    };
    let secs: i64 = value.trim().parse().map_err(|_| bad())?;
    // Years past 9999 do not fit `YYYY-MM-DD`.
    if !(0..=253_402_300_799).contains(&secs) {
        return Err(bad());
    }
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_checked_for_shape_month_and_day() {
        assert_eq!(check_iso_date("2024-02-29"), Ok(()));
        assert_eq!(check_iso_date("2000-02-29"), Ok(()));
        assert_eq!(
            check_iso_date("2023-02-29"),
            Err("`as_of` is \"2023-02-29\": day 29 does not exist (2023-02 has 28 days)".into())
        );
        assert_eq!(
            check_iso_date("1900-02-29"),
            Err("`as_of` is \"1900-02-29\": day 29 does not exist (1900-02 has 28 days)".into())
        );
        assert_eq!(
            check_iso_date("2024-13-01"),
            Err("`as_of` is \"2024-13-01\": month 13 does not exist (01 to 12)".into())
        );
        assert!(check_iso_date("2024-04-31").is_err());
        assert!(check_iso_date("2024-1-01").is_err());
        assert!(check_iso_date("2024/01/01").is_err());
        assert!(check_iso_date("２０２４-01-01").is_err());
        assert!(check_iso_date("2024-01-00").is_err());
    }

    #[test]
    fn epoch_seconds_become_utc_dates() {
        assert_eq!(date_from_epoch("0"), Ok("1970-01-01".into()));
        assert_eq!(date_from_epoch("86399"), Ok("1970-01-01".into()));
        assert_eq!(date_from_epoch("951782400"), Ok("2000-02-29".into()));
        assert_eq!(date_from_epoch("1709251200"), Ok("2024-03-01".into()));
        assert_eq!(date_from_epoch("1735689599"), Ok("2024-12-31".into()));
        assert_eq!(date_from_epoch("253402300799"), Ok("9999-12-31".into()));
        assert!(date_from_epoch("253402300800").is_err());
        assert!(date_from_epoch("-1").is_err());
        assert_eq!(
            date_from_epoch("soon"),
            Err(
                "SOURCE_DATE_EPOCH is \"soon\": it must be whole seconds since 1970-01-01 UTC \
                 (e.g. 1709251200); unset it or set `[pipeline] as_of`"
                    .into()
            )
        );
    }

    #[test]
    fn civil_from_days_agrees_with_counting_days() {
        // Walk 30 years day by day and compare with the month-length table.
        let (mut y, mut m, mut d) = (1970_i64, 1_u32, 1_u32);
        for days in 0..(30 * 366) {
            assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
            d += 1;
            if d > days_in_month(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }
}
