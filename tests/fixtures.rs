//! The data more than one test module uses, each in one place: the small
//! registries the command tests build on, the sample of `data/`, and the
//! expected yearly counts of the real exports in `../shared/realdata`
//! (the tables of its README.md).

use std::path::PathBuf;

use serde_json::json;

use crate::Sandbox;

/// Toofan Omar, killed on 8 August 2021 in Deh Sabz (from flags).
pub const TOOFAN: &[&str] = &[
    "add",
    "--date",
    "2021-08-08",
    "--country",
    "AF",
    "--admin1",
    "Kabul",
    "--admin2",
    "Deh Sabz",
    "--victim",
    "Toofan Omar",
    "--name-variant",
    "Toofan Omari",
    "--outlet",
    "Paktia Ghag Radio",
    "--job",
    "editor",
    "--act",
    "killed",
    "--death-context",
    "targeted",
    "--actor",
    "Taliban",
    "--actor-type",
    "armed_group",
    "--basis",
    "official_accusation",
    "--confidence",
    "possible",
    "--source-url",
    "https://bdnews24.com/world/2021/08/09/taliban-kill",
    "--publisher",
    "bdnews24",
];

/// Toofan Omar killed on 8 August 2021, and nothing more: the least a
/// valid `add` takes.
pub const TOOFAN_BARE: &[&str] = &[
    "add",
    "--date",
    "2021-08-08",
    "--country",
    "AF",
    "--victim",
    "Toofan Omar",
    "--act",
    "killed",
];

/// One valid command of each attaching kind on AF-2021-0001: a victim, an
/// act of victim 1, a perpetrator of every act, a source, a claim of source 1.
pub const ATTACH_TO_AF_2021_0001: [&[&str]; 5] = [
    &["victim", "add", "AF-2021-0001", "--name", "X"],
    &[
        "act",
        "add",
        "AF-2021-0001",
        "--victim",
        "1",
        "--type",
        "wounded",
    ],
    &[
        "perpetrator",
        "add",
        "AF-2021-0001",
        "--all-acts",
        "--actor",
        "X",
        "--actor-type",
        "mob",
    ],
    &[
        "source",
        "add",
        "AF-2021-0001",
        "--url",
        "https://a.example",
    ],
    &[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "1",
        "--field",
        "admin1",
        "--value",
        "x",
    ],
];

/// The Jalalabad shootings of 2 March 2021: three media workers killed,
/// a fourth woman wounded who is not named; two claimed perpetrators.
pub const JALALABAD: &str = r#"{"uid":"11111111-1111-4111-8111-111111111111",
 "date":"2021-03-02","country":"AF","admin1":"Nangarhar","locality":"Jalalabad",
 "title":"Three Enikass media workers shot dead","verification":"corroborated",
 "victims":[
  {"name":"Mursal Wahidi","sex":"female","category":"media_worker","outlet":"Enikass Radio & TV","status":"dead",
   "acts":[{"type":"killed","death_context":"targeted","method":"shooting","perpetrators":[
     {"actor":"Islamic State Khorasan","actor_type":"armed_group","basis":"claimed","confidence":"likely"},
     {"actor":"Taliban","actor_type":"armed_group","basis":"arrest","confidence":"possible"}]}]},
  {"name":"Sadia Sadat","sex":"female","category":"media_worker","status":"dead",
   "acts":[{"type":"killed","perpetrators":[{"actor":"Islamic State Khorasan","basis":"claimed","confidence":"likely"}]}]},
  {"name":"Shahnaz Roafi","sex":"female","category":"media_worker","status":"dead","acts":[{"type":"killed"}]},
  {"name":"","sex":"female","status":"wounded","acts":[{"type":"wounded"}]}
 ],
 "sources":[{"type":"news_report","publisher":"Al Arabiya","url":"https://english.alarabiya.net/x","reliability":"medium"}]}"#;

