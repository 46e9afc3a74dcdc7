//! The PDF's document date: fixed, so the same content always gives the same file. It is the
//! report's publication date (`published` of `year.toml`, a Persian date such as
//! `اردیبهشت ماه ۱۴۰۱`, its first day when no day is given), else `SOURCE_DATE_EPOCH`, else none.

use icu_calendar::types::RataDie;
use icu_calendar::{Date, Iso};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Hour, minute and second (UTC), for a date from `SOURCE_DATE_EPOCH`.
    pub time: Option<(u8, u8, u8)>,
}

impl DocumentDate {
    /// The date as a Typst `datetime`.
    pub fn typst(&self) -> String {
        let date = format!(
            "datetime(year: {}, month: {}, day: {}",
            self.year, self.month, self.day
        );
        match self.time {
            Some((h, m, s)) => format!("{date}, hour: {h}, minute: {m}, second: {s})"),
            None => format!("{date})"),
        }
    }
}

/// The document date of a report published `published`, with `epoch` the value of
/// `SOURCE_DATE_EPOCH` if set.
pub fn document_date(published: &str, epoch: Option<&str>) -> Result<Option<DocumentDate>, String> {
    if let Some(date) = persian_date(published) {
        return Ok(Some(date));
    }
    epoch.map(from_epoch).transpose()
}

const MONTHS: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// `اردیبهشت ماه ۱۴۰۱` or `۲۱ اردیبهشت ۱۴۰۱` as a Gregorian date.
fn persian_date(text: &str) -> Option<DocumentDate> {
    let normal: String = text
        .chars()
        .map(|c| match c {
            'ي' => 'ی',
            'ك' => 'ک',
            '۰'..='۹' => char::from(b'0' + (u32::from(c) - u32::from('۰')) as u8),
            '\u{200c}' | '،' | ',' | '/' | '-' => ' ',
            c => c,
        })
        .collect();
    let words: Vec<&str> = normal.split_whitespace().collect();
    let month = words.iter().find_map(|w| {
        let w = if *w == "امرداد" {
            "مرداد"
        } else {
            w
        };
        MONTHS.iter().position(|m| *m == w)
    })?;
    let numbers: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let year: i32 = numbers.iter().find(|n| n.len() >= 3)?.parse().ok()?;
    let day: u8 = numbers
        .iter()
        .find(|n| n.len() <= 2)
        .map_or(Some(1), |d| d.parse().ok())?;
    let month = u8::try_from(month + 1).ok()?;
    let iso = Date::try_new_persian(year, month, day)
        .ok()?
        .to_calendar(Iso);
    Some(DocumentDate {
        year: iso.year().extended_year(),
        month: iso.month().ordinal,
        day: iso.day_of_month().0,
        time: None,
    })
}

/// The Unix epoch's day in the count icu_calendar converts from.
const UNIX_EPOCH_RATA_DIE: i64 = 719_163;

/// `SOURCE_DATE_EPOCH`: seconds since 1970-01-01 UTC.
fn from_epoch(value: &str) -> Result<DocumentDate, String> {
    let seconds: i64 = value.trim().parse().map_err(|_| {
        format!("SOURCE_DATE_EPOCH: `{value}` is not a number of seconds since 1970-01-01")
    })?;
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let date = Date::from_rata_die(RataDie::new(UNIX_EPOCH_RATA_DIE + days), Iso);
    let part = |n: i64| u8::try_from(n).unwrap_or_default();
    Ok(DocumentDate {
        year: date.year().extended_year(),
        month: date.month().ordinal,
        day: date.day_of_month().0,
        time: Some((
            part(of_day / 3600),
            part(of_day / 60 % 60),
            part(of_day % 60),
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(d: DocumentDate) -> (i32, u8, u8) {
        (d.year, d.month, d.day)
    }

    #[test]
    fn the_persian_publication_month_is_its_first_day() {
        let date = document_date("اردیبهشت ماه ۱۴۰۱", None).unwrap().unwrap();
        assert_eq!(ymd(date), (2022, 4, 21));
        assert_eq!(date.typst(), "datetime(year: 2022, month: 4, day: 21)");
        let day = persian_date("۲۹ اسفند 1400").unwrap();
        assert_eq!(ymd(day), (2022, 3, 20));
        assert_eq!(ymd(persian_date("فروردين‌ماه ۱۴۰۰").unwrap()), (2021, 3, 21));
    }

    #[test]
    fn source_date_epoch_is_used_when_the_date_is_not_a_persian_date() {
        let date = document_date("بهار", Some("1650499200")).unwrap().unwrap();
        assert_eq!(ymd(date), (2022, 4, 21));
        assert_eq!(date.time, Some((0, 0, 0)));
        let date = from_epoch("86399").unwrap();
        assert_eq!((ymd(date), date.time), ((1970, 1, 1), Some((23, 59, 59))));
        assert_eq!(document_date("بهار", None), Ok(None));
        assert!(
            document_date("", Some("soon"))
                .unwrap_err()
                .contains("SOURCE_DATE_EPOCH")
        );
    }
}
