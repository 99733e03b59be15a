//! The counting profiles of `summary` on a small hand-made registry whose
//! every count is worked out in the comments: whole outputs, exact numbers.
//! The registry is `crate::fixtures::COUNTING_REGISTRY` (each incident is
//! described there).

use crate::fixtures::{counting_registry as registry, strip};
use crate::Sandbox;

/// A victim killed and wounded (AF-2021-0003) counts once under killed and once under wounded.
#[test]
fn victims_count_a_victim_once_per_act_type() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--by", "year,act"]),
        strip(
            r#"
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

YEAR   ACT        VICTIMS
2020   killed           1  █████
2021   killed           4  ████████████████████
2021   detained         1  █████
2021   kidnapped        1  █████
2021   wounded          3  ███████████████
2021   assaulted        1  █████
total                  11

Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
2 incidents have only a year or an approximate date; they count in their year.
"#
        )
    );
}

/// The same victim counts once, under A killing; so does the victim detained and assaulted (under D).
#[test]
fn sdg_counts_a_victim_once_under_the_most_serious_act() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--profile", "sdg"]),
        strip(
            r#"
Profile sdg: UN SDG 16.10.1: each journalist or media worker once per year under the most serious act (A > C > B > D > E > F).
Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

YEAR   A_KILLING  B_DISAPPEARANCE  C_TORTURE  D_DETENTION  E_KIDNAPPING  F_OTHER  VICTIMS
2020           1                0          0            0             0        0        1  ██▉
2021           3                0          0            1             1        2        7  ████████████████████
total          4                0          0            1             1        2        8

Verified: 8 (corroborated or verified incidents); reported, not yet verified: 1, not counted (--verification names the levels to count).
Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
1 incident has only a year or an approximate date; it counts in its year.
"#
        )
    );
}

/// Taliban acts up to 2021-08-15 (AF-2021-0010) are non-state; from 2021-08-16 (AF-2021-0004, -0009) state; the killing with no
/// perpetrator (AF-2021-0005) is single-source, so sdg shows it apart instead of under unknown.
#[test]
fn sdg_counts_the_taliban_as_state_from_2021_08_16() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--profile",
            "sdg",
            "--year",
            "2021",
            "--by",
            "state"
        ]),
        strip(
            r#"
Profile sdg: UN SDG 16.10.1: each journalist or media worker once per year under the most serious act (A > C > B > D > E > F).
Records: acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

STATE      A_KILLING  B_DISAPPEARANCE  C_TORTURE  D_DETENTION  E_KIDNAPPING  F_OTHER  VICTIMS
non_state          3                0          0            0             0        2        5  ████████████████████
state              0                0          0            1             1        0        2  ████████
total              3                0          0            1             1        2        7

Verified: 7 (corroborated or verified incidents); reported, not yet verified: 1, not counted (--verification names the levels to count).
Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
1 incident has only a year or an approximate date; it counts in its year.
"#
        )
    );
}

/// The kidnapping by the Taliban as de facto authority (AF-2021-0009) is not an armed group's; the wounding on 2021-08-15 is.
#[test]
fn nai_counts_only_armed_groups_on_the_acts_date() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--profile", "nai", "--by", "year"]),
        strip(
            r#"
Profile nai: journalists and media workers killed, abducted or wounded by armed groups (the actor's type on the act's date), each once per year under the gravest.
Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

YEAR   KILLED  ABDUCTED  WOUNDED  VICTIMS
2021        3         0        2        5  ████████████████████
total       3         0        2        5

Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
"#
        )
    );
}

/// IS-K and the Taliban on the same acts (AF-2021-0002): each victim once in the totals, listed under both actors, with the overlap said.
#[test]
fn several_perpetrators_of_one_act_are_not_added_up() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--profile",
            "nai",
            "--year",
            "2021",
            "--by",
            "actor"
        ]),
        strip(
            r#"
Profile nai: journalists and media workers killed, abducted or wounded by armed groups (the actor's type on the act's date), each once per year under the gravest.
Records: acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

ACTOR                   KILLED  ABDUCTED  WOUNDED  VICTIMS
Islamic State Khorasan       1         0        1        2  ████████
Taliban                      3         0        2        5  ████████████████████
total                        3         0        2        5

Rows overlap: one victim or incident can count in several rows (several perpetrators, mediums, acts or dates); each total counts it once and is not the sum of its rows.
Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
"#
        )
    );
}