/// Nematullah Hemat, abducted in Helmand: Reuters and Khaama Press
/// disagree on the day; a confidential interview; the Taliban's type
/// changes on 2021-08-16.
pub const HEMAT: &str = r#"{"uid":"22222222-2222-4222-8222-222222222222",
 "date":"2021-08-08","date_as_reported":"Sunday","country":"AF","admin1":"Helmand","locality":"Lashkar Gah",
 "title":"Nematullah Hemat abducted","summary":"Gharghasht TV reporter abducted from his home.\nWhereabouts unknown.",
 "verification":"corroborated","work_link":"likely","justice":"no_investigation",
 "victims":[{"name":"Nematullah Hemat","name_variants":["Niamatullah Hemat"],"sex":"male","age":30,"nationality":"AF",
   "employment":"staff","jobs":["reporter"],"mediums":["television"],"outlet":"Gharghasht TV","status":"missing",
   "acts":[{"type":"kidnapped","method":"abduction","perpetrators":[{"actor":"Taliban","basis":"official_accusation","confidence":"likely"}]}]}],
 "sources":[{"type":"wire_report","publisher":"Reuters","url":"https://bdnews24.com/x","published_on":"2021-08-09","reliability":"high"},
            {"type":"news_report","publisher":"Khaama Press","url":"https://khaama.com/y","reliability":"medium"},
            {"type":"interview","publisher":"a colleague","confidential":true}],
 "claims":[{"source":"1","field":"date_start","value":"2021-08-08","accepted":true},
           {"source":"2","field":"date_start","value":"2021-08-09"},
           {"source":"1","field":"locality","value":"Lashkar Gah","accepted":true},
           {"source":"2","field":"admin2","value":"Nawa"}],
 "actors":[{"name":"Taliban","types":[{"type":"armed_group","valid_to":"2021-08-15"},
                                      {"type":"de_facto_authority","valid_from":"2021-08-16"}]}]}"#;

/// Adds an incident from JSON text; returns its ref.
#[track_caller]
pub fn add_json(s: &Sandbox, name: &str, json: &str) -> String {
    let path = s.write(name, json);
    s.ok(&["add", "--file", path.to_str().expect("utf-8 path")])
        .trim()
        .to_string()
}

/// Three incidents: AF-2021-0001 Jalalabad (March), AF-2021-0002 Toofan
/// (August, flags), AF-2021-0003 an anonymous approximate range in Ghor,
/// and GR-2021-0001 with a month-only date.
pub fn registry() -> Sandbox {
    let s = Sandbox::new();
    assert_eq!(add_json(&s, "jalalabad.json", JALALABAD), "AF-2021-0001");
    assert_eq!(s.ok(TOOFAN), "AF-2021-0002\n");
    s.ok(&[
        "add",
        "--date",
        "2021-02-25/2021-02-26?",
        "--country",
        "AF",
        "--admin1",
        "Ghor",
        "--anonymous",
        "--act",
        "killed",
    ]);
    s.ok(&[
        "add",
        "--date",
        "2021-04",
        "--country",
        "GR",
        "--locality",
        "Alimos",
        "--admin1",
        "Attica",
        "--victim",
        "Giorgos Karaivaz",
        "--act",
        "threatened",
        "--actor",
        "unknown",
        "--actor-type",
        "unknown",
    ]);
    s
}

