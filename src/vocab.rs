//! The controlled vocabularies of the data model (DESIGN §2).
//!
//! Each vocabulary is one Rust enum that clap, serde and SQLite all share
//! (its SQLite conversion lives with the storage layer, `db::sql_types`), so
//! a raw string never crosses into SQL or out to a user unchecked, and a
//! wrong value is answered with the list of accepted ones. The strings here
//! must equal the `CHECK` lists in `schema.sql`; a unit test holds them
//! together.

use std::fmt;
use std::str::FromStr;

/// A value that is not in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabError {
    /// What the vocabulary is called in messages ("act type").
    pub label: &'static str,
    /// The value that was given.
    pub value: String,
    /// The accepted values, in order.
    pub accepted: &'static [&'static str],
}

impl fmt::Display for VocabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} '{}'{} (accepted: {})",
            self.label,
            self.value,
            did_you_mean(&self.value, self.accepted),
            self.accepted.join(", ")
        )
    }
}

/// The values of `accepted` that `value` was probably meant to be, best
/// first: the same words in another case or with other separators
/// (`Media-Manager`), the values containing it as a word (`manager`), or
/// near misspellings (`kidnaped`, `likley`, `shot`). Nothing when nothing
/// is close, so nonsense gets only the list.
pub fn suggestions<'a>(value: &str, accepted: &[&'a str]) -> Vec<&'a str> {
    let wanted: String = value
        .trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    if let Some(same) = accepted.iter().find(|a| **a == wanted) {
        return vec![same];
    }
    let as_word: Vec<&'a str> = accepted
        .iter()
        .copied()
        .filter(|a| wanted.len() >= 3 && a.split('_').any(|w| w == wanted))
        .collect();
    if !as_word.is_empty() {
        return as_word;
    }
    // Jaro-Winkler favours a shared beginning, which is how values are
    // mistyped or shortened at 2 a.m. (`shot` for `shooting`); 0.8 keeps
    // unrelated words of the list out (measured on every vocabulary).
    let mut near: Vec<(f64, &'a str)> = accepted
        .iter()
        .map(|a| (strsim::jaro_winkler(&wanted, a), *a))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    near.sort_by(|a, b| b.0.total_cmp(&a.0));
    near.into_iter().take(1).map(|(_, a)| a).collect()
}

/// `did you mean 'x'?` for `value`, with a leading separator, or nothing.
pub fn did_you_mean(value: &str, accepted: &[&str]) -> String {
    let found = suggestions(value, accepted);
    if found.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = found.iter().map(|s| format!("'{s}'")).collect();
    format!(": did you mean {}?", quoted.join(" or "))
}

impl std::error::Error for VocabError {}

/// Behaviour shared by every vocabulary enum.
pub trait Vocabulary: Sized + Copy + 'static {
    /// Every value, in the order of the design.
    const ALL: &'static [Self];
    /// Every value's text, in the same order.
    const NAMES: &'static [&'static str];
    /// The value's text, as stored and printed.
    fn as_str(self) -> &'static str;
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $label:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const NAMES: &'static [&'static str] = &[$($text),+];
            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl $name {
            /// The value's text, as stored and printed.
            pub fn as_str(self) -> &'static str {
                Vocabulary::as_str(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = VocabError;
            fn from_str(s: &str) -> Result<Self, VocabError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(VocabError {
                        label: $label,
                        value: s.to_string(),
                        accepted: <$name as Vocabulary>::NAMES,
                    }),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                <$name as Vocabulary>::ALL
            }
            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.as_str()))
            }
        }
    };
}

vocabulary! {
    /// How precisely the date of an incident or act is known.
    DatePrecision, "date precision" {
        Day = "day", Week = "week", Month = "month", Year = "year", Unknown = "unknown",
    }
}

vocabulary! {
    /// The calendar a date was reported in; dates are stored Gregorian.
    Calendar, "calendar" {
        Gregorian = "gregorian", SolarHijri = "solar_hijri", LunarHijri = "lunar_hijri",
    }
}

