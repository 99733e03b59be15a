//! Name keys: how two Latin spellings of one person's name are told to be
//! the same (Toofan Omar / Toofan Omari, Nematullah / Nimatullah Hemat,
//! Mohammad / Muhammad, Hossein / Hosein). Pure functions, no I/O.
//!
//! Names of Pashto, Dari, Arabic and Persian origin are written in Latin
//! letters many ways: vowels change (e/i, o/u, a/e), letters double (ss,
//! mm), endings vary (-ullah / -ulla / -olah), `w` and `v`, `q` and `k`,
//! `ph` and `f` stand for one sound. A token's *skeleton* folds those away:
//! its first letter (any leading vowel becomes `a`) and then its consonants,
//! doubled letters once. A skeleton alone is too coarse (Omar and Amir are
//! both `amr`), so two tokens match only when their skeletons are equal AND
//! their folded spellings are close (one edit for short tokens, two for
//! tokens longer than six letters).
//!
//! Names compare token by token, in any order (family names come first in
//! some sources): `Same` when the folded spellings are equal, `Variant`
//! when every token matches one of the other's, `Partial` when every token
//! of a shorter name of two or more tokens matches one of the longer's
//! (Toofan Omar / Toofan Omar Wardak). Placeholders (`Unidentified`,
//! `[full name unavailable]`) give no key.

/// A name folded for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameKey {
    /// Folded tokens (lower-case ASCII where a Latin letter has one), in
    /// the name's order, particles left out.
    pub tokens: Vec<String>,
    /// The skeleton of each token.
    pub skeletons: Vec<String>,
    /// The tokens in sorted order (for `Same`, whatever the word order).
    sorted: Vec<String>,
}

/// How two names match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameMatch {
    /// Every token of the shorter name matches one of the longer's.
    Partial,
    /// Every token matches, spelled differently.
    Variant,
    /// The same name, up to case, accents and punctuation.
    Same,
}

/// Words that say a name is unknown: such a name matches nothing.
const PLACEHOLDERS: &[&str] = &[
    "unidentified",
    "unknown",
    "unnamed",
    "anonymous",
    "withheld",
    "na",
];

/// Particles and suffixes that come and go between spellings.
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "ud", "ed", "bin", "ibn", "bint", "de", "da", "del", "della", "di", "do",
    "dos", "das", "van", "von", "der", "den", "la", "le", "jr", "sr",
];

