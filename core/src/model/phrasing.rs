//! Capture prompts: nudges that make a record say what was actually seen, who said it, and what
//! an opinion rests on.
//!
//! Three prompts, from the regional briefings and the guidance on record keeping for
//! safeguarding (docs/domain.md, "Observations"):
//! - a description made only of stock phrases ("no concerns", "engaging well", "appropriate",
//!   ...) asks what was actually seen or heard;
//! - an opinion with no stated basis asks what it is based on;
//! - a reported fact with no source asks who said it.
//!
//! Invariant: prompts never block capture. They are returned to the shell to show, and the
//! model stores them with the record (so a reviewer later sees that the practitioner was asked).
//!
//! The stock-phrase and filler-word lists are data (`core/data/stock_phrases.txt`,
//! `core/data/filler_words.txt`) so a safeguarding lead can extend them without touching code.
//! Matching is on whole words after lower-casing and dropping punctuation. A description is
//! "not specific" when it can be split entirely into stock phrases and filler words. A description that merely *contains* a stock phrase next to real detail
//! ("no concerns; weighed 4.2 kg, on the 50th centile") is not flagged: the detail is there.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const STOCK_PHRASES: &str = include_str!("../../data/stock_phrases.txt");
const FILLER_WORDS: &str = include_str!("../../data/filler_words.txt");

/// A prompt shown at capture and stored with the record. Never blocks capture.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "warning")]
pub enum CaptureWarning {
    /// The description is only stock phrases and filler: it says nothing about what was seen.
    NotSpecific {
        /// The stock phrases found, in the order they appear (may be empty when the text is
        /// only filler words such as "mum and baby").
        stock_phrases: Vec<String>,
    },
    /// An opinion was recorded without what it is based on.
    OpinionWithoutBasis,
    /// A fact reported by someone else was recorded without who reported it.
    ReportedFactWithoutSource,
    /// A voice-of-the-child note does not say who was present.
    PresenceNotRecorded,
}

impl CaptureWarning {
    /// The prompt the shell shows the practitioner, in plain words.
    pub fn prompt(&self) -> String {
        match self {
            CaptureWarning::NotSpecific { stock_phrases } if !stock_phrases.is_empty() => format!(
                "\"{}\" does not say what you saw or heard. What did you actually see?",
                stock_phrases.join("\", \"")
            ),
            CaptureWarning::NotSpecific { .. } => {
                "This does not say what you saw or heard. What did you actually see?".to_owned()
            }
            CaptureWarning::OpinionWithoutBasis => {
                "This is recorded as your opinion. What is it based on?".to_owned()
            }
            CaptureWarning::ReportedFactWithoutSource => {
                "This was reported to you. Who said it?".to_owned()
            }
            CaptureWarning::PresenceNotRecorded => {
                "Who was present when the child said or showed this?".to_owned()
            }
        }
    }
}

/// Which capture prompt was raised: the kind a screen styles or tests by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CaptureWarningKind {
    /// The text is only stock phrases and filler: what was actually seen?
    NotSpecific,
    /// An opinion with no stated basis.
    OpinionWithoutBasis,
    /// A reported fact with no source.
    ReportedFactWithoutSource,
    /// A voice-of-the-child note that does not say who was present.
    PresenceNotRecorded,
}

/// A capture prompt as a screen shows it: its kind, the stock phrases found (only for
/// `NotSpecific`, in order) and the words to show ([`CaptureWarning::prompt`]). Never blocks
/// capture; the warning itself is stored with the record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CapturePrompt {
    /// Which prompt.
    pub kind: CaptureWarningKind,
    /// The stock phrases found (only for `NotSpecific`), in order.
    pub stock_phrases: Vec<String>,
    /// The words to show the practitioner.
    pub prompt: String,
}

impl From<CaptureWarning> for CapturePrompt {
    fn from(warning: CaptureWarning) -> Self {
        let prompt = warning.prompt();
        let (kind, stock_phrases) = match warning {
            CaptureWarning::NotSpecific { stock_phrases } => {
                (CaptureWarningKind::NotSpecific, stock_phrases)
            }
            CaptureWarning::OpinionWithoutBasis => {
                (CaptureWarningKind::OpinionWithoutBasis, Vec::new())
            }
            CaptureWarning::ReportedFactWithoutSource => {
                (CaptureWarningKind::ReportedFactWithoutSource, Vec::new())
            }
            CaptureWarning::PresenceNotRecorded => {
                (CaptureWarningKind::PresenceNotRecorded, Vec::new())
            }
        };
        CapturePrompt {
            kind,
            stock_phrases,
            prompt,
        }
    }
}

/// How a statement is known, for the purpose of the prompts. The model's evidence type maps
/// onto this so the rule does not depend on the model's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind<'a> {
    /// Seen or heard by the practitioner.
    ObservedFact,
    /// Reported by someone else; `source` is who said it, if given.
    ReportedFact {
        /// Who reported it.
        source: Option<&'a str>,
    },
    /// The practitioner's opinion; `basis` is what it rests on, if given.
    Opinion {
        /// What the opinion is based on.
        basis: Option<&'a str>,
    },
}