/// The government media official (AF-2021-0005) is left out; confirmed, unconfirmed and media workers apart; death contexts for confirmed cases.
#[test]
fn cpj_counts_killed_journalists_and_media_workers() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--profile", "cpj", "--by", "year"]),
        strip(
            r#"
Profile cpj: CPJ: journalists and media workers killed, by year of death; motive confirmed apart from unconfirmed; death context for confirmed cases.
Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

YEAR   KILLED  CONFIRMED  UNCONFIRMED  MEDIA_WORKERS  MURDER  CROSSFIRE  DANGEROUS_ASSIGNMENT  UNKNOWN
2020        1          1            0              0       0          1                     0        0  ██████▋
2021        3          1            1              1       1          0                     0        0  ████████████████████
total       4          2            1              1       1          1                     0        0

Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
"#
        )
    );
}

/// Under cpj, actor_type reads as CPJ's source of fire.
#[test]
fn cpj_actor_type_is_the_source_of_fire() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--profile", "cpj", "--by", "actor_type"]),
        strip(
            r#"
Profile cpj: CPJ: journalists and media workers killed, by year of death; motive confirmed apart from unconfirmed; death context for confirmed cases.
Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

ACTOR_TYPE          KILLED  CONFIRMED  UNCONFIRMED  MEDIA_WORKERS  MURDER  CROSSFIRE  DANGEROUS_ASSIGNMENT  UNKNOWN
Military Officials       1          1            0              0       0          1                     0        0  ██████▋
Political Group          3          1            1              1       1          0                     0        0  ████████████████████
total                    4          2            1              1       1          1                     0        0

actor_type shows CPJ's source of fire for the actor's type on the act's date.
Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
"#
        )
    );
}

/// Killed > hostage > detained > missing; wounded and assaulted are not counted.
#[test]
fn rsf_gives_each_person_one_status() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--profile", "rsf", "--by", "year"]),
        strip(
            r#"
Profile rsf: RSF: each journalist or media worker once per year under one status: killed in connection with their work > hostage > detained > missing, the last three only if still held or missing on 1 December.
Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

YEAR   KILLED  HOSTAGE  DETAINED  MISSING  VICTIMS
2020        1        0         0        0        1  ████
2021        4        1         0        0        5  ████████████████████
total       5        1         0        0        6

Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
2 incidents have only a year or an approximate date; they count in their year.
"#
        )
    );
}

/// Two victims in AF-2021-0002: one incident, two victims.
#[test]
fn incidents_count_each_incident_once_with_its_victims() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--profile", "incidents", "--by", "year"]),
        strip(
            r#"
Profile incidents: each incident once, with the number of its victims.
Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

YEAR   INCIDENTS  VICTIMS
2020           1        1  ██▉
2021           7        8  ████████████████████
total          8        9

Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
2 incidents have only a year or an approximate date; they count in their year.
"#
        )
    );
}

/// --act killed counts killings only, by perpetrator type on the act's date.
#[test]
fn act_filter_counts_only_those_acts_by_the_type_on_the_date() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--year",
            "2021",
            "--by",
            "actor_type",
            "--act",
            "killed"
        ]),
        strip(
            r#"
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: acts dated 2021; all countries; acts killed; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

ACTOR_TYPE   VICTIMS
armed_group        3  ████████████████████
unknown            1  ██████▋
total              4

Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
1 incident has only a year or an approximate date; it counts in its year.
"#
        )
    );
}

