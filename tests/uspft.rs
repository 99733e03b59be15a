//! `pressreg import --format uspft` on the Press Freedom Tracker's real
//! export and on small inline files (the importer: src/exchange/uspft.rs).
//!
//! Drives `import`, which is built on branch exchange-a: register this file
//! (`mod uspft;` in tests/lib.rs) once both branches are merged.

use std::collections::BTreeMap;

use crate::{realdata, Sandbox};

/// Per year: incidents, then incidents per tracker category in the
/// README's column order (each category is one act type).
fn yearly(s: &Sandbox) -> BTreeMap<i64, [i64; 12]> {
    let db = rusqlite::Connection::open(s.db()).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT CAST(substr(i.date_start, 1, 4) AS INTEGER), count(*),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?1)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?2)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?3)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?4)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?5)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?6)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?7)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?8)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?9)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?10)),
                    sum(EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id AND a.type = ?11
                                AND a.note LIKE 'tracker category: %'))
             FROM incident i GROUP BY 1",
        )
        .unwrap();
    let types = [
        "assaulted",
        "detained",
        "equipment_seized",
        "property_attacked",
        "border_stopped",
        "subpoenaed",
        "denied_access",
        "threatened",
        "censored",
        "surveilled",
        "other",
    ];
    let rows = stmt
        .query_map(rusqlite::params_from_iter(types), |r| {
            let mut counts = [0i64; 12];
            for (k, c) in counts.iter_mut().enumerate() {
                *c = r.get(k + 1)?;
            }
            Ok((r.get::<_, i64>(0)?, counts))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn uspft_export_imports_with_the_readme_counts() {
    let Some(file) = realdata("uspft_incidents_2020.csv") else {
        return;
    };
    let s = Sandbox::new();
    // The export ends in 2020, before the pinned clock.
    let r = s.run(&["import", file.to_str().unwrap(), "--format", "uspft"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "imported 449 incidents (449 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
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
    let db = rusqlite::Connection::open(s.db()).unwrap();
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
