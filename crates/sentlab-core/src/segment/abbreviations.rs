//! Word lists that decide whether a period after a word ends a sentence.
//!
//! Every list is sorted by bytes (checked by a unit test) and searched with binary search.
//! Abbreviation entries are stored lowercase without their final period; the opener and
//! time-context lists are case-sensitive because capitalisation is what they test.

/// How an abbreviation before a period affects the sentence boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// Always followed by a name or number: never ends a sentence.
    Title,
    /// Introduces what follows: never ends a sentence.
    NeverFinal,
    /// An abbreviation only before a number; otherwise an ordinary word.
    NumberPrefix,
    /// Often ends a sentence: a boundary only before a typical sentence opener.
    CanEnd,
}

/// Titles and other prepositive abbreviations: a name or number always follows, so their
/// period never ends a sentence ("Mr. Smith", "Mt. Fuji", "St. Michael's").
const TITLES: &[&str] = &[
    "adm", "ald", "amb", "atty", "brig", "capt", "cdr", "cllr", "cmdr", "col", "comdr", "cpl",
    "cpt", "det", "dr", "drs", "ens", "fr", "ft", "gen", "gov", "hon", "insp", "lieut", "lt",
    "maj", "messrs", "mlle", "mme", "mr", "mrs", "ms", "msgr", "mt", "pres", "prof", "pvt", "rep",
    "reps", "rev", "rt", "sec", "sen", "sens", "sgt", "st", "supt",
];

/// Abbreviations that introduce what follows ("vs. Chicago", "approx. 5"): never final.
const NEVER_FINAL: &[&str] = &[
    "approx", "ca", "cf", "eg", "esp", "ie", "incl", "resp", "viz", "vs",
];

/// Abbreviations that are only abbreviations before a number ("No. 5", "pp. 3-4");
/// before anything else they are read as ordinary words ("He said no. Then...").
const NUMBER_PREFIX: &[&str] = &[
    "apt", "art", "arts", "ch", "chap", "cl", "div", "ed", "eds", "est", "ex", "ext", "fig",
    "figs", "max", "min", "mk", "no", "nos", "nr", "nrs", "n°", "nº", "op", "para", "pg", "pp",
    "pt", "pts", "ref", "rm", "ste", "tel", "vol", "vols",
];

/// Postpositive abbreviations that often end a sentence ("Briggs & Co. It closed."): final
/// only when a typical sentence opener follows.
const CAN_END: &[&str] = &[
    "al", "assn", "ave", "blvd", "bros", "co", "corp", "cos", "ct", "dept", "dist", "esq", "etc",
    "hwy", "inc", "jr", "llc", "ln", "ltd", "mfg", "pkwy", "plc", "rd", "sq", "sr", "univ", "yr",
    "yrs",
];

/// Like [`CAN_END`], but only when capitalised, because the lowercase form is an ordinary
/// word ("Ill." vs "ill.", "Mass." vs "mass."): months, weekdays and US states.
const CAPITALISED_CAN_END: &[&str] = &[
    "ala", "apr", "ariz", "ark", "aug", "calif", "colo", "conn", "dec", "del", "feb", "fla", "fri",
    "ga", "ill", "ind", "jan", "jul", "jun", "kan", "kans", "ky", "la", "mar", "mass", "md",
    "mich", "minn", "miss", "mo", "mon", "mont", "neb", "nev", "nov", "oct", "okla", "ore", "pa",
    "penn", "sat", "sep", "sept", "sun", "tenn", "tex", "thu", "thur", "thurs", "tue", "tues",
    "va", "vt", "wash", "wed", "wis", "wyo",
];

