//! `pressreg import --format uspft` on the Press Freedom Tracker's real
//! export and on small inline files (the importer: src/exchange/uspft.rs).
//! The counts on the real file are checked against the file itself (see
//! ../shared/realdata/README.md): who the Tracker lists as targeted, and
//! what its categories and tags say was done to them.

use std::collections::BTreeMap;

use crate::{realdata, Sandbox};

/// The Tracker's categories, in the README's column order.
const CATEGORIES: [&str; 11] = [
    "Physical Attack",
    "Arrest / Criminal Charge",
    "Equipment Search or Seizure",
    "Equipment Damage",
    "Border Stop",
    "Subpoena / Legal Order",
    "Denial of Access",
    "Chilling Statement",
    "Prior Restraint",
    "Leak Case",
    "Other Incident",
];

/// Per year: incidents, then incidents per tracker category in the
/// README's column order, by the categories each act names in its note
/// (one category can become different act types: an attack in which a
/// journalist died is `killed`).
fn yearly(s: &Sandbox) -> BTreeMap<i64, [i64; 12]> {
    let db = s.conn();
    let per_category: Vec<String> = (1..=CATEGORIES.len())
        .map(|k| {
            format!(
                "sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id
                             AND a.note LIKE '%tracker category: ' || ?{k} || '%'))"
            )
        })
        .collect();
    let mut stmt = db
        .prepare(&format!(
            "SELECT CAST(substr(i.date_start, 1, 4) AS INTEGER), count(*), {}
             FROM incident i GROUP BY 1",
            per_category.join(", ")
        ))
        .unwrap();
    let rows = stmt
        .query_map(rusqlite::params_from_iter(CATEGORIES), |r| {
            let mut counts = [0i64; 12];
            for (k, c) in counts.iter_mut().enumerate() {
                *c = r.get(k + 1)?;
            }
            Ok((r.get::<_, i64>(0)?, counts))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// A registry holding the real export (None when the file is absent).
fn imported() -> Option<Sandbox> {
    let file = realdata("uspft_incidents_2020.csv")?;
    let s = Sandbox::new();
    let r = s.run(&["import", file.to_str().unwrap(), "--format", "uspft"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "imported 449 incidents (449 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    Some(s)
}

/// Rows of a query on the registry, each as its columns joined by " | ".
fn query(s: &Sandbox, sql: &str) -> Vec<String> {
    let db = s.conn();
    let mut stmt = db.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|k| {
                Ok(match r.get_ref(k)? {
                    rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Null => "NULL".to_string(),
                    other => format!("{other:?}"),
                })
            })
            .collect::<rusqlite::Result<Vec<String>>>()
            .map(|v| v.join(" | "))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn uspft_killed_tag_makes_the_capital_gazette_victims_killed() {
    let Some(s) = imported() else {
        return;
    };
    // The Capital Gazette shooting lists four targeted journalists (the
    // fifth person killed, a sales assistant, is only in the prose) and
    // Zack Stoner one: five victims killed in 2018.
    let r = s.run(&["summary", "--year", "2018", "--act", "killed"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "Profile victims: each victim once per act type per year (a victim killed and \
             wounded counts under both).\n\
             Records: acts dated 2018; all countries; acts killed; verification other than \
             rejected, duplicate or out_of_scope; deleted incidents left out; public records only.\n\
             As of 2021-12-31T12:00:00Z.\n\
             \n\
             YEAR   VICTIMS\n\
             2018         5  ████████████████████\n\
             total        5\n",
            ""
        )
    );
    assert_eq!(
        query(
            &s,
            "SELECT v.name, v.category, v.status, a.type, a.note FROM act a
             JOIN victim v ON v.id = a.victim_id WHERE a.type = 'killed' ORDER BY v.name"
        ),
        [
            "Gerald Fischman",
            "John McNamara",
            "Rob Hiaasen",
            "Wendi Winters",
            "Zack Stoner"
        ]
        .map(|name| format!(
            "{name} | journalist | dead | killed | tracker category: Physical Attack; \
             tracker tag: killed"
        ))
    );
}

#[test]
fn uspft_victims_are_only_whom_the_tracker_names() {
    let Some(s) = imported() else {
        return;
    };
    // 330 incidents list 379 targeted journalists (360 named through
    // `targets`, 19 in incidents whose `targets` names nobody); the 119 that list none have 95 targeted institutions,
    // 8 leak-case sources, 1 other named person, and 34 name nobody.
    assert_eq!(
        query(
            &s,
            "SELECT category, name = '', count(*) FROM victim GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        [
            "journalist | 0 | 360",
            "journalist | 1 | 19",
            "media_outlet | 0 | 95",
            "other | 0 | 9",
            "other | 1 | 34",
        ]
    );
    // A leak case's source is recorded as the Tracker names her, not as a
    // journalist, and not as surveilled.
    assert_eq!(
        query(
            &s,
            "SELECT v.name, v.category, a.type FROM act a JOIN victim v ON v.id = a.victim_id
             JOIN incident i ON i.id = a.incident_id
             WHERE i.title = 'Reality Winner charged with leaking information to The Intercept'
             ORDER BY a.type"
        ),
        [
            "Reality Winner | other | charged",
            "Reality Winner | other | other"
        ]
    );
    assert_eq!(
        query(&s, "SELECT count(*) FROM act WHERE type = 'surveilled'"),
        ["0"]
    );
}

#[test]
fn uspft_threat_tags_record_threats() {
    let Some(s) = imported() else {
        return;
    };
    // Eight Other Incidents tagged as threats: every victim each names.
    assert_eq!(
        query(
            &s,
            "SELECT substr(i.date_start, 1, 4), v.name, v.category, a.note FROM act a
             JOIN victim v ON v.id = a.victim_id JOIN incident i ON i.id = a.incident_id
             WHERE a.type = 'threatened' AND a.note LIKE '%tracker tag: %'
             ORDER BY i.date_start, v.name"
        ),
        [
            "2017 | Ilia Calderón | journalist | tracker tag: threats",
            "2018 | CNN | media_outlet | tracker tag: threats; victim: an institution the \
             tracker lists as targeted",
            "2018 | Mitchell McCoy | journalist | tracker tag: threats",
            "2018 | Circleville Herald | media_outlet | tracker tag: threats; victim: an \
             institution the tracker lists as targeted",
            "2018 | Columbus Dispatch | media_outlet | tracker tag: threats; victim: an \
             institution the tracker lists as targeted",
            "2018 | Boston Globe | media_outlet | tracker tag: threats; victim: an institution \
             the tracker lists as targeted",
            "2018 | CNN | media_outlet | tracker tag: threats; victim: an institution the \
             tracker lists as targeted",
            "2018 | MSNBC | media_outlet | tracker tag: threats; victim: an institution the \
             tracker lists as targeted",
            "2018 | Tucker Carlson | journalist | tracker tag: threats",
            "2018 |  | other | tracker tag: email threat; victim: the tracker names no target; \
             who was targeted is unknown",
        ]
    );
}

#[test]
fn uspft_sdg_counts_the_listed_journalists_only() {
    let Some(s) = imported() else {
        return;
    };
    // Per year, the targeted journalists the export lists: 1, 2, 122, 113,
    // 130, 11 (379 in all); sources, outlets and unnamed targets are not
    // counted.
    let r = s.run(&[
        "summary",
        "--from",
        "2014",
        "--to",
        "2020",
        "--profile",
        "sdg",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "Profile sdg: UN SDG 16.10.1: each journalist or media worker once per year under \
             the most serious act (A > C > B > D > E > F).\n\
             Records: acts dated 2014 to 2020; all countries; verification other than rejected, \
             duplicate or out_of_scope; deleted incidents left out; public records only.\n\
             As of 2021-12-31T12:00:00Z.\n\
             \n\
             YEAR   A_KILLING  B_DISAPPEARANCE  C_TORTURE  D_DETENTION  E_KIDNAPPING  F_OTHER  VICTIMS\n\
             2014           0                0          0            1             0        0        1  ▏\n\
             2016           0                0          0            2             0        0        2  ▎\n\
             2017           0                0          0           38             0       84      122  ██████████████████▊\n\
             2018           5                0          0           11             0       97      113  █████████████████▍\n\
             2019           0                0          0            9             0      121      130  ████████████████████\n\
             2020           0                0          0            1             0       10       11  █▊\n\
             total          5                0          0           62             0      312      379\n",
            ""
        )
    );
}

#[test]
fn uspft_export_imports_with_the_readme_counts() {
    // The export ends in 2020, before the pinned clock.
    let Some(s) = imported() else {
        return;
    };
    #[rustfmt::skip]
    let want: BTreeMap<i64, [i64; 12]> = [
        (2014, [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
        (2016, [2, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0]),
        (2017, [144, 49, 38, 24, 8, 16, 8, 12, 19, 1, 1, 7]),
        (2018, [133, 36, 11, 7, 5, 11, 25, 13, 9, 5, 4, 20]),
        (2019, [152, 34, 9, 9, 12, 16, 27, 22, 9, 7, 3, 22]),
        (2020, [17, 3, 1, 0, 2, 0, 2, 4, 3, 0, 0, 4]),
    ]
    .into_iter()
    .collect();
    assert_eq!(yearly(&s), want);
}

fn header() -> String {
    "title,slug,first_published_at,last_published_at,latest_revision_created_at,authors,updates,categories,links,equipment_seized,equipment_broken,targeted_journalists,date,exact_date_unknown,affiliation,city,state,body,teaser,teaser_image,primary_video,image_caption,arrest_status,status_of_charges,release_date,detention_date,unnecessary_use_of_force,lawsuit_name,status_of_seized_equipment,is_search_warrant_obtained,actor,border_point,stopped_at_border,target_us_citizenship_status,denial_of_entry,stopped_previously,did_authorities_ask_for_device_access,did_authorities_ask_for_social_media_user,did_authorities_ask_for_social_media_pass,did_authorities_ask_about_work,were_devices_searched_or_seized,assailant,was_journalist_targeted,charged_under_espionage_act,subpoena_type,subpoena_statuses,held_in_contempt,detention_status,third_party_in_possession_of_communications,third_party_business,legal_order_type,status_of_prior_restraint,targets,targeted_institutions,tags,current_charges,dropped_charges,venue,target_nationality,workers_whose_communications_were_obtained,targets_whose_communications_were_obtained,politicians_or_public_figures_involved".to_string()
}

/// One record: slug, categories, date, state and an HTML body (quoted).
fn row(slug: &str, categories: &str, date: &str, state: &str, body: &str) -> String {
    format!(
        "Title {slug},https://pressfreedomtracker.us/all-incidents/{slug}/,2020-03-10 18:56:58+00:00,\
         None,None,,,\"{categories}\",,,,TargetedJournalist object (1),{date},False,WKBW,Buffalo,{state},\
         \"{body}\",,None,None,,None,None,None,None,False,None,None,False,None,None,False,None,False,\
         False,None,None,None,None,None,private individual,yes,False,None,[],None,None,None,None,None,\
         None,,,,,,,,,,"
    )
}

#[test]
fn uspft_multi_line_bodies_with_crlf_and_bare_lf_are_one_row_each() {
    let s = Sandbox::new();
    let file = s.write(
        "uspft.csv",
        format!(
            "{}\r\n{}\r\n{}\r\n",
            header(),
            row(
                "a",
                "Physical Attack",
                "2019-05-01",
                "New York (NY)",
                "<p>one\r\ntwo</p>\r\n<p>three</p>"
            ),
            row(
                "b",
                "Chilling Statement",
                "2019-05-02",
                "NY",
                "<p>four\nfive</p>\n<p>six &amp; seven</p>"
            ),
        ),
    );
    let r = s.run(&["import", file.to_str().unwrap(), "--format", "uspft"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 2 incidents (2 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let db = s.conn();
    let mut stmt = db
        .prepare("SELECT admin1, summary FROM incident ORDER BY date_start")
        .unwrap();
    let got: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        got,
        vec![
            ("New York".to_string(), "one two\n\nthree".to_string()),
            (
                "New York".to_string(),
                "four five\n\nsix & seven".to_string()
            ),
        ]
    );
}

#[test]
fn uspft_unknown_category_is_refused_with_row_and_column() {
    let s = Sandbox::new();
    let file = s.write(
        "uspft.csv",
        format!(
            "{}\r\n{}\r\n",
            header(),
            row(
                "a",
                "Physical Attack, Alien Abduction",
                "2019-05-01",
                "NY",
                "<p>x</p>"
            ),
        ),
    );
    let err = s.fails(&["import", file.to_str().unwrap(), "--format", "uspft"], 1);
    assert_eq!(
        err,
        "row 2, column categories: unknown categories 'Alien Abduction' (accepted: Physical \
         Attack, Arrest / Criminal Charge, Equipment Search or Seizure, Equipment Damage, Border \
         Stop, Subpoena / Legal Order, Denial of Access, Chilling Statement, Prior Restraint, \
         Leak Case, Other Incident)\n\
         pressreg: 1 of 1 rows are invalid; nothing was imported\n"
    );
}
