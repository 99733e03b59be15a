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
2020           1                0          0            0             0        0        1  ██▌
2021           4                0          0            1             1        2        8  ████████████████████
total          5                0          0            1             1        2        9

Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
2 incidents have only a year or an approximate date; they count in their year.
"#
        )
    );
}

/// Taliban acts up to 2021-08-15 (AF-2021-0010) are non-state; from 2021-08-16 (AF-2021-0004, -0009) state; no perpetrator is unknown.
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
unknown            1                0          0            0             0        0        1  ████
total              4                0          0            1             1        2        8

Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
2 incidents have only a year or an approximate date; they count in their year.
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
Profile rsf: RSF: each journalist or media worker once per year under one status: killed > hostage > detained > missing.
Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-12-31T12:00:00Z.

YEAR   KILLED  HOSTAGE  DETAINED  MISSING  VICTIMS
2020        1        0         0        0        1  ███▍
2021        4        1         1        0        6  ████████████████████
total       5        1         1        0        7

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
  sdg        8  journalists and media workers under their most serious act
  cpj        3  journalists and media workers killed
  rsf        6  journalists and media workers killed, hostage, detained or missing
  nai        5  journalists and media workers killed, abducted or wounded by armed groups

sdg 8 vs victims 10: a victim with several act types counts once, under the most serious — AF-2021-0003 (killed + wounded); AF-2021-0004 (detained + assaulted)
cpj 3 vs victims killed 4: 1 killed victim not counted by CPJ's rule — AF-2021-0005 government_media_official not a journalist or media worker
nai 5 vs victims killed, wounded, kidnapped or hostage 8: only acts by armed groups on the act's date — AF-2021-0005 no perpetrator recorded; AF-2021-0009 Taliban de_facto_authority on 2021-11-20; and each victim once — AF-2021-0003 (killed + wounded)
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
        r#"{"date":"2021-02-25","country":"AF","victims":[{"name":"Reporter","category":"journalist","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban","actor_type":"armed_group"}]}]},{"name":"Brother","category":"associate","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban"}]}]},{"name":"Neighbour","category":"other","acts":[{"type":"wounded","perpetrators":[{"actor":"Taliban"}]}]}]}
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