vocabulary! {
    /// The circumstances of an incident.
    Context, "context" {
        ArmedClashes = "armed_clashes", Embedded = "embedded", Protest = "protest", Riot = "riot",
        AtHome = "at_home", Commuting = "commuting", AtWork = "at_work", InCustody = "in_custody",
        AtBorder = "at_border", Online = "online", Court = "court", Other = "other",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// Where an incident stands in review.
    Verification, "verification" {
        Reported = "reported", Corroborated = "corroborated", Verified = "verified",
        Disputed = "disputed", Rejected = "rejected", OutOfScope = "out_of_scope",
        Duplicate = "duplicate",
    }
}

impl Verification {
    /// Whether summaries count the incident unless asked otherwise.
    pub fn counted_by_default(self) -> bool {
        !matches!(
            self,
            Verification::Rejected | Verification::OutOfScope | Verification::Duplicate
        )
    }
}

vocabulary! {
    /// Was the attack because of journalism.
    WorkLink, "work link" {
        Confirmed = "confirmed", Likely = "likely", Unconfirmed = "unconfirmed",
        NotWorkRelated = "not_work_related", Unknown = "unknown",
    }
}

vocabulary! {
    /// How far justice has gone.
    Justice, "justice status" {
        NoInformation = "no_information", NoInvestigation = "no_investigation",
        InvestigationOpen = "investigation_open", SuspectsIdentified = "suspects_identified",
        SuspectsArrested = "suspects_arrested", Charged = "charged", OnTrial = "on_trial",
        ConvictedSome = "convicted_some", ConvictedAll = "convicted_all", Acquitted = "acquitted",
        ClosedUnsolved = "closed_unsolved", PerpetratorDead = "perpetrator_dead",
    }
}

/// Impunity, derived from the justice status (DESIGN §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impunity {
    /// No conviction.
    Complete,
    /// Some perpetrators convicted.
    Partial,
    /// All perpetrators convicted.
    None,
}

impl Justice {
    /// Impunity as CPJ counts it: complete unless someone was convicted.
    pub fn impunity(self) -> Impunity {
        match self {
            Justice::ConvictedSome => Impunity::Partial,
            Justice::ConvictedAll => Impunity::None,
            _ => Impunity::Complete,
        }
    }
}

vocabulary! {
    /// Who may see a record (DESIGN §6).
    Confidentiality, "confidentiality level" {
        Public = "public", Partner = "partner", Internal = "internal", Restricted = "restricted",
    }
}

vocabulary! {
    /// A victim's sex.
    Sex, "sex" { Female = "female", Male = "male", Other = "other", Unknown = "unknown" }
}

vocabulary! {
    /// Whether a victim worked in the country of the incident.
    LocalOrForeign, "local/foreign value" { Local = "local", Foreign = "foreign" }
}

vocabulary! {
    /// What kind of media worker a victim is.
    Category, "victim category" {
        Journalist = "journalist", CitizenJournalist = "citizen_journalist",
        MediaWorker = "media_worker", MediaManager = "media_manager",
        GovernmentMediaOfficial = "government_media_official", MediaOutlet = "media_outlet",
        Associate = "associate", Other = "other",
    }
}

impl Category {
    /// People who work in media: the victims SDG 16.10.1, RSF and NAI
    /// count. A government media official is counted (a scope decision
    /// stated in the summary); family and associates, outlets and others
    /// are recorded but not counted as journalists or media workers.
    pub fn is_media_personnel(self) -> bool {
        matches!(
            self,
            Category::Journalist
                | Category::CitizenJournalist
                | Category::MediaWorker
                | Category::MediaManager
                | Category::GovernmentMediaOfficial
        )
    }
}

vocabulary! {
    /// How a victim was employed.
    Employment, "employment" {
        Staff = "staff", Freelance = "freelance", Stringer = "stringer",
        Volunteer = "volunteer", Unknown = "unknown",
    }
}

vocabulary! {
    /// A job a victim held.
    Job, "job" {
        Reporter = "reporter", Photographer = "photographer", CameraOperator = "camera_operator",
        Editor = "editor", Producer = "producer", Presenter = "presenter", Columnist = "columnist",
        Publisher = "publisher", Technician = "technician", Fixer = "fixer",
        Translator = "translator", Driver = "driver", Security = "security", Other = "other",
    }
}