/// The key of `name`, or None when it names nobody (empty, a placeholder).
pub fn key(name: &str) -> Option<NameKey> {
    // Text in brackets is an editor's note ("[full name unavailable]").
    let mut kept = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in kept.chars() {
        // Apostrophes sit inside a token (Ga'al, O'Brien): dropped, not split on.
        if matches!(c, '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´') {
            continue;
        }
        if c.is_alphanumeric() {
            current.push_str(&fold_char(c));
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    if tokens.iter().any(|t| PLACEHOLDERS.contains(&t.as_str())) {
        return None;
    }
    let tokens: Vec<String> = tokens
        .into_iter()
        .filter(|t| !PARTICLES.contains(&t.as_str()))
        .collect();
    if tokens.is_empty() {
        return None;
    }
    let skeletons = tokens.iter().map(|t| skeleton(t)).collect();
    let mut sorted = tokens.clone();
    sorted.sort();
    Some(NameKey {
        tokens,
        skeletons,
        sorted,
    })
}

/// A letter in lower case without its accent (Latin letters), or as it is.
fn fold_char(c: char) -> String {
    let lower: String = c.to_lowercase().collect();
    let mapped = match lower.as_str() {
        "á" | "à" | "â" | "ä" | "ã" | "å" | "ā" | "ă" | "ą" => "a",
        "é" | "è" | "ê" | "ë" | "ē" | "ė" | "ę" | "ě" => "e",
        "í" | "ì" | "î" | "ï" | "ī" | "ı" | "į" => "i",
        "ó" | "ò" | "ô" | "ö" | "õ" | "ø" | "ō" | "ő" => "o",
        "ú" | "ù" | "û" | "ü" | "ū" | "ů" | "ű" => "u",
        "ý" | "ÿ" => "y",
        "ç" | "ć" | "č" => "c",
        "ñ" | "ń" | "ň" => "n",
        "ś" | "š" | "ş" => "s",
        "ž" | "ź" | "ż" => "z",
        "ł" => "l",
        "ř" => "r",
        "ğ" => "g",
        "đ" | "ď" => "d",
        "ť" | "ţ" => "t",
        "ß" => "ss",
        other => return other.to_string(),
    };
    mapped.to_string()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// A token's skeleton: its first letter (a leading vowel as `a`), then its
/// consonants with sounds spelled several ways made one, each run of one
/// letter once.
pub fn skeleton(token: &str) -> String {
    let mut t = token.to_string();
    // Spellings of one sound, longest first.
    for (from, to) in [
        ("ph", "f"),
        ("dj", "j"),
        ("kh", "k"),
        ("ck", "k"),
        ("q", "k"),
        ("c", "k"),
        ("w", "v"),
        ("ou", "u"),
    ] {
        t = t.replace(from, to);
    }
    // A final h after a vowel is silent (Fatimah / Fatima, -ullah / -ulla).
    if t.len() > 2 && t.ends_with('h') {
        let before = t.chars().rev().nth(1).unwrap_or('h');
        if is_vowel(before) {
            t.pop();
        }
    }
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out = String::new();
    out.push(if is_vowel(first) && first != 'y' {
        'a'
    } else {
        first
    });
    let mut last = first;
    for c in chars {
        if c != last && !is_vowel(c) {
            out.push(c);
        }
        last = c;
    }
    out
}

/// A token with each run of one letter written once (Hossein → Hosein).
fn undoubled(token: &str) -> String {
    let mut out = String::new();
    for c in token.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Levenshtein distance (names are short).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (prev + cost).min(row[j] + 1).min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Whether token `i` of `a` and token `j` of `b` spell one name.
fn tokens_match(a: &NameKey, i: usize, b: &NameKey, j: usize) -> bool {
    if a.tokens[i] == b.tokens[j] {
        return true;
    }
    if a.skeletons[i] != b.skeletons[j] {
        return false;
    }
    let (x, y) = (undoubled(&a.tokens[i]), undoubled(&b.tokens[j]));
    let allowed = if x.chars().count().max(y.chars().count()) > 6 {
        2
    } else {
        1
    };
    distance(&x, &y) <= allowed
}

/// Whether every token of `short` matches a distinct token of `long`.
fn covered(short: &NameKey, long: &NameKey) -> bool {
    let mut used = vec![false; long.tokens.len()];
    'next: for i in 0..short.tokens.len() {
        for (j, taken) in used.iter_mut().enumerate() {
            if !*taken && tokens_match(short, i, long, j) {
                *taken = true;
                continue 'next;
            }
        }
        return false;
    }
    true
}

/// How `a` and `b` match, if they do.
pub fn compare(a: &NameKey, b: &NameKey) -> Option<NameMatch> {
    if a.sorted == b.sorted {
        return Some(NameMatch::Same);
    }
    let (short, long) = if a.tokens.len() <= b.tokens.len() {
        (a, b)
    } else {
        (b, a)
    };
    if !covered(short, long) {
        return None;
    }
    if short.tokens.len() == long.tokens.len() {
        Some(NameMatch::Variant)
    } else if short.tokens.len() >= 2 {
        Some(NameMatch::Partial)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(a: &str, b: &str) -> Option<NameMatch> {
        compare(&key(a).expect("a key"), &key(b).expect("a key"))
    }

    #[test]
    fn skeletons_fold_vowels_doubling_and_endings() {
        assert_eq!(skeleton("nematullah"), "nmtl");
        assert_eq!(skeleton("nimatulla"), "nmtl");
        assert_eq!(skeleton("omar"), "amr");
        assert_eq!(skeleton("omari"), "amr");
        assert_eq!(skeleton("umar"), "amr");
        assert_eq!(skeleton("mohammad"), "mhmd");
        assert_eq!(skeleton("muhammed"), "mhmd");
        assert_eq!(skeleton("hossein"), "hsn");
        assert_eq!(skeleton("husain"), "hsn");
        assert_eq!(skeleton("wahid"), "vhd");
        assert_eq!(skeleton("vahid"), "vhd");
        assert_eq!(skeleton("youssef"), "ysf");
        assert_eq!(skeleton("yusuf"), "ysf");
        assert_eq!(skeleton("qasim"), "ksm");
        assert_eq!(skeleton("kasim"), "ksm");
        assert_eq!(skeleton("fatimah"), "ftm");
    }

    #[test]
    fn the_issues_spellings_are_one_person() {
        assert_eq!(m("Toofan Omar", "Toofan Omari"), Some(NameMatch::Variant));
        assert_eq!(
            m("Nematullah Hemat", "Nimatullah Hemat"),
            Some(NameMatch::Variant)
        );
        assert_eq!(
            m("Nematullah Hemat", "Nematulla Hemat"),
            Some(NameMatch::Variant)
        );
        assert_eq!(
            m("Lasantha Wickramatunga", "Lasantha Wickrematunge"),
            Some(NameMatch::Variant)
        );
        assert_eq!(
            m("Mohammad Ismail", "Muhammad Ismail"),
            Some(NameMatch::Variant)
        );
    }

    #[test]
    fn case_accents_punctuation_and_order_are_the_same_name() {
        assert_eq!(m("José Sánchez", "jose sanchez"), Some(NameMatch::Same));
        assert_eq!(m("Omar, Toofan", "Toofan Omar"), Some(NameMatch::Same));
        assert_eq!(
            m("Abdinasir Abdulle Ga’al", "Abdinasir Abdulle Gaal"),
            Some(NameMatch::Same)
        );
        assert_eq!(
            m("Ahmad al-Sharifi", "Ahmad Sharifi"),
            Some(NameMatch::Same)
        );
    }

    #[test]
    fn a_longer_name_with_every_token_is_partial() {
        assert_eq!(
            m("Toofan Omar", "Toofan Omar Wardak"),
            Some(NameMatch::Partial)
        );
        // One shared first name is not the same person.
        assert_eq!(m("Ahmad", "Ahmad Shah"), None);
    }

    #[test]
    fn different_names_with_one_skeleton_do_not_match() {
        assert_eq!(m("Omar Khan", "Amir Khan"), None);
        assert_eq!(m("Ali Hassan", "Ali Hussein"), None);
        assert_eq!(m("Mina Khairi", "Sadia Khairi"), None);
        assert_eq!(m("Ahmad Omar", "Hamid Omar"), None);
    }

    #[test]
    fn placeholders_and_empty_names_have_no_key() {
        assert_eq!(key(""), None);
        assert_eq!(key("  "), None);
        assert_eq!(key("Unidentified"), None);
        assert_eq!(key("[name withheld]"), None);
        assert_eq!(
            key("Ahmad [full name unavailable]").map(|k| k.tokens),
            Some(vec!["ahmad".to_string()])
        );
    }

    #[test]
    fn other_scripts_compare_as_written() {
        assert_eq!(m("احمد خیری", "احمد خیری"), Some(NameMatch::Same));
        assert_eq!(m("احمد خیری", "مینه خیری"), None);
    }
}