/// The prompts for a description and how it is known, as a screen shows them while the
/// practitioner types: [`capture_warnings`] in words, in the same order.
pub fn capture_prompts(description: &str, kind: StatementKind<'_>) -> Vec<CapturePrompt> {
    capture_warnings(description, kind)
        .into_iter()
        .map(CapturePrompt::from)
        .collect()
}

/// Every prompt that applies to a description and how it is known, in a stable order
/// (specificity first, then provenance).
pub fn capture_warnings(description: &str, kind: StatementKind<'_>) -> Vec<CaptureWarning> {
    let mut warnings = Vec::new();
    if let Some(w) = specificity_warning(description) {
        warnings.push(w);
    }
    match kind {
        StatementKind::ObservedFact => {}
        StatementKind::ReportedFact { source } => {
            if is_blank(source) {
                warnings.push(CaptureWarning::ReportedFactWithoutSource);
            }
        }
        StatementKind::Opinion { basis } => {
            if is_blank(basis) {
                warnings.push(CaptureWarning::OpinionWithoutBasis);
            }
        }
    }
    warnings
}

/// The "what did you actually see?" prompt, if the text is only stock phrases and filler.
/// An empty text also gets it (the model refuses empty descriptions before this is asked).
pub fn specificity_warning(text: &str) -> Option<CaptureWarning> {
    let lists = lists();
    let words = words_of(text);
    // Can the words be split entirely into stock phrases and filler? Greedy matching is not
    // enough ("engaging well presented" is "engaging" + "well presented"), so this walks every
    // reachable position once. `step[j]` is how position j was first reached: from which
    // position and with which phrase (None for a filler word). Longer phrases are tried first
    // so the phrases named in the prompt are the longest that fit.
    let n = words.len();
    let mut step: Vec<Option<(usize, Option<usize>)>> = vec![None; n + 1];
    let mut reached = vec![false; n + 1];
    reached[0] = true;
    for i in 0..n {
        if !reached[i] {
            continue;
        }
        for (p, phrase) in lists.phrases.iter().enumerate() {
            let end = i + phrase.len();
            if end <= n && !reached[end] && words[i..end] == phrase[..] {
                reached[end] = true;
                step[end] = Some((i, Some(p)));
            }
        }
        if !reached[i + 1] && lists.fillers.iter().any(|f| f == &words[i]) {
            reached[i + 1] = true;
            step[i + 1] = Some((i, None));
        }
    }
    if !reached[n] {
        return None;
    }
    let mut found = Vec::new();
    let mut at = n;
    while let Some((from, phrase)) = step[at] {
        if let Some(p) = phrase {
            found.push(lists.phrases[p].join(" "));
        }
        at = from;
    }
    found.reverse();
    Some(CaptureWarning::NotSpecific {
        stock_phrases: found,
    })
}

fn is_blank(s: Option<&str>) -> bool {
    s.is_none_or(crate::model::normalise::is_blank)
}

fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

struct Lists {
    /// Longest first, so "no concerns raised" wins over "no concerns".
    phrases: Vec<Vec<String>>,
    fillers: Vec<String>,
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut phrases: Vec<Vec<String>> = data_lines(STOCK_PHRASES).map(words_of).collect();
        phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let fillers = data_lines(FILLER_WORDS).map(str::to_owned).collect();
        Lists { phrases, fillers }
    })
}