/// A fixed uid, so that exports can be compared whole.
pub fn uid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// A small registry, one incident per line: a public incident with a named
/// victim, an anonymous victim, an internal victim and a confidential
/// source; a partner incident; a restricted one; a public one with no
/// victims. Every non-public text holds the marker SECRET.
pub fn fixture() -> String {
    let toofan = json!({
        "uid": uid(11), "name": "Toofan Omar", "name_variants": ["Toofan Omari"],
        "sex": "male", "age": 40, "nationality": "AF", "jobs": ["editor", "reporter"],
        "mediums": ["radio"], "outlet": "Paktia Ghag Radio", "beats": ["politics"],
        "status": "dead", "private_notes": "VICTIM-NOTE-SECRET",
        "acts": [{"uid": uid(21), "type": "killed", "death_context": "targeted",
                  "method": "shooting", "perpetrators": [
            {"uid": uid(31), "actor": "Taliban", "basis": "official_accusation",
             "confidence": "possible"},
            {"uid": uid(32), "actor": "Islamic State Khorasan", "basis": "claimed",
             "confidence": "likely"}]}]
    });
    let anonymous = json!({
        "uid": uid(12), "name": "ANON-SECRET Name", "anonymous": true,
        "name_variants": ["ANON-SECRET Variant"], "sex": "female",
        "category": "media_worker",
        "acts": [{"uid": uid(22), "type": "threatened", "method": "online"},
                 {"uid": uid(23), "type": "wounded", "date": "2021-08-09"}]
    });
    let internal = json!({
        "uid": uid(13), "name": "INTERNAL-SECRET Person", "confidentiality": "internal"
    });
    let sources = json!([
        {"uid": uid(41), "url": "https://bdnews24.com/world/2021/08/09/taliban-kill",
         "publisher": "bdnews24"},
        {"uid": uid(42), "url": "https://example.org/a|b", "publisher": "-Wire"},
        {"uid": uid(43), "url": "tel:+93-CONTACT-SECRET", "publisher": "CONFIDENTIAL-SECRET",
         "confidential": true, "note": "SOURCE-NOTE-SECRET"}
    ]);
    let actors = json!([
        {"uid": uid(51), "name": "Taliban", "types": [{"type": "armed_group"}]},
        {"uid": uid(52), "name": "Islamic State Khorasan", "types": [{"type": "armed_group"}]}
    ]);
    let a = json!({
        "uid": uid(1), "ref": "AF-2021-0007", "title": "=Radio manager killed",
        "summary": "Shot at home, then \"finished\" in Kabul,\nsays the family.",
        "date": "2021-08-08", "country": "AF", "admin1": "Kabul", "admin2": "Deh Sabz",
        "locality": "Deh Sabz", "latitude": 34.61, "longitude": 69.25, "geo_precision": 1,
        "context": "at_home", "verification": "corroborated", "work_link": "likely",
        "private_notes": "NOTE-SECRET family phone",
        "victims": [toofan, anonymous, internal],
        "sources": sources,
        "actors": actors
    });
    let b = json!({
        "uid": uid(2), "ref": "AF-2021-0008", "title": "PARTNER-SECRET incident",
        "date": "2021-09", "country": "AF", "admin1": "Helmand", "confidentiality": "partner",
        "victims": [{"uid": uid(14), "name": "PARTNER-SECRET Victim",
                     "acts": [{"uid": uid(24), "type": "detained"}]}]
    });
    let c = json!({
        "uid": uid(3), "ref": "MX-2021-0001", "title": "RESTRICTED-SECRET title",
        "date": "2021-03-02", "country": "MX", "confidentiality": "restricted"
    });
    let d = json!({
        "uid": uid(4), "ref": "MX-2021-0002", "title": "Outlet raided", "date": "2021-05-03?",
        "country": "MX", "admin1": "Guerrero",
        "sources": [{"uid": uid(44), "url": "https://articulo19.org/x", "publisher": "Article 19"}]
    });
    [a, b, c, d].iter().map(|r| format!("{r}\n")).collect()
}

/// Loads `fixture()` into the sandbox's registry.
#[track_caller]
pub fn load_fixture(s: &Sandbox) {
    s.write("fixture.jsonl", fixture());
    assert_eq!(
        s.ok(&["add", "--file", "fixture.jsonl"]),
        "AF-2021-0007\nAF-2021-0008\nMX-2021-0001\nMX-2021-0002\n"
    );
}

