//! One normaliser for everything a practitioner types or pastes: identifiers (NHS numbers,
//! phone numbers, postcodes), required text and search queries.
//!
//! Owns: which characters are "space", "dash" and "invisible", and the few ways text is made
//! comparable from them. Every parser of typed input in core goes through here
//! (`rules::nhs_number`, `directory::phone`, `directory::area`, `model::error::required`,
//! directory search), so a character pasted from an email, a PDF or another app is read the
//! same way everywhere; a new kind of pasted character is fixed here once.
//!
//! Invariants:
//! - [`compact`] output never contains a space, a dash or an invisible character, and maps the
//!   full-width forms a phone keyboard produces (U+FF01..U+FF5E, NFKC-equivalent to ASCII) to
//!   ASCII; every other character is kept, so the caller can refuse it by name.
//! - [`is_blank`] is true exactly when [`trim`] returns the empty string.
//! - [`fold_for_search`] is idempotent.
//!
//! Sources (Unicode Character Database, Unicode 15):
//! - space: the `White_Space` property (`char::is_whitespace`): tab, line breaks, U+00A0
//!   no-break space, U+2000..U+200A (including U+2009 thin space), U+202F narrow no-break space,
//!   U+205F, U+3000 ideographic space.
//! - dash: general category `Pd` (dash punctuation) plus U+2212 MINUS SIGN (`Sm`) and U+2043
//!   HYPHEN BULLET (`Po`), which PDFs and word processors put where a hyphen was typed.
//! - invisible: characters that render as nothing — `Cc` controls that are not white space
//!   (including NUL), the `Cf` format characters with `Default_Ignorable_Code_Point`
//!   (U+00AD soft hyphen, U+061C, U+180E, U+200B..U+200F zero-width and direction marks,
//!   U+202A..U+202E embeddings and overrides, U+2060..U+2064 word joiner and invisible
//!   operators, U+2066..U+2069 isolates, U+FEFF byte-order mark), U+034F combining grapheme
//!   joiner, U+FE00..U+FE0F variation selectors, the Hangul fillers (U+115F, U+1160, U+3164,
//!   U+FFA0) and U+2800 BRAILLE PATTERN BLANK, which look empty on screen.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a space of any kind (Unicode `White_Space`, e.g. U+00A0, U+2009, U+202F, tab).
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Whether `c` is a dash or hyphen of any kind (`Pd`, U+2212 minus sign, U+2043 hyphen bullet).
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{058A}' | '\u{05BE}' | '\u{1400}' | '\u{1806}' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2043}'
                | '\u{2212}'
                | '\u{2E17}'
                | '\u{2E1A}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{2E40}'
                | '\u{301C}'
                | '\u{3030}'
                | '\u{30A0}'
                | '\u{FE31}'
                | '\u{FE32}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
    )
}

/// Whether `c` renders as nothing (zero-width characters, direction marks, byte-order mark,
/// soft hyphen, blank braille, NUL and other controls that are not white space).
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

/// Whether `text` is empty for a person: nothing but spaces and invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| is_space(c) || is_invisible(c))
}

/// `text` without leading and trailing spaces and invisible characters. Characters inside are
/// kept as written (a zero-width joiner inside a name or a direction mark in a right-to-left
/// name is part of it).
pub fn trim(text: &str) -> &str {
    text.trim_matches(|c| is_space(c) || is_invisible(c))
}

/// Full-width ASCII forms (U+FF01..U+FF5E) to ASCII: their NFKC decomposition is the ASCII
/// character 0xFEE0 below (Unicode `Halfwidth and Fullwidth Forms` block).
fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        other => other,
    }
}

/// An identifier as typed or pasted, with every space, dash and invisible character removed
/// and full-width forms folded to ASCII; any other character is kept for the caller to accept
/// or refuse by name. `"\u{200E}943\u{00A0}476–5919\u{FEFF}"` becomes `"9434765919"`.
pub fn compact(text: &str) -> String {
    text.chars()
        .map(fold_full_width)
        .filter(|&c| !(is_space(c) || is_dash(c) || is_invisible(c)))
        .collect()
}

