//! Hostile input (SECURITY R19, R25): one table of bad inputs across `add`
//! (flags and `--file`), `edit`, `import` in every format and the list
//! filters. Each is refused with one reason naming the value (and, for a
//! file, its row and column), exit 1, nothing on stdout, and the registry
//! file unchanged byte for byte, with no journal left beside it. What is
//! odd but legitimate (bidi controls, spreadsheet formulas, markup) is
//! stored verbatim and printed back as it was given.

use std::path::Path;

use crate::Sandbox;

/// One hostile input: what it is, the command, a file it reads (written
/// into the sandbox under that name first), and the whole stderr expected.
struct Case {
    what: &'static str,
    args: Vec<String>,
    file: Option<(&'static str, Vec<u8>)>,
    stderr: String,
}

fn case(what: &'static str, args: &[&str], stderr: &str) -> Case {
    Case {
        what,
        args: args.iter().map(|a| a.to_string()).collect(),
        file: None,
        stderr: format!("pressreg: {stderr}\n"),
    }
}

/// A case reading `name`, whose bytes are `bytes`; `stderr` is given whole
/// (an import lists its bad rows before the `pressreg:` line).
fn reading(
    what: &'static str,
    name: &'static str,
    bytes: impl Into<Vec<u8>>,
    args: &[&str],
    stderr: &str,
) -> Case {
    Case {
        what,
        args: args.iter().map(|a| a.to_string()).collect(),
        file: Some((name, bytes.into())),
        stderr: stderr.to_string(),
    }
}

/// `add` from flags: a valid incident's flags, each unless `extra` gives
/// it, then `extra`.
fn add(extra: &[&str]) -> Vec<String> {
    let mut args = vec!["add".to_string()];
    for (flag, value) in [
        ("--country", "AF"),
        ("--victim", "V"),
        ("--act", "killed"),
        ("--date", "2021-08-08"),
    ] {
        if !extra.contains(&flag) {
            args.extend([flag.to_string(), value.to_string()]);
        }
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

fn add_case(what: &'static str, extra: &[&str], stderr: &str) -> Case {
    Case {
        args: add(extra),
        ..case(what, &[], stderr)
    }
}

fn edit_case(what: &'static str, set: &str, stderr: &str) -> Case {
    case(
        what,
        &["edit", "AF-2021-0001", "--set", set, "--reason", "hostile"],
        stderr,
    )
}

/// A minimal incident as JSON with `extra` fields spliced in.
fn incident(extra: &str) -> Vec<u8> {
    format!(r#"{{"country":"AF","title":"T"{extra}}}"#).into_bytes()
}

/// `incident` as one JSONL line.
fn line(extra: &str) -> Vec<u8> {
    [incident(extra), b"\n".to_vec()].concat()
}

/// The header of pressreg's own CSV (as `export --format csv` writes it).
const NATIVE_HEADER: &str = "incident_ref,incident_uid,date_start,date_end,date_precision,date_approximate,date_as_reported,calendar,country,admin1,admin2,locality,place,latitude,longitude,geo_precision,context,verification,work_link,justice,confidentiality,title,summary,victim_position,victim_uid,victim_name,name_variants,anonymous,sex,age,nationality,local_or_foreign,category,employment,jobs,mediums,outlet,beats,status,victim_confidentiality,act_uid,act_type,death_context,method,act_date_start,act_date_end,act_date_precision,perpetrators,perpetrator_types,attribution_basis,attribution_confidence,source_urls,source_publishers";

/// A native CSV file of one incident row, with `title` (written as is: the
/// caller quotes it) and `date` in their columns.
fn native(date: &str, title: &str) -> Vec<u8> {
    format!(
        "{NATIVE_HEADER}\nZZ-2021-0001,,{date},,day,false,{date},gregorian,AF,,,,,,,0,unknown,\
         reported,unknown,no_information,public,{title},,1,,V,,false,unknown,,,,journalist,\
         unknown,,,,,unknown,public,,killed,,unknown,,,,,,,,,\n"
    )
    .into_bytes()
}

/// The U.S. Press Freedom Tracker's header (as tests/uspft.rs has it).
const USPFT_HEADER: &str = "title,slug,first_published_at,last_published_at,latest_revision_created_at,authors,updates,categories,links,equipment_seized,equipment_broken,targeted_journalists,date,exact_date_unknown,affiliation,city,state,body,teaser,teaser_image,primary_video,image_caption,arrest_status,status_of_charges,release_date,detention_date,unnecessary_use_of_force,lawsuit_name,status_of_seized_equipment,is_search_warrant_obtained,actor,border_point,stopped_at_border,target_us_citizenship_status,denial_of_entry,stopped_previously,did_authorities_ask_for_device_access,did_authorities_ask_for_social_media_user,did_authorities_ask_for_social_media_pass,did_authorities_ask_about_work,were_devices_searched_or_seized,assailant,was_journalist_targeted,charged_under_espionage_act,subpoena_type,subpoena_statuses,held_in_contempt,detention_status,third_party_in_possession_of_communications,third_party_business,legal_order_type,status_of_prior_restraint,targets,targeted_institutions,tags,current_charges,dropped_charges,venue,target_nationality,workers_whose_communications_were_obtained,targets_whose_communications_were_obtained,politicians_or_public_figures_involved";

fn uspft(date: &str, published: &str, body: &str) -> Vec<u8> {
    format!(
        "{USPFT_HEADER}\nTitle a,https://pressfreedomtracker.us/all-incidents/a/,{published},\
         None,None,,,\"Physical Attack\",,,,TargetedJournalist object (1),{date},False,WKBW,Buffalo,\
         New York,\"{body}\",,None,None,,None,None,None,None,False,None,None,False,None,None,False,\
         None,False,False,None,None,None,None,None,private individual,yes,False,None,[],None,None,\
         None,None,None,None,,,,,,,,,,\n"
    )
    .into_bytes()
}

/// CPJ's current download header (as tests/cpj.rs has it).
const CPJ_HEADER: &str = "status,entry_date,ambiguous_entry_date,journalist/media worker_name,role,country,city,motive,type_of_death,source_of_fire,threatened,tortured,held_captive,impunity,gender,employed_as,organization,local_or_foreign,beats_covered,mediums,job,cpj.org_url,confirmed work related or unconfirmed (may be work related)";

fn cpj(date: &str, name: &str) -> Vec<u8> {
    format!(
        "{CPJ_HEADER}\r\nKilled,{date},,{name},Journalist,Afghanistan,Kabul,Confirmed,\
         Murder,Military Officials,,,,,Female,Staff,Radio X,Local,War,Radio,Editor,\
         https://cpj.org/data/people/x/,Journalist - Confirmed\r\n"
    )
    .into_bytes()
}

const MIB: usize = 1 << 20;

/// The table. Each line: what the input is, the command and its file, and
/// the whole refusal (for `case`, `add_case` and `edit_case` the one
/// `pressreg:` line without its prefix).
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let big = "x".repeat(50 * MIB);
    let over_field = "y".repeat(MIB + 1);
    let latin1_csv: Vec<u8> = native("2021-08-08", "caf@").into_iter().map(|b| if b == b'@' { 0xE9 } else { b }).collect();
    vec![
        // add, from flags
        add_case("unknown country", &["--country", "ZZ"], "--country: unknown country 'ZZ' (accepted: an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)"),
        add_case("empty country", &["--country", ""], "--country: unknown country '' (accepted: an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)"),
        add_case("impossible day", &["--date", "2021-02-30"], "--date: '2021-02-30' is not a date: day 30 does not exist in that month"),
        add_case("future day", &["--date", "2022-01-01"], "--date: '2022-01-01' is in the future (today is 2021-12-31)"),
        add_case("range ending in the future", &["--date", "2021-01-01/2030-01-01"], "--date: '2021-01-01/2030-01-01' ends in the future (today is 2021-12-31)"),
        add_case("range ending before it starts", &["--date", "2021-08-09/2021-08-08"], "--date: '2021-08-09/2021-08-08' is not a date range: it ends before it starts"),
        add_case("year before 1900", &["--date", "1850"], "--date: '1850' falls before 1900-01-01 (accepted: dates from 1900 on)"),
        add_case("year 0001", &["--date", "0001-01-01"], "--date: '0001-01-01' falls before 1900-01-01 (accepted: dates from 1900 on)"),
        add_case("Solar Hijri year before 1900", &["--date", "1278", "--calendar", "solar_hijri"], "--date: '1278' falls before 1900-01-01 (accepted: dates from 1900 on)"),
        add_case("date in words", &["--date", "8 Aug 2021"], "--date: '8 Aug 2021' is not a date (accepted: YYYY-MM-DD, YYYY-MM, YYYY, START/END, or any of them ending in '?', e.g. 2021-03-14 or 2021-03?)"),
        add_case("latitude out of range", &["--coordinates", "95,10"], "--coordinates: latitude 95 is out of range (accepted: -90 to 90)"),
        add_case("coordinates not numbers", &["--coordinates", "NaN,NaN"], "--coordinates: latitude NaN is out of range (accepted: -90 to 90)"),
        add_case("age out of range", &["--age", "500"], "invalid value '500' for --age: 500 is not in 0..=255"),
        add_case("escape sequence in a name", &["--victim", "\u{1b}[2J"], "--victim: name holds the control character U+001B at character 1 (accepted: text without control characters other than tab and line breaks)"),
        add_case("bell in a title", &["--title", "ring\u{7}"], "--title: title holds the control character U+0007 at character 5 (accepted: text without control characters other than tab and line breaks)"),
        add_case("C1 control in an outlet", &["--outlet", "Radio\u{85}"], "--outlet: outlet holds the control character U+0085 at character 6 (accepted: text without control characters other than tab and line breaks)"),
        add_case("unknown act", &["--act", "shot"], "invalid value 'shot' for --act (accepted: killed, tortured, sexual_violence, disappeared, missing, detained, kidnapped, hostage, attempted_killing, wounded, assaulted, threatened, harassed, surveilled, charged, sued, subpoenaed, equipment_seized, property_attacked, denied_access, border_stopped, censored, dismissed, smeared, other)"),
        add_case("future published_on", &["--source-url", "https://a.example/1", "--published-on", "2030-01-01"], "--published-on: published_on 2030-01-01 is in the future (today is 2021-12-31)"),
        // add --file
        reading("deleted_at in add --file", "deleted.json", incident(r#","deleted_at":"2021-01-01T00:00:00Z""#), &["add", "--file", "deleted.json"], "pressreg: incident 1: deleted_at '2021-01-01T00:00:00Z' is kept by the registry, not given (accepted: the record without deleted_at; 'pressreg import' keeps it from another registry's export)\n"),
        reading("created_at in add --file", "created.json", incident(r#","created_at":"2021-01-01T00:00:00Z""#), &["add", "--file", "created.json"], "pressreg: incident 1: created_at '2021-01-01T00:00:00Z' is kept by the registry, not given (accepted: the record without created_at; 'pressreg import' keeps it from another registry's export)\n"),
        reading("updated_at in add --file", "updated.json", incident(r#","updated_at":"2021-01-01T00:00:00Z""#), &["add", "--file", "updated.json"], "pressreg: incident 1: updated_at '2021-01-01T00:00:00Z' is kept by the registry, not given (accepted: the record without updated_at; 'pressreg import' keeps it from another registry's export)\n"),
        reading("ref prefix contradicting the country", "ref.json", incident(r#","ref":"MX-2021-0001""#), &["add", "--file", "ref.json"], "pressreg: incident 1: ref 'MX-2021-0001' does not match country AF (accepted: a ref starting 'AF-', or none to have one assigned)\n"),
        reading("future published_on in add --file", "pub.json", incident(r#","sources":[{"url":"https://a.example/1","published_on":"2030-01-01"}]"#), &["add", "--file", "pub.json"], "pressreg: incident 1: source 1: published_on 2030-01-01 is in the future (today is 2021-12-31)\n"),
        reading("NUL through JSON", "nul.json", incident(r#","summary":"a\u0000b""#), &["add", "--file", "nul.json"], "pressreg: incident 1: summary holds the control character U+0000 at character 2 (accepted: text without control characters other than tab and line breaks)\n"),
        reading("NUL in a victim name", "nulname.json", incident(r#","victims":[{"name":"V\u0000"}]"#), &["add", "--file", "nulname.json"], "pressreg: incident 1: victim 1: name holds the control character U+0000 at character 2 (accepted: text without control characters other than tab and line breaks)\n"),
        reading("50 MB JSON field", "big.json", incident(&format!(r#","summary":"{big}""#)), &["add", "--file", "big.json"], "pressreg: incident 1: summary is 52428800 bytes long (accepted: at most 1048576 bytes)\n"),
        reading("file above add's cap", "huge.json", vec![b' '; 64 * MIB + 1], &["add", "--file", "huge.json"], "pressreg: 'huge.json' is larger than 64 MiB (accepted: at most 64 MiB with --file; 'pressreg import' reads larger files)\n"),
        reading("unknown field", "unknown.json", incident(r#","sql":"DROP TABLE incident""#), &["add", "--file", "unknown.json"], "pressreg: 'unknown.json' line 1: unknown field `sql`, expected one of `uid`, `ref`, `title`, `summary`, `date`, `date_start`, `date_end`, `date_precision`, `date_approximate`, `date_as_reported`, `calendar`, `country`, `admin1`, `admin2`, `locality`, `place`, `latitude`, `longitude`, `geo_precision`, `context`, `verification`, `work_link`, `justice`, `confidentiality`, `private_notes`, `duplicate_of`, `created_at`, `updated_at`, `deleted_at`, `victims`, `sources`, `claims`, `relations`, `actors` at line 1 column 33\n"),
        reading("not JSON", "broken.json", "{\"country\":", &["add", "--file", "broken.json"], "pressreg: 'broken.json' line 1: EOF while parsing a value at line 1 column 11\n"),
        reading("not UTF-8", "latin1.json", b"{\"country\":\"AF\",\"title\":\"caf\xe9\"}".to_vec(), &["add", "--file", "latin1.json"], "pressreg: 'latin1.json': invalid UTF-8 at byte 29 (save the file as UTF-8)\n"),
        reading("empty file", "empty.json", "", &["add", "--file", "empty.json"], "pressreg: 'empty.json' holds no incident\n"),
        reading("date_start before 1900", "old.json", r#"{"country":"AF","date_start":"1850-01-01"}"#, &["add", "--file", "old.json"], "pressreg: incident 1: date 1850-01-01 falls before 1900-01-01 (accepted: dates from 1900 on)\n"),
        reading("date_end before date_start", "ends.json", r#"{"country":"AF","date_start":"2021-08-08","date_end":"2021-08-01","date_precision":"week"}"#, &["add", "--file", "ends.json"], "pressreg: incident 1: date: ends on 2021-08-01, before it starts on 2021-08-08\n"),
        reading("latitude without longitude", "lat.json", incident(r#","latitude":34.5"#), &["add", "--file", "lat.json"], "pressreg: incident 1: give both latitude and longitude, or neither\n"),
        reading("deep nesting", "deep.json", format!(r#"{{"title":{}"#, "[".repeat(100_000)), &["add", "--file", "deep.json"], "pressreg: 'deep.json' line 1: invalid type: sequence, expected a string at line 1 column 9\n"),
        reading("number beyond f64", "num.json", incident(r#","latitude":1e400,"longitude":0"#), &["add", "--file", "num.json"], "pressreg: 'num.json' line 1: number out of range at line 1 column 44\n"),
        reading("lone surrogate", "surrogate.json", incident(r#","summary":"\ud800""#), &["add", "--file", "surrogate.json"], "pressreg: 'surrogate.json' line 1: unexpected end of hex escape at line 1 column 46\n"),
        reading("negative age", "age.json", incident(r#","victims":[{"name":"V","age":-1}]"#), &["add", "--file", "age.json"], "pressreg: 'age.json' line 1: invalid value: integer `-1`, expected u8 at line 1 column 59\n"),
        // edit
        edit_case("edit: future date", "date=2030-01-01", "date: '2030-01-01' is in the future (today is 2021-12-31)"),
        edit_case("edit: date before 1900", "date=1850", "date: '1850' falls before 1900-01-01 (accepted: dates from 1900 on)"),
        edit_case("edit: unknown country", "country=ZZ", "--set country: unknown country 'ZZ' (accepted: an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)"),
        edit_case("edit: escape in title", "title=\u{1b}]0;owned\u{7}", "title holds the control character U+001B at character 1 (accepted: text without control characters other than tab and line breaks)"),
        edit_case("edit: future published_on", "source.1.published_on=2030-01-01", "source 1: published_on 2030-01-01 is in the future (today is 2021-12-31)"),
        edit_case("edit: age out of range", "victim.1.age=500", "--set victim.1.age: '500' is not an age (accepted: 0 to 120, or empty to clear)"),
        edit_case("edit: unknown field", "sql=DROP TABLE incident", "unknown field 'sql' (accepted: title, summary, date, calendar, country, admin1, admin2, locality, place, coordinates, geo_precision, context, verification, work_link, justice, confidentiality, private_notes, duplicate_of, victim.N.FIELD, act.V.A.FIELD, source.N.FIELD)"),
        edit_case("edit: latitude out of range", "coordinates=91,0", "latitude 91 is out of range (accepted: -90 to 90)"),
        // import, native CSV
        reading("native: ragged row", "ragged.csv", format!("{NATIVE_HEADER}\nAF-2021-0001,x\n"), &["import", "ragged.csv"], "row 2: the row has 2 fields, the header has 53 (accepted: one field per header column)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("native: unterminated quote", "quote.csv", native("2021-08-08", "\"never closed"), &["import", "quote.csv"], "row 2, column title: a quote is opened and never closed; the rest of the file would be read into this field (accepted: quotes in pairs, as RFC 4180 says)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("native: not UTF-8", "latin1.csv", latin1_csv, &["import", "latin1.csv"], "row 2, column title: invalid UTF-8 at byte 4 of the field (save the file as UTF-8)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("native: NUL in a cell", "nul.csv", native("2021-08-08", "a\0b"), &["import", "nul.csv"], "row 2, column title: the field holds the control character U+0000 at character 2 (accepted: text without control characters other than tab and line breaks)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("native: field above the cap", "field.csv", native("2021-08-08", &over_field), &["import", "field.csv"], "row 2, column title: the field is 1048577 bytes long (accepted: at most 1048576 bytes)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("native: future date", "future.csv", native("2030-01-01", "T"), &["import", "future.csv"], "row 2, column date_start: date 2030-01-01 is in the future (today is 2021-12-31)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("native: date before 1900", "old.csv", native("1850-01-01", "T"), &["import", "old.csv"], "row 2, column date_start: date 1850-01-01 falls before 1900-01-01 (accepted: dates from 1900 on)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("native: only a BOM", "bom.csv", "\u{feff}", &["import", "bom.csv", "--format", "native"], "pressreg: row 1: the file is empty (a CSV file starts with a header row)\n"),
        // import, JSONL
        reading("jsonl: NUL through JSON", "nul.jsonl", line(r#","summary":"a\u0000""#), &["import", "nul.jsonl"], "row 1: summary holds the control character U+0000 at character 2 (accepted: text without control characters other than tab and line breaks)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("jsonl: 50 MB field", "big.jsonl", line(&format!(r#","summary":"{big}""#)), &["import", "big.jsonl"], "row 1: summary is 52428800 bytes long (accepted: at most 1048576 bytes)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("jsonl: not UTF-8", "latin1.jsonl", b"{\"country\":\"AF\",\"title\":\"caf\xe9\"}\n".to_vec(), &["import", "latin1.jsonl"], "row 1: invalid UTF-8 at byte 29 of the line (save the file as UTF-8)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("jsonl: range ending in the future", "range.jsonl", line(r#","date":"2021-01-01/2030-01-01""#), &["import", "range.jsonl"], "row 1: date: '2021-01-01/2030-01-01' ends in the future (today is 2021-12-31)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("jsonl: future published_on", "pub.jsonl", line(r#","sources":[{"url":"https://a.example/1","published_on":"2030-01-01"}]"#), &["import", "pub.jsonl"], "row 1: source 1: published_on 2030-01-01 is in the future (today is 2021-12-31)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        // import, USPFT and CPJ
        reading("uspft: future date", "future-uspft.csv", uspft("2030-01-01", "2020-03-10 18:56:58+00:00", "Body"), &["import", "future-uspft.csv"], "row 2: date 2030-01-01 is in the future (today is 2021-12-31)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("uspft: NUL in the body", "nul-uspft.csv", uspft("2020-03-09", "2020-03-10 18:56:58+00:00", "a\0b"), &["import", "nul-uspft.csv"], "row 2, column body: the field holds the control character U+0000 at character 2 (accepted: text without control characters other than tab and line breaks)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("uspft: future first_published_at", "pub-uspft.csv", uspft("2020-03-09", "2030-03-10 18:56:58+00:00", "Body"), &["import", "pub-uspft.csv"], "row 2: source 1: published_on 2030-03-10 is in the future (today is 2021-12-31)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("cpj: escape in a name", "esc-cpj.csv", cpj("11/7/21", "Ana\u{1b}[31m"), &["import", "esc-cpj.csv"], "row 2, column journalist/media worker_name: the field holds the control character U+001B at character 4 (accepted: text without control characters other than tab and line breaks)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("cpj: future date", "future-cpj.csv", cpj("1/1/22", "Ana"), &["import", "future-cpj.csv"], "row 2: date: '2022-01-01' is in the future (today is 2021-12-31)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        reading("cpj: a date CPJ never writes", "iso-cpj.csv", cpj("2021-11-07", "Ana"), &["import", "iso-cpj.csv"], "row 2, column entry_date: '2021-11-07' is not a date (accepted: M/D/YY as CPJ writes it, such as 8/8/21 or 3/11/93)\npressreg: 1 of 1 rows are invalid; nothing was imported\n"),
        // filters
        case("--from before 1900", &["list", "--from", "1850"], "--from: '1850' falls before 1900-01-01 (accepted: dates from 1900 on)"),
        case("--to impossible", &["list", "--to", "2021-02-30"], "--to: '2021-02-30' is not a date: day 30 does not exist in that month"),
        case("--year before 1900", &["list", "--year", "1850"], "--year 1850 is not a year (accepted: 1900 to 9999)"),
        case("--country unknown", &["list", "--country", "ZZ"], "unknown country 'ZZ' (accepted: an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)"),
        case("--act unknown", &["list", "--act", "shot"], "invalid value 'shot' for --act (accepted: killed, tortured, sexual_violence, disappeared, missing, detained, kidnapped, hostage, attempted_killing, wounded, assaulted, threatened, harassed, surveilled, charged, sued, subpoenaed, equipment_seized, property_attacked, denied_access, border_stopped, censored, dismissed, smeared, other)"),
        case("summary --from SQL", &["summary", "--from", "'; DROP TABLE incident; --"], "--from: ''; DROP TABLE incident; --' is not a date (accepted: YYYY-MM-DD, YYYY-MM, YYYY, START/END, or any of them ending in '?', e.g. 2021-03-14 or 2021-03?)"),
        case("export --to before 1900", &["export", "--format", "jsonl", "--to", "1899-12"], "--to: '1899-12' falls before 1900-01-01 (accepted: dates from 1900 on)"),
    ]
}

/// The registry's bytes and which files lie beside it.
fn state(s: &Sandbox) -> (Vec<u8>, Vec<String>) {
    let bytes = std::fs::read(s.db()).expect("read registry");
    let mut beside: Vec<String> = std::fs::read_dir(s.dir())
        .expect("list sandbox")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("registry.db"))
        .collect();
    beside.sort();
    (bytes, beside)
}

#[test]
fn hostile_inputs_are_refused_and_the_registry_is_unchanged_byte_for_byte() {
    let s = Sandbox::new();
    s.load_sample();
    let before = state(&s);
    let cases = cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut wrong = Vec::new();
    for c in &cases {
        if let Some((name, bytes)) = &c.file {
            s.write(name, bytes);
        }
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let r = s.run(&args);
        if (r.code, r.stdout.as_str(), r.stderr.as_str()) != (1, "", c.stderr.as_str()) {
            wrong.push(format!(
                "{}: exit {}, stdout {:?}\n  got  {:?}\n  want {:?}",
                c.what, r.code, r.stdout, r.stderr, c.stderr
            ));
        }
        if state(&s) != before {
            wrong.push(format!("{}: the registry changed", c.what));
        }
        if let Some((name, _)) = &c.file {
            std::fs::remove_file(s.path(name)).expect("remove input");
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Text that is odd but a person may mean (right-to-left marks, a
/// spreadsheet formula, markup, a zero-width joiner) is kept exactly and
/// given back exactly: by `show --format json` and by a JSONL export.
#[test]
fn odd_but_legitimate_text_is_stored_verbatim() {
    let s = Sandbox::new();
    let odd = "\u{202E}evil\u{202C} =HYPERLINK(\"http://x\") <script>alert(1)</script> a\u{200D}b \\ \"q\"";
    let json = serde_json::json!({"country": "AF", "title": odd, "summary": "line\r\nbreak\ttab"});
    let file = s.write("odd.json", json.to_string());
    assert_eq!(
        s.ok(&["add", "--file", file.to_str().expect("utf-8 path")]),
        "AF-0000-0001\n"
    );
    let shown: serde_json::Value =
        serde_json::from_str(&s.ok(&["show", "AF-0000-0001", "--format", "json"])).expect("json");
    assert_eq!(shown["title"], odd);
    assert_eq!(shown["summary"], "line\r\nbreak\ttab");
    let exported = s.ok(&["export", "--format", "jsonl"]);
    let line: serde_json::Value = serde_json::from_str(exported.trim_end()).expect("one line");
    assert_eq!(line["title"], odd);
}

/// SECURITY R23: no command takes SQL. Source: `ATTACH`,
/// `sqlcipher_export` and `load_extension` appear only in backup code (a
/// file of src/ named `backup…`, where a backup may need them); every other
/// file builds its SQL from fixed text and bound parameters.
#[test]
fn sql_that_reaches_other_files_appears_only_in_backup_code() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, found);
                continue;
            }
            let backup = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("backup"));
            let text = std::fs::read_to_string(&path).expect("read source");
            for (n, line) in text.lines().enumerate() {
                let upper = line.to_uppercase();
                let hit = upper.contains("ATTACH DATABASE")
                    || upper.contains("ATTACH '")
                    || upper.contains("ATTACH ?")
                    || line.contains("sqlcipher_export")
                    || line.contains("load_extension");
                if hit && !backup {
                    found.push(format!("{}:{}: {line}", path.display(), n + 1));
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert_eq!(found, Vec::<String>::new());
}

/// SECURITY R23, from the user's side: no command or subcommand has an
/// option that takes SQL or a raw query, whatever its help calls it.
#[test]
fn no_command_takes_sql() {
    let s = Sandbox::new();
    let commands = |help: &str| -> Vec<String> {
        help.split("Commands:")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .unwrap_or("")
            .lines()
            // A command's line is indented by two; its wrapped help by more.
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|c| *c != "help" && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'))
            .map(str::to_string)
            .collect()
    };
    let top = commands(&s.ok(&["--help"]));
    assert!(top.len() >= 15, "{top:?}");
    let mut seen = 0;
    for command in &top {
        let help = s.ok(&[command, "--help"]);
        let mut helps = vec![(command.clone(), help.clone())];
        for sub in commands(&help) {
            helps.push((format!("{command} {sub}"), s.ok(&[command, &sub, "--help"])));
        }
        for (name, help) in helps {
            seen += 1;
            for word in [
                "--sql", "--query", "--where", "--raw", "--pragma", "--attach",
            ] {
                assert!(!help.contains(word), "pressreg {name} has {word}");
            }
            assert!(
                !help.to_lowercase().contains("sql statement"),
                "pressreg {name}"
            );
        }
    }
    assert!(seen > top.len(), "no subcommand was looked at");
}
