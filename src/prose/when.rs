//! When: incident and act dates as words, and in `add --date` notation.

use chrono::{Datelike, NaiveDate};

use crate::model::*;
use crate::vocab::*;

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

pub(super) fn month(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// `8 August 2021`.
pub(super) fn day_text(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month(d), d.year())
}

fn last_of_month(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|n| n.month() != d.month())
}

/// Whether `start` to `end` is one whole calendar month.
fn whole_month(start: NaiveDate, end: NaiveDate) -> bool {
    start.day() == 1
        && last_of_month(end)
        && (start.year(), start.month()) == (end.year(), end.month())
}

/// Whether `start` to `end` is one whole calendar year.
fn whole_year(start: NaiveDate, end: NaiveDate) -> bool {
    start.ordinal() == 1 && (end.month(), end.day()) == (12, 31) && start.year() == end.year()
}

/// Two days as compactly as reads well, joined by `sep`: `25 and 26
/// February 2021`, `28 February and 2 March 2021`.
fn span(a: NaiveDate, b: NaiveDate, sep: &str) -> String {
    if a.year() != b.year() {
        format!("{}{sep}{}", day_text(a), day_text(b))
    } else if a.month() != b.month() {
        format!("{} {}{sep}{}", a.day(), month(a), day_text(b))
    } else {
        format!("{}{sep}{}", a.day(), day_text(b))
    }
}

/// When, as the opening of the case's first sentence.
pub(super) fn date_phrase(rec: &IncidentRecord) -> String {
    let Some(start) = rec.date_start else {
        return "On a date that is not known".into();
    };
    let around = rec.date_approximate;
    let end = rec.date_end.filter(|e| *e != start);
    let Some(end) = end else {
        return format!(
            "{} {}",
            if around { "Around" } else { "On" },
            day_text(start)
        );
    };
    let in_or_around = if around { "Around" } else { "In" };
    if whole_month(start, end) {
        format!("{in_or_around} {} {}", month(start), start.year())
    } else if whole_year(start, end) {
        format!("{in_or_around} {}", start.year())
    } else if around {
        format!("Around {}", span(start, end, "–"))
    } else if end.pred_opt() == Some(start) && rec.date_as_reported.to_lowercase().contains("night")
    {
        format!("On the night of {}", span(start, end, "–"))
    } else {
        format!("Between {}", span(start, end, " and "))
    }
}

/// The date in `add --date` notation, for the CSV.
pub(super) fn date_code(rec: &IncidentRecord) -> String {
    let Some(start) = rec.date_start else {
        return String::new();
    };
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let mut code = match rec.date_end.filter(|e| *e != start) {
        None => iso(start),
        Some(end) if whole_month(start, end) => start.format("%Y-%m").to_string(),
        Some(end) if whole_year(start, end) => start.format("%Y").to_string(),
        Some(end) => format!("{}/{}", iso(start), iso(end)),
    };
    if rec.date_approximate {
        code.push('?');
    }
    code
}

/// When an act happened, when its own date differs from the incident's
/// (shot on 6 July, died on 15 July): " on 15 July 2021".
pub(super) fn act_date(act: &ActRecord, incident: Option<NaiveDate>) -> String {
    let Some(start) = act.date_start.filter(|d| Some(*d) != incident) else {
        return String::new();
    };
    match act.date_precision {
        None | Some(DatePrecision::Day) => format!(" on {}", day_text(start)),
        Some(DatePrecision::Month) => format!(" in {} {}", month(start), start.year()),
        Some(DatePrecision::Year) => format!(" in {}", start.year()),
        Some(DatePrecision::Week | DatePrecision::Unknown) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn on(date: &str, end: Option<&str>, approximate: bool, reported: &str) -> String {
        let rec = IncidentRecord {
            date_start: Some(date.parse().unwrap()),
            date_end: end.map(|e| e.parse().unwrap()),
            date_approximate: approximate,
            date_as_reported: reported.into(),
            ..IncidentRecord::default()
        };
        date_phrase(&rec)
    }

    #[test]
    fn dates_read_as_precisely_as_they_are_known() {
        assert_eq!(on("2021-08-08", None, false, ""), "On 8 August 2021");
        assert_eq!(on("2021-08-08", None, true, ""), "Around 8 August 2021");
        assert_eq!(
            on("2021-08-01", Some("2021-08-31"), false, ""),
            "In August 2021"
        );
        assert_eq!(
            on("2021-02-01", Some("2021-02-28"), true, ""),
            "Around February 2021"
        );
        assert_eq!(on("2021-01-01", Some("2021-12-31"), false, ""), "In 2021");
        assert_eq!(
            on(
                "2021-02-25",
                Some("2021-02-26"),
                false,
                "night of 25 February"
            ),
            "On the night of 25–26 February 2021"
        );
        assert_eq!(
            on("2021-02-25", Some("2021-02-26"), false, ""),
            "Between 25 and 26 February 2021"
        );
        assert_eq!(
            on("2021-02-27", Some("2021-03-02"), false, ""),
            "Between 27 February and 2 March 2021"
        );
        assert_eq!(
            on("2020-12-30", Some("2021-01-02"), true, ""),
            "Around 30 December 2020–2 January 2021"
        );
        assert_eq!(
            date_phrase(&IncidentRecord::default()),
            "On a date that is not known"
        );
    }
}