/// Capitalised words that typically open a sentence; after an ambiguous abbreviation ("U.S.",
/// "Inc.", an initial) they decide for a boundary. Case-sensitive.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "About",
    "According",
    "After",
    "Again",
    "All",
    "Also",
    "Although",
    "Among",
    "An",
    "And",
    "Another",
    "Any",
    "As",
    "At",
    "Because",
    "Before",
    "Being",
    "Both",
    "But",
    "By",
    "Can",
    "Despite",
    "Did",
    "During",
    "Each",
    "Earlier",
    "Even",
    "Every",
    "Few",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Instead",
    "It",
    "Its",
    "Just",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "More",
    "Moreover",
    "Most",
    "Mr",
    "Mrs",
    "Ms",
    "Much",
    "My",
    "Neither",
    "Never",
    "No",
    "None",
    "Not",
    "Now",
    "On",
    "Once",
    "One",
    "Only",
    "Other",
    "Our",
    "Over",
    "Perhaps",
    "Several",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "To",
    "Today",
    "Under",
    "Until",
    "We",
    "What",
    "When",
    "Where",
    "Whether",
    "While",
    "Who",
    "Why",
    "With",
    "Without",
    "Yesterday",
    "Yet",
    "You",
    "Your",
];

/// Words that continue a clock time rather than start a sentence ("5 p.m. Monday",
/// "10 a.m. ET"). Case-sensitive.
const TIME_CONTEXT: &[&str] = &[
    "AEDT",
    "AEST",
    "Apr",
    "April",
    "Aug",
    "August",
    "BST",
    "CDT",
    "CEST",
    "CET",
    "CST",
    "Central",
    "Dec",
    "December",
    "EDT",
    "EST",
    "ET",
    "Eastern",
    "Feb",
    "February",
    "Fri",
    "Friday",
    "GMT",
    "HKT",
    "IST",
    "JST",
    "Jan",
    "January",
    "Jul",
    "July",
    "Jun",
    "June",
    "MDT",
    "MSK",
    "MST",
    "MT",
    "Mar",
    "March",
    "May",
    "Mon",
    "Monday",
    "Mountain",
    "Nov",
    "November",
    "Oct",
    "October",
    "PDT",
    "PST",
    "PT",
    "Pacific",
    "Sat",
    "Saturday",
    "Sep",
    "Sept",
    "September",
    "Sun",
    "Sunday",
    "Thu",
    "Thur",
    "Thurs",
    "Thursday",
    "Tue",
    "Tues",
    "Tuesday",
    "UTC",
    "Wed",
    "Wednesday",
];

/// Longest entry of any list, in bytes: every entry packs into one `u128` key.
const MAX_ENTRY: usize = 16;

/// Packs `bytes` (at most 16) big-endian and zero-padded, so that comparing keys compares
/// the strings by bytes: a sorted `&[&str]` list gives a sorted key table. Comparing `u128`s
/// is several times faster than `memcmp` on such short strings, and this lookup runs for the
/// word before almost every period of the corpus.
const fn key(bytes: &[u8]) -> u128 {
    let mut k = 0u128;
    let mut i = 0;
    while i < MAX_ENTRY {
        k <<= 8;
        if i < bytes.len() {
            k |= bytes[i] as u128;
        }
        i += 1;
    }
    k
}

/// The key table of a word list (evaluated at compile time).
const fn keys<const N: usize>(list: &[&str]) -> [u128; N] {
    let mut out = [0u128; N];
    let mut i = 0;
    while i < N {
        assert!(list[i].len() <= MAX_ENTRY, "list entry too long for a key");
        out[i] = key(list[i].as_bytes());
        i += 1;
    }
    out
}

/// Where a merged-table entry comes from: the class, and whether it needs a capital.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Any(Class),
    Capitalised,
}

/// All abbreviation lists in one key table sorted at compile time, so one binary search
/// classifies a word (this runs for the word before almost every period of the corpus).
static ABBREVIATIONS: [(u128, Entry); ABBREVIATION_COUNT] = merged();

const ABBREVIATION_COUNT: usize = TITLES.len()
    + NEVER_FINAL.len()
    + NUMBER_PREFIX.len()
    + CAN_END.len()
    + CAPITALISED_CAN_END.len();