/// One revision row: (entity, action, field, old, new, reason).
pub type Rev = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// Every revision row, read behind the program's back.
pub fn revisions(s: &Sandbox) -> Vec<Rev> {
    let conn = s.conn();
    let mut stmt = conn
        .prepare("SELECT entity, action, field, old, new, reason FROM revision ORDER BY id")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

/// The registry of the counting-profile tests (tests/profiles.rs,
/// tests/summary.rs), one incident per line (2021 unless said):
/// * AF-2021-0001 01-01 Kabul, verified, motive confirmed: A (male journalist,
///   radio) killed, targeted, by the Taliban (an armed group until
///   2021-08-15, the de facto authority from 2021-08-16).
/// * Every other incident is corroborated but AF-2021-0005 (reported, one
///   source) and the three left out (-0006 to -0008).
/// * AF-2021-0002 03-02 Nangarhar: B (female media worker) killed and C
///   (female journalist, television and online) wounded, each act by both
///   Islamic State Khorasan and the Taliban.
/// * AF-2021-0003 06-10 Kandahar, motive unconfirmed: D killed (crossfire)
///   and wounded by the Taliban.
/// * AF-2021-0004 08-16 Kabul: E detained and assaulted by the Taliban,
///   since released.
/// * AF-2021-0005 year only, Herat: F (government media official) killed,
///   no perpetrator known.
/// * AF-2021-0006 rejected, -0007 duplicate, -0008 deleted: one killing each.
/// * AF-2021-0009 11-20 approximate: G kidnapped by the Taliban, still held.
/// * AF-2021-0010 08-15 Kabul: I (female journalist) wounded by the Taliban.
/// * PK-2020-0001 2020-05-01 Punjab, motive confirmed: H killed in
///   crossfire by the Pakistan Army.
pub const COUNTING_REGISTRY: &str = r#"{"ref":"AF-2021-0001","date":"2021-01-01","country":"AF","admin1":"Kabul","verification":"verified","work_link":"confirmed","victims":[{"name":"Victim A","sex":"male","category":"journalist","employment":"staff","mediums":["radio"],"acts":[{"type":"killed","death_context":"targeted","perpetrators":[{"actor":"Taliban"}]}]}],"actors":[{"name":"Taliban","types":[{"type":"armed_group","valid_to":"2021-08-15"},{"type":"de_facto_authority","valid_from":"2021-08-16"}]}]}
{"verification":"corroborated","date":"2021-03-02","country":"AF","admin1":"Nangarhar","work_link":"likely","victims":[{"name":"Victim B","sex":"female","category":"media_worker","mediums":["television"],"acts":[{"type":"killed","death_context":"targeted","perpetrators":[{"actor":"Islamic State Khorasan","actor_type":"armed_group","basis":"claimed"},{"actor":"Taliban","basis":"official_accusation"}]}]},{"name":"Victim C","sex":"female","category":"journalist","mediums":["television","online"],"acts":[{"type":"wounded","perpetrators":[{"actor":"Islamic State Khorasan"},{"actor":"Taliban"}]}]}]}
{"verification":"corroborated","date":"2021-06-10","country":"AF","admin1":"Kandahar","work_link":"unconfirmed","victims":[{"name":"Victim D","sex":"male","category":"journalist","acts":[{"type":"killed","death_context":"crossfire","perpetrators":[{"actor":"Taliban"}]},{"type":"wounded","perpetrators":[{"actor":"Taliban"}]}]}]}
{"verification":"corroborated","date":"2021-08-16","country":"AF","admin1":"Kabul","victims":[{"name":"Victim E","sex":"male","status":"released","category":"journalist","acts":[{"type":"detained","perpetrators":[{"actor":"Taliban"}]},{"type":"assaulted","perpetrators":[{"actor":"Taliban"}]}]}]}
{"date":"2021","country":"AF","admin1":"Herat","victims":[{"name":"Victim F","sex":"male","category":"government_media_official","acts":[{"type":"killed"}]}]}
{"date":"2021-10-01","country":"AF","verification":"rejected","victims":[{"name":"Victim X","acts":[{"type":"killed"}]}]}
{"date":"2021-10-02","country":"AF","verification":"duplicate","victims":[{"name":"Victim Y","acts":[{"type":"killed"}]}]}
{"date":"2021-10-03","country":"AF","deleted_at":"2021-10-04T00:00:00Z","victims":[{"name":"Victim Z","acts":[{"type":"killed"}]}]}
{"verification":"corroborated","date":"2021-11-20?","country":"AF","admin1":"Kabul","victims":[{"name":"Victim G","sex":"male","status":"held","category":"journalist","acts":[{"type":"kidnapped","perpetrators":[{"actor":"Taliban"}]}]}]}
{"verification":"corroborated","date":"2021-08-15","country":"AF","admin1":"Kabul","victims":[{"name":"Victim I","sex":"female","category":"journalist","acts":[{"type":"wounded","perpetrators":[{"actor":"Taliban"}]}]}]}
{"verification":"corroborated","date":"2020-05-01","country":"PK","admin1":"Punjab","work_link":"confirmed","victims":[{"name":"Victim H","sex":"male","category":"journalist","acts":[{"type":"killed","death_context":"crossfire","perpetrators":[{"actor":"Pakistan Army","actor_type":"state_military"}]}]}]}
"#;

/// A sandbox holding `COUNTING_REGISTRY`.
pub fn counting_registry() -> Sandbox {
    let s = Sandbox::new();
    s.write("registry.jsonl", COUNTING_REGISTRY);
    // `import`, not `add --file`: one incident comes deleted (`deleted_at`),
    // which only an import of a registry's export may carry.
    let r = s.run(&["import", "registry.jsonl"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "imported 11 incidents (11 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let db = s.conn();
    let refs: Vec<String> = db
        .prepare("SELECT ref FROM incident ORDER BY id")
        .and_then(|mut q| q.query_map([], |r| r.get(0))?.collect())
        .expect("read refs");
    assert_eq!(
        refs.join(" "),
        "AF-2021-0001 AF-2021-0002 AF-2021-0003 AF-2021-0004 AF-2021-0005 AF-2021-0006 \
         AF-2021-0007 AF-2021-0008 AF-2021-0009 AF-2021-0010 PK-2020-0001"
    );
    s
}

/// An expected output written on the line after `r#"`.
pub fn strip(s: &str) -> &str {
    s.strip_prefix('\n').unwrap_or(s)
}

/// `show REF --format json`, parsed.
#[track_caller]
pub fn show_json(s: &Sandbox, reference: &str) -> serde_json::Value {
    let out = s.ok(&["show", reference, "--format", "json"]);
    serde_json::from_str(&out).expect("show prints JSON")
}

/// The sample registry shipped in `data/`.
pub fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/incidents.jsonl")
}

/// CPJ's killed journalists and media workers, 1992–2022, per year, from
/// `cpj_killed_1992_2022.csv`: all victims; journalists with the motive
/// confirmed; journalists with it unconfirmed; media workers; then killings
/// by death context (targeted = CPJ's Murder, crossfire, dangerous
/// assignment, unknown). The columns of realdata/README.md and of
/// `summary --profile cpj --by year`.
#[rustfmt::skip]
pub const CPJ_KILLED_2022: &[(i64, [i64; 8])] = &[
    (1992, [56, 45, 11, 0, 31, 8, 6, 0]), (1993, [72, 56, 16, 0, 38, 8, 10, 0]),
    (1994, [84, 66, 18, 0, 56, 9, 0, 1]), (1995, [60, 51, 9, 0, 44, 7, 0, 0]),
    (1996, [34, 26, 8, 0, 24, 1, 1, 0]), (1997, [35, 26, 9, 0, 18, 1, 7, 0]),
    (1998, [36, 24, 12, 0, 21, 2, 1, 0]), (1999, [53, 36, 17, 0, 17, 12, 7, 0]),
    (2000, [45, 24, 21, 0, 16, 3, 5, 0]), (2001, [54, 37, 17, 0, 27, 6, 4, 0]),
    (2002, [35, 21, 14, 0, 14, 4, 3, 0]), (2003, [60, 42, 11, 7, 24, 16, 2, 0]),
    (2004, [87, 61, 14, 12, 36, 20, 5, 0]), (2005, [64, 50, 11, 3, 40, 6, 4, 0]),
    (2006, [103, 57, 29, 17, 49, 6, 2, 0]), (2007, [113, 70, 23, 20, 51, 12, 6, 1]),
    (2008, [69, 42, 24, 3, 28, 7, 7, 0]), (2009, [102, 76, 23, 3, 54, 13, 8, 1]),
    (2010, [80, 44, 32, 4, 27, 6, 11, 0]), (2011, [86, 49, 32, 5, 26, 7, 16, 0]),
    (2012, [106, 74, 30, 2, 37, 24, 12, 1]), (2013, [102, 74, 24, 4, 33, 26, 14, 1]),
    (2014, [93, 62, 20, 11, 28, 23, 11, 0]), (2015, [100, 73, 24, 3, 51, 17, 5, 0]),
    (2016, [81, 51, 28, 2, 19, 26, 3, 3]), (2017, [75, 47, 20, 8, 18, 17, 11, 1]),
    (2018, [88, 56, 22, 10, 36, 10, 10, 0]), (2019, [51, 26, 25, 0, 10, 8, 6, 2]),
    (2020, [50, 32, 17, 1, 22, 3, 7, 0]), (2021, [45, 28, 17, 0, 22, 4, 2, 0]),
    (2022, [44, 24, 19, 1, 7, 8, 9, 0]),
];

/// The same counts from the 2020 snapshot, `cpj_killed_1992_2020.csv`
/// (CPJ has revised some cases since, so a few years differ).
#[rustfmt::skip]
pub const CPJ_KILLED_2020: &[(i64, [i64; 8])] = &[
    (1992, [55, 44, 11, 0, 30, 8, 6, 0]), (1993, [72, 56, 16, 0, 38, 8, 10, 0]),
    (1994, [84, 66, 18, 0, 56, 9, 0, 1]), (1995, [60, 51, 9, 0, 44, 7, 0, 0]),
    (1996, [34, 26, 8, 0, 24, 1, 1, 0]), (1997, [35, 26, 9, 0, 18, 1, 7, 0]),
    (1998, [36, 24, 12, 0, 21, 2, 1, 0]), (1999, [53, 36, 17, 0, 17, 12, 7, 0]),
    (2000, [45, 24, 21, 0, 16, 3, 5, 0]), (2001, [54, 37, 17, 0, 27, 6, 4, 0]),
    (2002, [35, 21, 14, 0, 14, 4, 3, 0]), (2003, [60, 42, 11, 7, 24, 16, 2, 0]),
    (2004, [87, 61, 14, 12, 36, 20, 5, 0]), (2005, [64, 50, 11, 3, 40, 6, 4, 0]),
    (2006, [103, 57, 29, 17, 49, 6, 2, 0]), (2007, [112, 70, 22, 20, 51, 12, 6, 1]),
    (2008, [69, 42, 24, 3, 28, 7, 7, 0]), (2009, [102, 76, 23, 3, 54, 13, 8, 1]),
    (2010, [80, 44, 32, 4, 27, 6, 11, 0]), (2011, [86, 49, 32, 5, 24, 7, 18, 0]),
    (2012, [106, 74, 30, 2, 37, 24, 12, 1]), (2013, [102, 74, 24, 4, 33, 26, 14, 1]),
    (2014, [93, 62, 20, 11, 28, 23, 11, 0]), (2015, [100, 73, 24, 3, 51, 17, 5, 0]),
    (2016, [80, 50, 28, 2, 19, 26, 3, 2]), (2017, [75, 47, 20, 8, 18, 17, 11, 1]),
    (2018, [88, 56, 22, 10, 36, 11, 9, 0]), (2019, [50, 25, 25, 0, 10, 8, 6, 1]),
    (2020, [13, 6, 7, 0, 2, 2, 2, 0]),
];

/// The registry of the audience tests (tests/summary.rs, tests/export.rs,
/// tests/list.rs), all verified, in 2021 in Afghanistan:
/// * AF-2021-0001 public, Kabul: Public Reporter killed by the Taliban;
/// * AF-2021-0002 restricted, Secret Province: Restricted Person killed by
///   Secret Militia;
/// * AF-2021-0003 public, Herat: Open Person wounded by the Taliban; Hidden
///   Person (a restricted victim) killed by Hidden Gang; Anon Name (asked
///   not to be named; 47, Dutch, at Anon Outlet) threatened by the Taliban;
/// * AF-2021-0004 partner, Balkh: Partner Person killed by the Taliban.
pub const AUDIENCE_REGISTRY: &str = r#"{"verification":"verified","date":"2021-02-01","country":"AF","admin1":"Kabul","victims":[{"name":"Public Reporter","category":"journalist","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban","actor_type":"armed_group"}]}]}]}
{"verification":"verified","date":"2021-03-01","country":"AF","admin1":"Secret Province","confidentiality":"restricted","victims":[{"name":"Restricted Person","category":"journalist","acts":[{"type":"killed","perpetrators":[{"actor":"Secret Militia","actor_type":"armed_group"}]}]}]}
{"verification":"verified","date":"2021-04-01","country":"AF","admin1":"Herat","victims":[{"name":"Open Person","category":"journalist","acts":[{"type":"wounded","perpetrators":[{"actor":"Taliban"}]}]},{"name":"Hidden Person","confidentiality":"restricted","category":"journalist","acts":[{"type":"killed","perpetrators":[{"actor":"Hidden Gang","actor_type":"criminal_group"}]}]},{"name":"Anon Name","anonymous":true,"outlet":"Anon Outlet","age":47,"nationality":"NL","category":"journalist","acts":[{"type":"threatened","perpetrators":[{"actor":"Taliban"}]}]}]}
{"verification":"verified","date":"2021-05-01","country":"AF","admin1":"Balkh","confidentiality":"partner","victims":[{"name":"Partner Person","category":"journalist","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban"}]}]}]}
"#;

/// A sandbox holding `AUDIENCE_REGISTRY`.
pub fn audience_registry() -> Sandbox {
    let s = Sandbox::new();
    s.write("audience.jsonl", AUDIENCE_REGISTRY);
    assert_eq!(
        s.ok(&["add", "--file", "audience.jsonl"]),
        "AF-2021-0001\nAF-2021-0002\nAF-2021-0003\nAF-2021-0004\n"
    );
    s
}

/// The Jalalabad-style incident: one victim killed, recorded with flags.
pub fn attached_incident(s: &Sandbox) {
    assert_eq!(
        s.ok(&[
            "add",
            "--date",
            "2021-08-08",
            "--country",
            "AF",
            "--admin1",
            "Kabul",
            "--victim",
            "Toofan Omar",
            "--act",
            "killed",
            "--death-context",
            "targeted",
        ]),
        "AF-2021-0001\n"
    );
}