/// Each profile's total for 2021 and the incidents behind each difference.
#[test]
fn explain_says_which_incidents_make_the_profiles_differ() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--year", "2021", "--explain"]),
        strip(
            r#"
Totals for 2021, each by its own profile's rule:
  victims   10  a victim per act type
  incidents  7  incidents, with 8 victims
  sdg        7  journalists and media workers under their most serious act, verified cases
  cpj        3  journalists and media workers killed
  rsf        5  journalists and media workers killed, or hostage, detained or missing on 1 December
  nai        5  journalists and media workers killed, abducted or wounded by armed groups

sdg counts verified cases (corroborated or verified): verified: 7; reported, not yet verified: 1 — AF-2021-0005 reported
sdg 7 vs victims 10: a victim with several act types counts once, under the most serious — AF-2021-0003 (killed + wounded); AF-2021-0004 (detained + assaulted); and the victims not yet verified above
cpj 3 vs victims killed 4: 1 killed victim not counted by CPJ's rule — AF-2021-0005 government_media_official not a journalist or media worker
rsf 5 vs victims killed, hostage, kidnapped, detained, disappeared or missing 6: AF-2021-0004 detained, now released: not held on 1 December
rsf reads who is held or missing on 1 December from each victim's status now: the registry keeps no day of release, so someone freed since is counted on no 1 December, not even those when they were held; someone taken in an earlier year and still held or missing counts on every 1 December since, as RSF counts them
nai 5 vs victims killed, wounded, kidnapped or hostage 8: only acts by armed groups on the act's date — AF-2021-0005 no perpetrator by an accepted link; AF-2021-0009 Taliban de_facto_authority on 2021-11-20; and each victim once — AF-2021-0003 (killed + wounded)
"#
        )
    );
}