const fn merged() -> [(u128, Entry); ABBREVIATION_COUNT] {
    let lists: [(&[&str], Entry); 5] = [
        (TITLES, Entry::Any(Class::Title)),
        (NEVER_FINAL, Entry::Any(Class::NeverFinal)),
        (NUMBER_PREFIX, Entry::Any(Class::NumberPrefix)),
        (CAN_END, Entry::Any(Class::CanEnd)),
        (CAPITALISED_CAN_END, Entry::Capitalised),
    ];
    let mut out = [(0u128, Entry::Capitalised); ABBREVIATION_COUNT];
    let mut n = 0;
    let mut l = 0;
    while l < lists.len() {
        let (list, entry) = lists[l];
        let mut i = 0;
        while i < list.len() {
            assert!(list[i].len() <= MAX_ENTRY, "list entry too long for a key");
            // Insertion sort: a few hundred entries, once, at compile time.
            let k = key(list[i].as_bytes());
            let mut j = n;
            while j > 0 && out[j - 1].0 > k {
                out[j] = out[j - 1];
                j -= 1;
            }
            assert!(
                j == 0 || out[j - 1].0 != k,
                "a word is in two abbreviation lists"
            );
            out[j] = (k, entry);
            n += 1;
            i += 1;
        }
        l += 1;
    }
    out
}

static SENTENCE_STARTER_KEYS: [u128; SENTENCE_STARTERS.len()] = keys(SENTENCE_STARTERS);
static TIME_CONTEXT_KEYS: [u128; TIME_CONTEXT.len()] = keys(TIME_CONTEXT);

fn contains(keys: &[u128], k: u128) -> bool {
    keys.binary_search(&k).is_ok()
}

/// Longest abbreviation worth looking up, in bytes.
const MAX_ABBREVIATION: usize = 12;

/// Classifies `word` (the token before a period, without the period and without surrounding
/// quotes or brackets) as an abbreviation, or `None` for an ordinary word.
pub(super) fn classify(word: &str) -> Option<Class> {
    if word.is_empty() || word.len() > MAX_ABBREVIATION {
        return None;
    }
    let mut buf = [0u8; MAX_ABBREVIATION];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let k = key(lower);
    let i = ABBREVIATIONS.binary_search_by(|e| e.0.cmp(&k)).ok()?;
    match ABBREVIATIONS[i].1 {
        Entry::Any(class) => Some(class),
        Entry::Capitalised if word.as_bytes()[0].is_ascii_uppercase() => Some(Class::CanEnd),
        Entry::Capitalised => None,
    }
}

/// Whether `word` (letters only, case as written) typically opens a sentence.
pub(super) fn is_sentence_starter(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= MAX_ENTRY
        && contains(&SENTENCE_STARTER_KEYS, key(word.as_bytes()))
}

/// Whether `word` (letters only, case as written) continues a clock time.
pub(super) fn is_time_context(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= MAX_ENTRY
        && contains(&TIME_CONTEXT_KEYS, key(word.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_unique_so_binary_search_works() {
        for list in [
            TITLES,
            NEVER_FINAL,
            NUMBER_PREFIX,
            CAN_END,
            CAPITALISED_CAN_END,
            SENTENCE_STARTERS,
            TIME_CONTEXT,
        ] {
            for pair in list.windows(2) {
                assert!(
                    pair[0] < pair[1],
                    "{:?} must sort before {:?}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn classification_is_case_insensitive_except_for_capitalised_only_entries() {
        assert_eq!(classify("Mr"), Some(Class::Title));
        assert_eq!(classify("MR"), Some(Class::Title));
        assert_eq!(classify("etc"), Some(Class::CanEnd));
        assert_eq!(classify("Ill"), Some(Class::CanEnd));
        assert_eq!(classify("ill"), None);
        assert_eq!(classify("N°"), Some(Class::NumberPrefix));
        assert_eq!(classify("approx"), Some(Class::NeverFinal));
        assert_eq!(classify("government"), None);
        assert_eq!(classify("mrs"), Some(Class::Title));
        assert_eq!(classify("m"), None);
        assert!(is_sentence_starter("The"));
        assert!(!is_sentence_starter("Th"));
        assert!(!is_sentence_starter("Theocracy"));
        assert!(is_time_context("Wednesday"));
        assert!(!is_time_context("wednesday"));
    }
}