vocabulary! {
    /// A medium a victim worked in.
    Medium, "medium" {
        Print = "print", Radio = "radio", Television = "television", Online = "online",
        NewsAgency = "news_agency", Documentary = "documentary", SocialMedia = "social_media",
    }
}

vocabulary! {
    /// A subject a victim covered.
    Beat, "beat" {
        Politics = "politics", War = "war", HumanRights = "human_rights",
        Corruption = "corruption", Crime = "crime", Culture = "culture", Business = "business",
        Sports = "sports", WomenRights = "women_rights", Other = "other",
    }
}

vocabulary! {
    /// Where a victim stands now.
    VictimStatus, "victim status" {
        Dead = "dead", Wounded = "wounded", Unharmed = "unharmed", Missing = "missing",
        Held = "held", Released = "released", Escaped = "escaped", Exiled = "exiled",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// One kind of violation against one victim.
    ActType, "act type" {
        Killed = "killed", Tortured = "tortured", SexualViolence = "sexual_violence",
        Disappeared = "disappeared", Missing = "missing", Detained = "detained",
        Kidnapped = "kidnapped", Hostage = "hostage", AttemptedKilling = "attempted_killing",
        Wounded = "wounded", Assaulted = "assaulted", Threatened = "threatened",
        Harassed = "harassed", Surveilled = "surveilled", Charged = "charged", Sued = "sued",
        Subpoenaed = "subpoenaed", EquipmentSeized = "equipment_seized",
        PropertyAttacked = "property_attacked", DeniedAccess = "denied_access",
        BorderStopped = "border_stopped", Censored = "censored", Dismissed = "dismissed",
        Smeared = "smeared",
        /// Not in DESIGN's table: monitors log acts that fit none of the
        /// above (the Press Freedom Tracker's "Other Incident"); SDG F.
        Other = "other",
    }
}

/// The UN SDG 16.10.1 category an act counts under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SdgCategory {
    /// A: killing.
    A,
    /// B: enforced disappearance.
    B,
    /// C: torture.
    C,
    /// D: arbitrary detention.
    D,
    /// E: kidnapping.
    E,
    /// F: other harmful acts.
    F,
}

impl SdgCategory {
    /// Seriousness rank for "most serious act": A > C > B > D > E > F.
    pub fn seriousness(self) -> u8 {
        match self {
            SdgCategory::A => 6,
            SdgCategory::C => 5,
            SdgCategory::B => 4,
            SdgCategory::D => 3,
            SdgCategory::E => 2,
            SdgCategory::F => 1,
        }
    }
}

impl ActType {
    /// The SDG 16.10.1 category of the act (DESIGN §2 table).
    pub fn sdg(self) -> SdgCategory {
        use ActType::*;
        match self {
            Killed => SdgCategory::A,
            Tortured | SexualViolence => SdgCategory::C,
            Disappeared | Missing => SdgCategory::B,
            Detained => SdgCategory::D,
            Kidnapped | Hostage => SdgCategory::E,
            _ => SdgCategory::F,
        }
    }
}

vocabulary! {
    /// The circumstances of a killing.
    DeathContext, "death context" {
        Targeted = "targeted", Crossfire = "crossfire",
        DangerousAssignment = "dangerous_assignment", Indiscriminate = "indiscriminate",
        InCustody = "in_custody", AfterAssault = "after_assault", Unknown = "unknown",
    }
}

vocabulary! {
    /// How an act was carried out.
    Method, "method" {
        Shooting = "shooting", Explosive = "explosive", Stabbing = "stabbing",
        Beating = "beating", Vehicle = "vehicle", Arson = "arson", Poisoning = "poisoning",
        Abduction = "abduction", LegalProcess = "legal_process", Online = "online",
        Other = "other", Unknown = "unknown",
    }
}

vocabulary! {
    /// What kind of actor a perpetrator is, at a given time.
    ActorType, "actor type" {
        StateMilitary = "state_military", StatePolice = "state_police",
        StateIntelligence = "state_intelligence", StateOfficial = "state_official",
        Judiciary = "judiciary", DeFactoAuthority = "de_facto_authority",
        ArmedGroup = "armed_group", Paramilitary = "paramilitary",
        CriminalGroup = "criminal_group", Mob = "mob", PrivateIndividual = "private_individual",
        PoliticalParty = "political_party", Employer = "employer",
        ForeignState = "foreign_state", Unknown = "unknown",
    }
}