/// An act counts in the year of its own date: shot in December 2020, died
/// in January 2021. Each year sees only its own act, and CPJ's year of
/// death is 2021.
#[test]
fn an_act_counts_in_the_year_of_its_own_date() {
    let s = Sandbox::new();
    s.write(
        "late.json",
        r#"{"date":"2020-12-20","country":"AF","work_link":"confirmed","victims":[{"name":"V","acts":[{"type":"wounded"},{"type":"killed","date":"2021-01-05","death_context":"targeted"}]}]}"#,
    );
    s.ok(&["add", "--file", "late.json"]);
    let csv = |args: &[&str]| {
        let r = s.run(args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    assert_eq!(
        csv(&["summary", "--year", "2021", "--by", "act", "--format", "csv"]),
        "act,victims\nkilled,1\ntotal,1\n"
    );
    assert_eq!(
        csv(&["summary", "--year", "2020", "--by", "act", "--format", "csv"]),
        "act,victims\nwounded,1\ntotal,1\n"
    );
    assert_eq!(
        csv(&["summary", "--profile", "cpj", "--format", "csv"]),
        "year,killed,confirmed,unconfirmed,media_workers,murder,crossfire,dangerous_assignment,unknown\n\
         2021,1,1,0,0,1,0,0,0\n\
         total,1,1,0,0,1,0,0,0\n"
    );
}

/// The registry records a journalist's family attacked with them, but the
/// monitors' figures are of journalists and media workers: sdg, rsf and
/// nai leave the family out (and --explain names them), while the victims
/// profile counts every victim recorded.
#[test]
fn family_members_are_recorded_but_not_counted_as_media_workers() {
    let s = Sandbox::new();
    s.write(
        "family.jsonl",
        r#"{"date":"2021-02-25","country":"AF","verification":"corroborated","victims":[{"name":"Reporter","category":"journalist","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban","actor_type":"armed_group"}]}]},{"name":"Brother","category":"associate","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban"}]}]},{"name":"Neighbour","category":"other","acts":[{"type":"wounded","perpetrators":[{"actor":"Taliban"}]}]}]}
"#,
    );
    s.ok(&["add", "--file", "family.jsonl"]);
    // CSV: the table on stdout, its heading on stderr.
    let count = |profile: &str| {
        let r = s.run(&[
            "summary",
            "--year",
            "2021",
            "--profile",
            profile,
            "--format",
            "csv",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    assert_eq!(count("victims"), "year,victims\n2021,3\ntotal,3\n");
    assert_eq!(
        count("nai"),
        "year,killed,abducted,wounded,victims\n2021,1,0,0,1\ntotal,1,0,0,1\n"
    );
    assert_eq!(
        count("sdg"),
        "year,a_killing,b_disappearance,c_torture,d_detention,e_kidnapping,f_other,victims\n\
         2021,1,0,0,0,0,0,1\ntotal,1,0,0,0,0,0,1\n"
    );
    let explain = s.ok(&["summary", "--year", "2021", "--explain"]);
    assert!(
        explain.contains(
            "sdg, rsf and nai count journalists and media workers only: 2 victims left out of them — \
             AF-2021-0001 associate; AF-2021-0001 other\n"
        ),
        "{explain}"
    );
}

/// The CSV table of a summary (its heading goes to stderr).
#[track_caller]
fn csv(s: &Sandbox, args: &[&str]) -> String {
    let r = s.run(&[&["summary", "--format", "csv"], args].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

/// See: issue 9. RSF counts killings linked to journalism, and who is still
/// held or missing on 1 December, whenever they were taken: not a killing
/// marked not work related, not three journalists detained and released,
/// not an arrest after 1 December, not someone whose status is unknown; but
/// someone held since 2019 and someone missing since 2015.
#[test]
fn rsf_counts_work_related_killings_and_who_is_held_on_1_december() {
    let s = Sandbox::new();
    s.write(
        "rsf.jsonl",
        r#"{"date":"2021-08-06","country":"AF","work_link":"not_work_related","victims":[{"name":"Menapal","category":"government_media_official","status":"dead","acts":[{"type":"killed"}]}]}
{"date":"2021-04-09","country":"GR","work_link":"unconfirmed","victims":[{"name":"Karaivaz","status":"dead","acts":[{"type":"killed"}]}]}
{"date":"2021-09-08","country":"AF","victims":[{"name":"Daryabi","status":"released","acts":[{"type":"detained"}]},{"name":"Naqdi","status":"released","acts":[{"type":"detained"}]}]}
{"date":"2021-03-08","country":"MM","victims":[{"name":"Thein Zaw","status":"released","acts":[{"type":"detained"}]},{"name":"Still Held","status":"held","acts":[{"type":"detained"}]}]}
{"date":"2021-12-10","country":"MM","victims":[{"name":"Taken Late","status":"held","acts":[{"type":"detained"}]}]}
{"date":"2021-06-01","country":"SY","victims":[{"name":"Hostage","status":"held","acts":[{"type":"kidnapped"}]}]}
{"date":"2021-08-08","country":"AF","victims":[{"name":"Hemat","status":"missing","acts":[{"type":"kidnapped"}]}]}
{"date":"2021-07-01","country":"MX","victims":[{"name":"Nobody Knows","acts":[{"type":"disappeared"}]}]}
{"date":"2019-05-01","country":"BY","victims":[{"name":"Held Since 2019","status":"held","acts":[{"type":"detained"}]}]}
{"date":"2015-03-01","country":"SY","victims":[{"name":"Missing Since 2015","status":"missing","acts":[{"type":"missing"}]}]}
"#,
    );
    s.ok(&["add", "--file", "rsf.jsonl"]);
    // Before: killed 2, hostage 2, detained 5, missing 1, victims 10.
    assert_eq!(
        csv(&s, &["--year", "2021", "--profile", "rsf"]),
        "year,killed,hostage,detained,missing,victims\n2021,1,1,2,2,6\ntotal,1,1,2,2,6\n"
    );
    // Each 1 December counts who is held then. Before: 2015 missing 1,
    // 2019 detained 1, 2021 as above.
    assert_eq!(
        csv(
            &s,
            &[
                "--from",
                "2019",
                "--to",
                "2021",
                "--profile",
                "rsf",
                "--by",
                "year"
            ]
        ),
        "year,killed,hostage,detained,missing,victims\n\
         2019,0,0,1,1,2\n2020,0,0,1,1,2\n2021,1,1,2,2,6\ntotal,1,1,4,4,10\n"
    );
    assert_eq!(
        s.ok(&["summary", "--year", "2021", "--profile", "rsf", "--explain"]),
        strip(
            r#"
Profile rsf for 2021: 6 — RSF: each journalist or media worker once per year under one status: killed in connection with their work > hostage > detained > missing, the last three only if still held or missing on 1 December.
  acts          killed in connection with their work (not a killing known to be unrelated to it); hostage (kidnapped, hostage), detained and missing (disappeared, missing, or taken with their fate unknown) if still held or missing on 1 December, whatever year they were taken
  victims       journalists, citizen journalists, media workers and managers, government media officials
  verification  reported, corroborated, verified, disputed (not rejected, duplicate or out_of_scope)
  attribution   a linked actor counts as a perpetrator unless the link's role failed_to_protect, basis denied, confidence unlikely
  dates         killed: the year of death; held or missing: every 1 December from when they were taken, judged by the victim's status now
  method        RSF's yearly round-up (killed 1 Jan to 1 Dec in connection with their work; detained and hostage: held on 1 Dec; missing: cumulative), e.g. Round-up 2021 of 16 December 2021; https://rsf.org/en/barometer

rsf 6 vs victims killed, hostage, kidnapped, detained, disappeared or missing 10: AF-2021-0001 killed, not related to their work; AF-2021-0002 detained, now released: not held on 1 December; AF-2021-0002 detained, now released: not held on 1 December; MM-2021-0001 detained, now released: not held on 1 December; MM-2021-0002 detained after 1 December or on a day not known; MX-2021-0001 disappeared, status unknown: whether still held on 1 December cannot be told; and taken before 2021, still held or missing on 1 December — BY-2019-0001 detained; SY-2015-0001 missing
rsf counts as missing, not hostage or detained, whoever was taken and is now missing — AF-2021-0003 kidnapped
rsf reads who is held or missing on 1 December from each victim's status now: the registry keeps no day of release, so someone freed since is counted on no 1 December, not even those when they were held; someone taken in an earlier year and still held or missing counts on every 1 December since, as RSF counts them
"#
        )
    );
}

/// See: issue 9. A link the actor denied, one judged unlikely, and a
/// failure to protect never make an actor the perpetrator: not in nai, not
/// under --by actor or --by state, not for --actor-type or --actor.
#[test]
fn denied_unlikely_and_failed_to_protect_links_are_not_perpetrators() {
    let s = Sandbox::new();
    s.write(
        "links.jsonl",
        r#"{"date":"2021-03-01","country":"AF","verification":"corroborated","victims":[{"name":"Denied","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban","actor_type":"armed_group","basis":"denied"}]}]}]}
{"date":"2021-03-02","country":"AF","verification":"corroborated","victims":[{"name":"Unlikely","acts":[{"type":"wounded","perpetrators":[{"actor":"Taliban","basis":"witness","confidence":"unlikely"}]}]}]}
{"date":"2021-03-03","country":"AF","verification":"corroborated","victims":[{"name":"Taken","acts":[{"type":"kidnapped","perpetrators":[{"actor":"Police","actor_type":"state_police","role":"failed_to_protect","basis":"witness","confidence":"likely"},{"actor":"IS-K","actor_type":"armed_group","basis":"claimed","confidence":"likely"}]}]}]}
"#,
    );
    s.ok(&["add", "--file", "links.jsonl"]);
    // Before: nai 1 killed, 1 abducted, 1 wounded.
    assert_eq!(
        csv(&s, &["--year", "2021", "--profile", "nai"]),
        "year,killed,abducted,wounded,victims\n2021,0,1,0,1\ntotal,0,1,0,1\n"
    );
    // Before: IS-K 1, Police 1, Taliban 2.
    assert_eq!(
        csv(&s, &["--year", "2021", "--by", "actor"]),
        "actor,victims\nIS-K,1\nunknown,2\ntotal,3\n"
    );
    // Before: non_state 3, state 1.
    assert_eq!(
        csv(&s, &["--year", "2021", "--by", "state"]),
        "state,victims\nnon_state,1\nunknown,2\ntotal,3\n"
    );
    // Before: 3 (every act had an armed group linked).
    assert_eq!(
        csv(
            &s,
            &[
                "--year",
                "2021",
                "--actor-type",
                "armed_group",
                "--by",
                "act"
            ]
        ),
        "act,victims\nkidnapped,1\ntotal,1\n"
    );
    for filter in [["--actor", "Taliban"], ["--actor-type", "state_police"]] {
        let r = s.run(&[&["list"], &filter[..]].concat());
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (0, "", "pressreg: no incidents match\n"),
            "{filter:?}"
        );
    }
    // The links stay on record, and list shows them.
    assert_eq!(
        s.ok(&["list", "--actor", "IS-K", "--format", "csv"]),
        "ref,date,place,victims,names,acts,perpetrators,verification\n\
         AF-2021-0003,2021-03-03,AF,1,Taken,kidnapped,\"Police (failed_to_protect, likely), IS-K (likely)\",corroborated\n"
    );
}

/// See: issue 9. sdg counts verified cases (corroborated or verified); a
/// single-source report is shown apart, and counted when asked for.
#[test]
fn sdg_counts_verified_cases_and_shows_the_rest_apart() {
    let s = registry();
    let r = s.run(&[
        "summary",
        "--year",
        "2021",
        "--profile",
        "sdg",
        "--format",
        "csv",
    ]);
    assert_eq!(
        r.stdout,
        "year,a_killing,b_disappearance,c_torture,d_detention,e_kidnapping,f_other,victims\n\
         2021,3,0,0,1,1,2,7\ntotal,3,0,0,1,1,2,7\n"
    );
    assert!(
        r.stderr.contains(
            "# Verified: 7 (corroborated or verified incidents); reported, not yet verified: 1, \
             not counted (--verification names the levels to count).\n"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        csv(
            &s,
            &[
                "--year",
                "2021",
                "--profile",
                "sdg",
                "--verification",
                "reported,corroborated,verified"
            ]
        ),
        "year,a_killing,b_disappearance,c_torture,d_detention,e_kidnapping,f_other,victims\n\
         2021,4,0,0,1,1,2,8\ntotal,4,0,0,1,1,2,8\n"
    );
}

/// See: issue 9. --explain with a profile states that profile's rule and
/// what it leaves out, and nothing about the others.
#[test]
fn explain_follows_the_profile() {
    let s = registry();
    assert_eq!(
        s.ok(&["summary", "--year", "2021", "--profile", "cpj", "--explain"]),
        strip(
            r#"
Profile cpj for 2021: 3 — CPJ: journalists and media workers killed, by year of death; motive confirmed apart from unconfirmed; death context for confirmed cases.
  acts          killings; not a killing known to be unrelated to their work
  victims       journalists (with citizen journalists and media managers) and media workers
  verification  reported, corroborated, verified, disputed (not rejected, duplicate or out_of_scope)
  attribution   a linked actor counts as a perpetrator unless the link's role failed_to_protect, basis denied, confidence unlikely
  dates         the year of death
  method        CPJ's database methodology: motive confirmed or unconfirmed, media workers apart; https://cpj.org/data-methodology/

cpj 3 vs victims killed 4: 1 killed victim not counted by CPJ's rule — AF-2021-0005 government_media_official not a journalist or media worker
"#
        )
    );
    let victims = s.ok(&[
        "summary",
        "--year",
        "2021",
        "--profile",
        "victims",
        "--explain",
    ]);
    assert_eq!(
        victims,
        strip(
            r#"
Profile victims for 2021: 10 — each victim once per act type per year (a victim killed and wounded counts under both).
  acts          every act type
  victims       everyone recorded as a victim, including family, associates and outlets
  verification  reported, corroborated, verified, disputed (not rejected, duplicate or out_of_scope)
  attribution   a linked actor counts as a perpetrator unless the link's role failed_to_protect, basis denied, confidence unlikely
  dates         an act counts in the year of its own date, else its incident's
  method        pressreg's own count, no outside method

Nothing recorded that year is left out by this rule.
"#
        )
    );
}
