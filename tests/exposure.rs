//! Property test (SECURITY R16): random registries with markers in every
//! field a profile must not let out. No public export, in any format,
//! holds a marker; no partner export holds one that only internal or
//! restricted readers may see.
//!
//! Markers: `SECRET` is never in a public or partner export (private notes,
//! confidential sources, internal and restricted records); `PARTNERLEVEL`
//! marks partner-level records (not public); `ANONNAME` and `ANONOUTLET`
//! the names and outlets of victims who asked not to be named (in no
//! export but `full`); `987654` the digits of precise coordinates (not
//! public). A public summary by actor and province, and public exports
//! filtered by an anonymous victim's name, hold no marker either.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::Sandbox;

const LEVELS: [&str; 4] = ["public", "partner", "internal", "restricted"];

#[derive(Clone, Debug)]
struct VictimSpec {
    level: usize,
    anonymous: bool,
    acts: usize,
}

#[derive(Clone, Debug)]
struct IncidentSpec {
    level: usize,
    coordinates: bool,
    victims: Vec<VictimSpec>,
    confidential_sources: Vec<bool>,
}

fn victim_spec() -> impl Strategy<Value = VictimSpec> {
    (0..4usize, any::<bool>(), 0..3usize).prop_map(|(level, anonymous, acts)| VictimSpec {
        level,
        anonymous,
        acts,
    })
}

fn incident_spec() -> impl Strategy<Value = IncidentSpec> {
    (
        0..4usize,
        any::<bool>(),
        prop::collection::vec(victim_spec(), 0..4),
        prop::collection::vec(any::<bool>(), 0..4),
    )
        .prop_map(
            |(level, coordinates, victims, confidential_sources)| IncidentSpec {
                level,
                coordinates,
                victims,
                confidential_sources,
            },
        )
}

/// The marker for text at `level`: plain for public, else one no lower
/// profile may show.
fn mark(level: usize, what: &str, n: usize) -> String {
    match level {
        0 => format!("plain {what} {n}"),
        1 => format!("PARTNERLEVEL {what} {n}"),
        _ => format!("SECRET {what} {n}"),
    }
}

fn incident_json(i: usize, spec: &IncidentSpec) -> Value {
    let level = spec.level;
    let mut victims = Vec::new();
    let mut claims = Vec::new();
    for (vi, v) in spec.victims.iter().enumerate() {
        // A victim is as hidden as the more hidden of itself and its incident.
        let shown = v.level.max(level);
        let name = if v.anonymous {
            format!("ANONNAME {i}-{vi} {}", mark(shown, "victim", vi))
        } else {
            mark(shown, "victim", vi)
        };
        let outlet = if v.anonymous {
            format!("ANONOUTLET {}", mark(shown, "outlet", vi))
        } else {
            mark(shown, "outlet", vi)
        };
        let acts: Vec<Value> = (0..v.acts)
            .map(|ai| {
                json!({"type": "threatened", "note": mark(shown, "act note", ai),
                       "perpetrators": [{"actor": mark(shown, &format!("actor {i}-{vi}-{ai}"), 0),
                                         "actor_type": "unknown",
                                         "note": mark(shown, "involvement note", ai)}]})
            })
            .collect();
        let victim_uid = format!("00000000-0000-4000-9000-{:06}{:06}", i, vi);
        victims.push(json!({
            "uid": victim_uid, "name": name, "anonymous": v.anonymous,
            "name_variants": [format!("{name} variant")],
            "outlet": outlet, "confidentiality": LEVELS[v.level],
            "private_notes": format!("SECRET victim note {i}-{vi}"), "acts": acts
        }));
        if !spec.confidential_sources.is_empty() {
            claims.push(
                json!({"source": "1", "subject": "victim", "subject_uid": victim_uid,
                               "field": "name", "value": name}),
            );
        }
    }
    let sources: Vec<Value> = spec
        .confidential_sources
        .iter()
        .enumerate()
        .map(|(si, &confidential)| {
            let level = if confidential { 2 } else { level };
            json!({"url": format!("https://x.org/{}", mark(level, "url", si).replace(' ', "-")),
                   "publisher": mark(level, "publisher", si), "title": mark(level, "title", si),
                   "note": format!("SECRET source note {si}"), "confidential": confidential})
        })
        .collect();
    for (si, &confidential) in spec.confidential_sources.iter().enumerate() {
        let source = format!("{}", si + 1);
        let source_level = if confidential { 2 } else { level };
        claims.push(json!({"source": source, "field": "title",
                           "value": mark(source_level, "claimed title", si)}));
        claims.push(json!({"source": source, "field": "private_notes",
                           "value": format!("SECRET claimed note {si}")}));
    }
    let mut rec = json!({
        "date": "2021-06-01", "country": "AF", "confidentiality": LEVELS[level],
        "title": mark(level, "title", i), "summary": mark(level, "summary", i),
        "admin1": mark(level, "admin1", i), "admin2": mark(level, "admin2", i),
        "locality": mark(level, "locality", i), "place": mark(level, "place", i),
        "date_as_reported": mark(level, "as reported", i),
        "private_notes": format!("SECRET incident note {i}"),
        "victims": victims, "sources": sources, "claims": claims
    });
    if spec.coordinates {
        rec["latitude"] = json!(30.987654);
        rec["longitude"] = json!(60.987654);
        rec["geo_precision"] = json!(1);
    }
    rec
}

fn exports(s: &Sandbox, profile: &str) -> Vec<(String, String)> {
    ["csv", "json", "jsonl"]
        .iter()
        .map(|f| {
            (
                format!("{profile} {f}"),
                s.ok(&["export", "--profile", profile, "--format", f]),
            )
        })
        .collect()
}

proptest! {
    // Each case runs the binary seven times: few cases, many fields each.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn no_export_shows_more_than_its_profile_allows(
        specs in prop::collection::vec(incident_spec(), 1..4)
    ) {
        let s = Sandbox::new();
        let file: String = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| format!("{}\n", incident_json(i, spec)))
            .collect();
        s.write("registry.jsonl", &file);
        let r = s.run(&["add", "--file", "registry.jsonl"]);
        prop_assert_eq!(r.code, 0, "{}", r.stderr);
        let mut public = exports(&s, "public");
        public.push((
            "public summary".into(),
            s.run(&["summary", "--by", "actor,admin1", "--format", "json"]).stdout,
        ));
        // A filter on a hidden name must not find the case it belongs to.
        for flag in ["--victim", "--outlet"] {
            public.push((
                format!("public export {flag}"),
                s.ok(&["export", flag, "ANON", "--format", "jsonl"]),
            ));
        }
        for (what, out) in public {
            for marker in ["SECRET", "PARTNERLEVEL", "ANONNAME", "ANONOUTLET", "987654"] {
                prop_assert!(!out.contains(marker), "{} shows {}:\n{}", what, marker, out);
            }
        }
        for (what, out) in exports(&s, "partner") {
            for marker in ["SECRET", "ANONNAME", "ANONOUTLET"] {
                prop_assert!(!out.contains(marker), "{} export shows {}:\n{}", what, marker, out);
            }
        }
        let internal = s.ok(&["export", "--profile", "internal", "--format", "jsonl"]);
        for marker in ["ANONNAME", "ANONOUTLET"] {
            prop_assert!(!internal.contains(marker), "internal export shows {}:\n{}", marker, internal);
        }
        // The markers are really there for the full profile to find.
        let full = s.ok(&["export", "--profile", "full", "--format", "jsonl"]);
        prop_assert!(full.contains("SECRET incident note"));
    }
}