/// State or non-state, for the SDG indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StateSide {
    /// An organ of a state, or an authority exercising state power.
    State,
    /// Anyone else.
    NonState,
    /// Not known.
    Unknown,
}

impl StateSide {
    /// How the side is printed.
    pub fn as_str(self) -> &'static str {
        match self {
            StateSide::State => "state",
            StateSide::NonState => "non_state",
            StateSide::Unknown => "unknown",
        }
    }
}

impl ActorType {
    /// State or non-state. A de facto authority exercises state power, so
    /// it counts as state (the Taliban after 2021-08-15).
    pub fn state_side(self) -> StateSide {
        use ActorType::*;
        match self {
            StateMilitary | StatePolice | StateIntelligence | StateOfficial | Judiciary
            | DeFactoAuthority | ForeignState => StateSide::State,
            ArmedGroup | Paramilitary | CriminalGroup | Mob | PrivateIndividual
            | PoliticalParty | Employer => StateSide::NonState,
            Unknown => StateSide::Unknown,
        }
    }

    /// CPJ's "source of fire" value for this type.
    pub fn cpj_source_of_fire(self) -> &'static str {
        use ActorType::*;
        match self {
            StateMilitary | ForeignState => "Military Officials",
            StatePolice | StateIntelligence | StateOfficial | Judiciary | DeFactoAuthority => {
                "Government Officials"
            }
            ArmedGroup | PoliticalParty => "Political Group",
            Paramilitary => "Paramilitary Group",
            CriminalGroup => "Criminal Group",
            Mob => "Mob Violence",
            PrivateIndividual | Employer => "Local Residents",
            Unknown => "Unknown Fire",
        }
    }
}

vocabulary! {
    /// What an actor did in an act.
    Role, "role" {
        Perpetrator = "perpetrator", Ordered = "ordered", Accomplice = "accomplice",
        FailedToProtect = "failed_to_protect", Unknown = "unknown",
    }
}

vocabulary! {
    /// On what the attribution to an actor rests.
    Basis, "attribution basis" {
        Claimed = "claimed", Acknowledged = "acknowledged", Denied = "denied",
        CourtFinding = "court_finding", OfficialAccusation = "official_accusation",
        Arrest = "arrest", AccusedByVictim = "accused_by_victim",
        AccusedByColleagues = "accused_by_colleagues", Witness = "witness",
        MonitorAssessment = "monitor_assessment", Inferred = "inferred", Unknown = "unknown",
    }
}

vocabulary! {
    /// How sure the attribution is.
    Confidence, "confidence" {
        Confirmed = "confirmed", Likely = "likely", Possible = "possible",
        Unlikely = "unlikely", Unknown = "unknown",
    }
}

vocabulary! {
    /// What kind of source backs an incident.
    SourceType, "source type" {
        NewsReport = "news_report", WireReport = "wire_report",
        MonitorStatement = "monitor_statement", UnStatement = "un_statement",
        OfficialStatement = "official_statement", PerpetratorClaim = "perpetrator_claim",
        SocialMedia = "social_media", Interview = "interview", CourtDocument = "court_document",
        MedicalRecord = "medical_record", PhotoVideo = "photo_video", Other = "other",
    }
}

vocabulary! {
    /// How reliable a source is judged.
    Reliability, "reliability" {
        High = "high", Medium = "medium", Low = "low", Unknown = "unknown",
    }
}

vocabulary! {
    /// What a claim is about.
    ClaimSubject, "claim subject" {
        Incident = "incident", Victim = "victim", Act = "act", Involvement = "involvement",
    }
}

vocabulary! {
    /// What a source does with a value.
    Stance, "stance" { Asserts = "asserts", Denies = "denies", Corrects = "corrects" }
}

vocabulary! {
    /// How two incidents are related.
    Relation, "relation" {
        FollowUp = "follow_up", SameCampaign = "same_campaign", Related = "related",
    }
}

/// The value a record gets when it says nothing (DESIGN §2 defaults).
macro_rules! default_value {
    ($($t:ident => $v:ident),+ $(,)?) => {
        $(impl Default for $t {
            fn default() -> Self {
                $t::$v
            }
        })+
    };
}