/// Text whose words are separated by single ASCII spaces: every space or dash becomes a
/// separator (`dash_separates`) or is dropped, invisible characters are dropped, full-width
/// forms folded, and the ends trimmed. For codes whose spacing carries meaning (a postcode's
/// outward and inward parts).
pub fn words(text: &str, dash_separates: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().map(fold_full_width) {
        if is_invisible(c) {
            continue;
        }
        if is_space(c) || (dash_separates && is_dash(c)) {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        out.push(c);
    }
    out
}

/// Text folded for matching a search typed on a phone keyboard: lower case, diacritics removed
/// (NFKD, then combining marks dropped), typographic apostrophes and quotes made plain
/// (U+2018/2019/201B/2032/02BC to `'`; U+201C/201D/201E/2033/00AB/00BB to `"`), every dash to
/// `-`, runs of spaces to one space, invisible characters dropped, ends trimmed. So
/// "children’s front door" and "Children's Front Door" fold to the same text.
pub fn fold_for_search(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.nfkd() {
        if is_invisible(c) || is_combining_mark(c) {
            continue;
        }
        if is_space(c) {
            gap = !out.is_empty();
            continue;
        }
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' | '\u{00B4}' => {
                '\''
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
            c if is_dash(c) => '-',
            c => c,
        };
        if gap {
            out.push(' ');
            gap = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Names a character for an error message without quoting the surrounding input:
/// `'.' (U+002E)`, or just `U+200B` for a character that would not show.
pub fn describe(c: char) -> String {
    if is_invisible(c) || is_space(c) {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("'{c}' (U+{:04X})", u32::from(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_drops_every_kind_of_pasted_separator() {
        let rows: &[(&str, &str)] = &[
            ("943 476 5919", "9434765919"),
            ("943\u{00A0}476\u{00A0}5919", "9434765919"),
            ("943\u{202F}476\u{2009}5919", "9434765919"),
            ("\u{200E}943\u{200B}476\u{2060}5919\u{FEFF}", "9434765919"),
            ("943\u{2013}476\u{2014}5919", "9434765919"),
            ("943\u{2212}476\u{2010}5919\t", "9434765919"),
            ("\u{FF19}\u{FF14}\u{FF13}4765919", "9434765919"),
            ("943.476.5919", "943.476.5919"),
            ("\u{202B}943 476 5919\u{202C}", "9434765919"),
        ];
        for (input, want) in rows {
            assert_eq!(compact(input), *want, "{input:?}");
        }
    }

    #[test]
    fn blank_means_nothing_a_person_could_read() {
        let rows: &[(&str, bool)] = &[
            ("", true),
            ("   \t\n", true),
            ("\u{200B}\u{200B}", true),
            ("\u{FEFF}", true),
            ("\u{2800}\u{2800}", true),
            ("\0", true),
            ("\u{00A0}\u{202F}\u{3000}", true),
            ("\u{3164}", true),
            ("a", false),
            ("\u{200B}x\u{200B}", false),
            ("-", false),
        ];
        for (input, blank) in rows {
            assert_eq!(is_blank(input), *blank, "{input:?}");
            assert_eq!(trim(input).is_empty(), *blank, "{input:?}");
        }
    }

    #[test]
    fn search_folding_forgives_phone_keyboards() {
        let rows: &[(&str, &str)] = &[
            ("Children's Front Door", "children's front door"),
            ("children\u{2019}s front door", "children's front door"),
            (
                "CHILDREN\u{2018}S  FRONT\u{00A0}DOOR",
                "children's front door",
            ),
            ("Zoë", "zoe"),
            ("Renée O\u{2019}Brien", "renee o'brien"),
            ("Early\u{2013}Help", "early-help"),
            ("\u{201C}Hub\u{201D}", "\"hub\""),
            ("\u{200B}Leeds\u{FEFF}", "leeds"),
        ];
        for (input, want) in rows {
            assert_eq!(fold_for_search(input), *want, "{input:?}");
            assert_eq!(fold_for_search(want), *want, "idempotent: {want:?}");
        }
    }

    #[test]
    fn words_keep_one_space_where_a_gap_was() {
        let rows: &[(&str, bool, &str)] = &[
            ("LS6 2AB", true, "LS6 2AB"),
            ("  LS6\u{00A0}\u{00A0}2AB ", true, "LS6 2AB"),
            ("LS6\u{2013}2AB", true, "LS6 2AB"),
            ("LS6\u{2013}2AB", false, "LS6\u{2013}2AB"),
            ("\u{200E}LS6\u{200B}2AB", true, "LS62AB"),
            ("LS1 6", true, "LS1 6"),
        ];
        for (input, dash, want) in rows {
            assert_eq!(words(input, *dash), *want, "{input:?}");
        }
    }

    #[test]
    fn characters_are_named_without_the_input() {
        assert_eq!(describe('.'), "'.' (U+002E)");
        assert_eq!(describe('\u{200B}'), "U+200B");
    }
}
