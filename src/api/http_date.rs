//! `Retry-After` parsing: delta-seconds or an HTTP-date (RFC 9110, section
//! 5.6.7), without a date library and without reading the clock.

/// Month names, three bytes each. One string compiles to less WebAssembly
/// than an array of strings.
const MONTHS: &[u8; 36] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
/// Short day names, three bytes each.
const SHORT_DAYS: &[u8; 21] = b"MonTueWedThuFriSatSun";
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Parses a `Retry-After` header value into a wait in seconds from `now`.
///
/// Accepts delta-seconds (ASCII digits only) and the three HTTP-date forms:
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), obsolete RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
/// `now` is unix seconds. A date in the past gives 0. Delta-seconds too large
/// for `u64` saturate to `u64::MAX`. Anything else returns `None`.
///
/// The day name must be a valid name of its form, but it is not checked
/// against the date, so a server with a wrong weekday still gets its wait.
pub fn parse_retry_after(value: &str, now: i64) -> Option<u64> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse::<u64>().unwrap_or(u64::MAX));
    }

    let at = parse_http_date(value, now)?;
    Some(u64::try_from(at.saturating_sub(now)).unwrap_or(0))
}

/// Parses any of the three HTTP-date forms into unix seconds. `now` is needed
/// only to place the two-digit year of the RFC 850 form.
fn parse_http_date(value: &str, now: i64) -> Option<i64> {
    let mut parts = [""; 6];
    let mut count = 0;
    for part in value.split_ascii_whitespace() {
        *parts.get_mut(count)? = part;
        count += 1;
    }
    match &parts[..count] {
        [day_name, day, month, year, time, "GMT"] => {
            let day_name = day_name.strip_suffix(',')?;
            if !is_short_day(day_name) || day.len() != 2 || year.len() != 4 {
                return None;
            }
            to_unix(number(year)?, month_number(month)?, number(day)?, time)
        }
        [day_name, date, time, "GMT"] => {
            let day_name = day_name.strip_suffix(',')?;
            if !LONG_DAYS.contains(&day_name) {
                return None;
            }
            // `DD-Mon-YY`: the hyphens are ASCII, so the cuts are character
            // boundaries.
            let bytes = date.as_bytes();
            if bytes.len() != 9 || bytes[2] != b'-' || bytes[6] != b'-' {
                return None;
            }
            let year = full_year(number(&date[7..])?, now);
            to_unix(year, month_number(&date[3..6])?, number(&date[..2])?, time)
        }
        [day_name, month, day, time, year] => {
            if !is_short_day(day_name) || day.len() > 2 || year.len() != 4 {
                return None;
            }
            to_unix(number(year)?, month_number(month)?, number(day)?, time)
        }
        _ => None,
    }
}

/// Places a two-digit year per RFC 9110: a year that would be more than 50
/// years after `now` means the most recent past year with those digits.
fn full_year(two_digits: i64, now: i64) -> i64 {
    // Clamping to years 1970..=9999 keeps the arithmetic far from overflow
    // for any `now` a caller can pass.
    let now = now.clamp(0, 253_402_300_799);
    let current_year = civil_from_days(now.div_euclid(86_400));
    let mut year = current_year - current_year.rem_euclid(100) + two_digits;
    if year > current_year + 50 {
        year -= 100;
    }
    year
}

fn month_number(name: &str) -> Option<i64> {
    let index = MONTHS
        .chunks(3)
        .position(|month| month == name.as_bytes())?;
    Some(index as i64 + 1)
}

fn is_short_day(name: &str) -> bool {
    SHORT_DAYS.chunks(3).any(|day| day == name.as_bytes())
}

/// Parses 1 to 4 ASCII digits. Longer runs are never valid in a date field.
fn number(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 4 {
        return None;
    }
    let mut value = 0;
    for byte in text.bytes() {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(byte - b'0');
    }
    Some(value)
}

/// Combines a validated date and an `HH:MM:SS` time into unix seconds.
fn to_unix(year: i64, month: i64, day: i64, time: &str) -> Option<i64> {
    let bytes = time.as_bytes();
    if bytes.len() != 8 || bytes[2] != b':' || bytes[5] != b':' {
        return None;
    }
    // The colons are ASCII, so the cuts around them are character boundaries.
    let hour = number(&time[..2])?;
    let minute = number(&time[3..5])?;
    let second = number(&time[6..])?;

    // Second 60 is a leap second, which the grammar allows.
    if day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }

    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Counts days from 1970-01-01 to a proleptic Gregorian date, using Howard
/// Hinnant's `days_from_civil` algorithm (eras of 400 years).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Returns the year containing the given day count from 1970-01-01
/// (the inverse of `days_from_civil`, keeping only the year).
fn civil_from_days(days: i64) -> i64 {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let year = year_of_era + era * 400;
    if shifted_month >= 10 {
        year + 1
    } else {
        year
    }
}