default_value! {
    DatePrecision => Day,
    Calendar => Gregorian,
    Context => Unknown,
    Verification => Reported,
    WorkLink => Unknown,
    Justice => NoInformation,
    Confidentiality => Public,
    Sex => Unknown,
    Category => Journalist,
    Employment => Unknown,
    VictimStatus => Unknown,
    Method => Unknown,
    Role => Perpetrator,
    Basis => Unknown,
    Confidence => Unknown,
    SourceType => NewsReport,
    Reliability => Unknown,
    ClaimSubject => Incident,
    Stance => Asserts,
}

/// Every vocabulary's column names and values, for the schema test.
#[cfg(test)]
pub(crate) fn all_vocabularies() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("date_precision", DatePrecision::NAMES),
        ("calendar", Calendar::NAMES),
        ("context", Context::NAMES),
        ("verification", Verification::NAMES),
        ("work_link", WorkLink::NAMES),
        ("justice", Justice::NAMES),
        ("confidentiality", Confidentiality::NAMES),
        ("sex", Sex::NAMES),
        ("local_or_foreign", LocalOrForeign::NAMES),
        ("category", Category::NAMES),
        ("employment", Employment::NAMES),
        ("jobs", Job::NAMES),
        ("mediums", Medium::NAMES),
        ("beats", Beat::NAMES),
        ("status", VictimStatus::NAMES),
        ("type", ActType::NAMES),
        ("death_context", DeathContext::NAMES),
        ("method", Method::NAMES),
        ("type", ActorType::NAMES),
        ("role", Role::NAMES),
        ("basis", Basis::NAMES),
        ("confidence", Confidence::NAMES),
        ("type", SourceType::NAMES),
        ("reliability", Reliability::NAMES),
        ("subject", ClaimSubject::NAMES),
        ("stance", Stance::NAMES),
        ("relation", Relation::NAMES),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_value_appears_quoted_in_the_schema() {
        let schema = include_str!("../schema.sql");
        for (column, names) in all_vocabularies() {
            for name in names {
                assert!(
                    schema.contains(&format!("'{name}'"))
                        || schema.contains(&format!("'\"{name}\"'")),
                    "{column} value {name} missing from schema.sql"
                );
            }
        }
    }

    #[test]
    fn unknown_value_lists_accepted_ones() {
        let err = "kiled".parse::<ActType>().unwrap_err();
        assert!(err.to_string().starts_with(
            "unknown act type 'kiled': did you mean 'killed'? (accepted: killed, tortured,"
        ));
    }

    #[test]
    fn near_values_are_suggested_and_nonsense_is_not() {
        let cases: &[(&str, &[&str], &str)] = &[
            ("kidnaped", ActType::NAMES, ": did you mean 'kidnapped'?"),
            ("shot", Method::NAMES, ": did you mean 'shooting'?"),
            ("likley", Confidence::NAMES, ": did you mean 'likely'?"),
            (
                "manager",
                Category::NAMES,
                ": did you mean 'media_manager'?",
            ),
            (
                "Media-Manager",
                Category::NAMES,
                ": did you mean 'media_manager'?",
            ),
            ("Killed", ActType::NAMES, ": did you mean 'killed'?"),
            ("xyzzy", ActType::NAMES, ""),
            ("banana", Method::NAMES, ""),
            ("", Method::NAMES, ""),
        ];
        for (value, names, expected) in cases {
            assert_eq!(did_you_mean(value, names), *expected, "{value}");
        }
    }

    #[test]
    fn seriousness_orders_a_c_b_d_e_f() {
        let mut cats = vec![
            SdgCategory::F,
            SdgCategory::B,
            SdgCategory::A,
            SdgCategory::E,
            SdgCategory::C,
            SdgCategory::D,
        ];
        cats.sort_by_key(|c| std::cmp::Reverse(c.seriousness()));
        assert_eq!(
            cats,
            vec![
                SdgCategory::A,
                SdgCategory::C,
                SdgCategory::B,
                SdgCategory::D,
                SdgCategory::E,
                SdgCategory::F
            ]
        );
    }
}