fn data_lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_specific(text: &str) -> bool {
        matches!(
            specificity_warning(text),
            Some(CaptureWarning::NotSpecific { .. })
        )
    }

    #[test]
    fn every_listed_stock_phrase_on_its_own_is_not_specific() {
        for phrase in data_lines(STOCK_PHRASES) {
            assert!(not_specific(phrase), "{phrase}");
        }
    }

    #[test]
    fn the_issue_examples_prompt_what_was_actually_seen() {
        for text in [
            "No concerns.",
            "Engaging well",
            "appropriate",
            "All fine!",
            "Presented well",
            "Good interaction",
            "Mum engaging well, baby appropriate, no concerns.",
        ] {
            assert!(not_specific(text), "{text}");
        }
    }

    #[test]
    fn stock_phrases_are_named_in_the_prompt_longest_match_first() {
        let w = specificity_warning("No concerns raised. Mum engaging well").unwrap();
        assert_eq!(
            w,
            CaptureWarning::NotSpecific {
                stock_phrases: vec!["no concerns raised".into(), "engaging well".into()]
            }
        );
        assert!(w.prompt().contains("no concerns raised"));
    }

    #[test]
    fn a_specific_description_gets_no_prompt_even_beside_a_stock_phrase() {
        assert_eq!(
            specificity_warning("Baby weighed 4.2 kg, on the 50th centile; no concerns."),
            None
        );
        assert_eq!(
            specificity_warning("Bruise 2 cm on left upper arm, mum said it was from the cot"),
            None
        );
        // "concerns" inside a longer sentence with detail is not a stock phrase match.
        assert_eq!(
            specificity_warning("Mum raised concerns about partner's drinking"),
            None
        );
    }

    #[test]
    fn overlapping_phrases_are_split_the_way_that_fits() {
        assert_eq!(
            specificity_warning("engaging well presented"),
            Some(CaptureWarning::NotSpecific {
                stock_phrases: vec!["engaging".into(), "well presented".into()]
            })
        );
    }

    #[test]
    fn only_filler_words_are_not_specific_either() {
        assert_eq!(
            specificity_warning("mum and baby seen at home"),
            Some(CaptureWarning::NotSpecific {
                stock_phrases: vec![]
            })
        );
    }

    #[test]
    fn an_opinion_without_a_basis_is_prompted() {
        let w = capture_warnings(
            "Dad seemed frightened of partner when she came in",
            StatementKind::Opinion { basis: Some("  ") },
        );
        assert_eq!(w, vec![CaptureWarning::OpinionWithoutBasis]);
        let with_basis = capture_warnings(
            "Dad seemed frightened of partner when she came in",
            StatementKind::Opinion {
                basis: Some("he stopped talking and looked at her before each answer"),
            },
        );
        assert!(with_basis.is_empty());
    }

    #[test]
    fn a_reported_fact_without_a_source_is_prompted() {
        let w = capture_warnings(
            "Police were called to the address on Saturday night",
            StatementKind::ReportedFact { source: None },
        );
        assert_eq!(w, vec![CaptureWarning::ReportedFactWithoutSource]);
        assert!(capture_warnings(
            "Police were called to the address on Saturday night",
            StatementKind::ReportedFact {
                source: Some("maternal grandmother, by phone")
            },
        )
        .is_empty());
    }

    #[test]
    fn prompts_accumulate_in_a_stable_order() {
        let w = capture_warnings("all fine", StatementKind::Opinion { basis: None });
        assert_eq!(
            w,
            vec![
                CaptureWarning::NotSpecific {
                    stock_phrases: vec!["all fine".into()]
                },
                CaptureWarning::OpinionWithoutBasis
            ]
        );
    }

    #[test]
    fn capture_prompts_are_the_warnings_in_words_in_the_same_order() {
        // What a screen shows for a stock-phrase opinion with no basis: both prompts, each
        // with its kind and words, specificity first.
        let prompts = capture_prompts("No concerns.", StatementKind::Opinion { basis: None });
        assert_eq!(
            prompts,
            vec![
                CapturePrompt {
                    kind: CaptureWarningKind::NotSpecific,
                    stock_phrases: vec!["no concerns".into()],
                    prompt: "\"no concerns\" does not say what you saw or heard. What did you \
                             actually see?"
                        .into(),
                },
                CapturePrompt {
                    kind: CaptureWarningKind::OpinionWithoutBasis,
                    stock_phrases: Vec::new(),
                    prompt: "This is recorded as your opinion. What is it based on?".into(),
                },
            ]
        );
        let reported = capture_prompts(
            "Weighed 4.2 kg at clinic",
            StatementKind::ReportedFact { source: Some("  ") },
        );
        assert_eq!(
            reported,
            vec![CapturePrompt {
                kind: CaptureWarningKind::ReportedFactWithoutSource,
                stock_phrases: Vec::new(),
                prompt: "This was reported to you. Who said it?".into(),
            }]
        );
        // Specific, observed: nothing to prompt.
        assert!(
            capture_prompts("Weighed 4.2 kg at clinic", StatementKind::ObservedFact).is_empty()
        );
    }

    #[test]
    fn every_prompt_in_the_words_the_practitioner_sees() {
        // Only filler words: nothing to quote, so the prompt names no phrase.
        assert_eq!(
            CaptureWarning::NotSpecific {
                stock_phrases: Vec::new()
            }
            .prompt(),
            "This does not say what you saw or heard. What did you actually see?"
        );
        // Two phrases: each quoted, in order.
        assert_eq!(
            CaptureWarning::NotSpecific {
                stock_phrases: vec!["no concerns".into(), "engaging well".into()]
            }
            .prompt(),
            "\"no concerns\", \"engaging well\" does not say what you saw or heard. What did \
             you actually see?"
        );
        assert_eq!(
            CapturePrompt::from(CaptureWarning::PresenceNotRecorded),
            CapturePrompt {
                kind: CaptureWarningKind::PresenceNotRecorded,
                stock_phrases: Vec::new(),
                prompt: "Who was present when the child said or showed this?".into(),
            }
        );
    }

    #[test]
    fn the_data_files_comments_and_blank_lines_are_not_phrases() {
        let lines: Vec<&str> =
            data_lines("# a comment\n\n  no concerns  \n#\nall fine\n").collect();
        assert_eq!(lines, ["no concerns", "all fine"]);
        // The shipped lists' own comment text is not taken for a stock phrase.
        assert_eq!(
            specificity_warning(
                "Stock phrases that say nothing about what was actually seen or heard."
            ),
            None
        );
    }
}
