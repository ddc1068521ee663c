//! Push: decides, envelope by envelope, what a device may store, then stores the rest in one
//! transaction.
//!
//! Checks, in order, each answered per envelope with a [`RejectCode`] (a rejected envelope is
//! never stored; the others in the batch still are):
//! 1. readable: the wire version first (`unsupported_version`), then the kind
//!    (`unknown_kind`), then the whole shape (`malformed`);
//! 2. the author is the signing device's practitioner and the device field is the signing
//!    device (`author_mismatch`) — nobody can push in another's name;
//! 3. fields the kind needs: due time for shares and referrals, `answers` for
//!    acknowledgements, decisions and escalation steps (`missing_field`), an audience for
//!    shares and acknowledgements (`audience_not_allowed`);
//! 4. every audience team is in the region's directory (`audience_not_allowed`);
//! 5. an answer only answers what its author can see — an entity addressed to one of the
//!    practitioner's teams or authored by them (`answers_not_visible`), so team A cannot
//!    acknowledge, and so close, a share meant for team B.
//!
//! Reasons name fields and ids only, never values from the body or personal data.

use crate::storage::{DeviceRecord, NewEnvelope, Store, StoreError, StoredOutcome};
use chrono::{DateTime, Utc};
use safeshare_core::sync::{
    Envelope, EnvelopeId, EnvelopeKind, EnvelopeOutcome, PushResult, RejectCode, WIRE_VERSION,
};
use std::collections::{HashMap, HashSet};

fn rejected(code: RejectCode, reason: impl Into<String>) -> EnvelopeOutcome {
    EnvelopeOutcome::Rejected {
        code,
        reason: reason.into(),
    }
}

/// Reads one raw envelope, answering why not when it cannot.
fn parse(raw: serde_json::Value) -> Result<Envelope, EnvelopeOutcome> {
    let Some(object) = raw.as_object() else {
        return Err(rejected(
            RejectCode::Malformed,
            "an envelope must be a JSON object",
        ));
    };
    match object
        .get("wire_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v == u64::from(WIRE_VERSION) => {}
        Some(v) => {
            return Err(rejected(
                RejectCode::UnsupportedVersion,
                format!("wire_version {v} is not supported (this server speaks {WIRE_VERSION})"),
            ))
        }
        None => {
            return Err(rejected(
                RejectCode::Malformed,
                "wire_version is missing or not a number",
            ))
        }
    }
    match object.get("kind").and_then(serde_json::Value::as_str) {
        Some(kind) if EnvelopeKind::from_wire(kind).is_some() => {}
        Some(_) => {
            return Err(rejected(
                RejectCode::UnknownKind,
                "kind is not one this server knows",
            ))
        }
        None => return Err(rejected(RejectCode::Malformed, "kind is missing")),
    }
    serde_json::from_value::<Envelope>(raw).map_err(|e| {
        // serde's message may quote a value from the envelope; keep only messages that
        // name fields (in backticks) and drop any that quote.
        let detail = e.to_string();
        let reason = if detail.contains('"') {
            "not a valid v1 envelope (a field has the wrong type or format)".to_owned()
        } else {
            format!("not a valid v1 envelope: {detail}")
        };
        rejected(RejectCode::Malformed, reason)
    })
}

fn check_header(env: &Envelope, device: &DeviceRecord) -> Result<(), EnvelopeOutcome> {
    if env.author != device.practitioner || env.device != device.id {
        return Err(rejected(
            RejectCode::AuthorMismatch,
            "author and device must be the signing device and its practitioner",
        ));
    }
    if env.kind.requires_due_at() && env.due_at.is_none() {
        return Err(rejected(
            RejectCode::MissingField,
            format!("a {} needs due_at", env.kind.as_str()),
        ));
    }
    if env.kind.requires_answers() && env.answers.is_none() {
        return Err(rejected(
            RejectCode::MissingField,
            format!("a {} needs answers", env.kind.as_str()),
        ));
    }
    if env.kind.requires_audience() && env.audience.is_empty() {
        return Err(rejected(
            RejectCode::AudienceNotAllowed,
            format!(
                "a {} needs at least one team in its audience",
                env.kind.as_str()
            ),
        ));
    }
    Ok(())
}

/// Validates and stores a batch of raw envelopes pushed by `device`; one result per envelope,
/// in order. Storage failure fails the whole call and nothing of the batch is stored.
pub async fn push_batch<S: Store>(
    store: &S,
    device: &DeviceRecord,
    raw: Vec<serde_json::Value>,
    now: DateTime<Utc>,
) -> Result<Vec<PushResult>, StoreError> {
    let mut results: Vec<PushResult> = Vec::with_capacity(raw.len());
    let mut candidates: Vec<(usize, Envelope)> = Vec::new();
    for (index, value) in raw.into_iter().enumerate() {
        let id = value
            .get("id")
            .and_then(serde_json::Value::as_str)
            .and_then(|s| s.parse::<EnvelopeId>().ok());
        let outcome = match parse(value).and_then(|env| check_header(&env, device).map(|()| env)) {
            Ok(env) => {
                candidates.push((index, env));
                // Placeholder until the store answers; replaced below.
                rejected(RejectCode::Malformed, "not yet decided")
            }
            Err(outcome) => outcome,
        };
        results.push(PushResult { index, id, outcome });
    }

    let teams: Vec<_> = candidates
        .iter()
        .flat_map(|(_, e)| e.audience.iter().copied())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let known = store.known_teams(teams).await?;
    let mut visible: HashMap<ulid::Ulid, bool> = HashMap::new();
    let mut to_store: Vec<(usize, NewEnvelope)> = Vec::new();
    for (index, env) in candidates {
        if let Some(unknown) = env.audience.iter().find(|t| !known.contains(t)) {
            results[index].outcome = rejected(
                RejectCode::AudienceNotAllowed,
                format!("team {unknown} is not in the region's directory"),
            );
            continue;
        }
        if let Some(entity) = env.answers {
            let seen = match visible.get(&entity) {
                Some(seen) => *seen,
                None => {
                    let seen = store
                        .entity_visible(entity, device.teams.clone(), device.practitioner)
                        .await?;
                    visible.insert(entity, seen);
                    seen
                }
            };
            if !seen {
                results[index].outcome = rejected(
                    RejectCode::AnswersNotVisible,
                    format!("entity {entity} is unknown or not addressed to your teams"),
                );
                continue;
            }
        }
        match NewEnvelope::new(env) {
            Ok(item) => to_store.push((index, item)),
            Err(_) => {
                results[index].outcome = rejected(
                    RejectCode::Malformed,
                    "the envelope could not be serialised",
                );
            }
        }
    }

    let (indexes, items): (Vec<usize>, Vec<NewEnvelope>) = to_store.into_iter().unzip();
    let stored = store.push(items, now).await?;
    for (index, outcome) in indexes.into_iter().zip(stored) {
        results[index].outcome = match outcome {
            StoredOutcome::Accepted(seq) => EnvelopeOutcome::Accepted { seq },
            StoredOutcome::Duplicate(seq) => EnvelopeOutcome::Duplicate { seq },
            StoredOutcome::Conflict(seq) => EnvelopeOutcome::Conflict { seq },
            StoredOutcome::NotOwned => rejected(
                RejectCode::EntityNotOwned,
                "this entity id belongs to another author or another kind",
            ),
            StoredOutcome::IdUnavailable => rejected(
                RejectCode::IdUnavailable,
                "this envelope id cannot be used; make a new id",
            ),
        };
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share_value() -> serde_json::Value {
        serde_json::json!({
            "id": "01KDVDNA004TFF59TDWH9EDD1R", "wire_version": 1, "kind": "share",
            "entity_id": "01KDVDNA011HEAD8X4A1JH69RE", "entity_version": 1,
            "author": "01KDVDNA02H4QX4FR84G98PBSK", "device": "01KDVDNA03JMRNV7E9Z0C1HT0H",
            "created_at": "2026-03-27T16:00:00Z", "audience": [], "body": ""
        })
    }

    #[test]
    fn a_malformed_envelope_reason_never_echoes_a_value_from_it() {
        let mut value = share_value();
        value["entity_version"] = "Jane Example, 12 Fictional Road".into();
        let Err(EnvelopeOutcome::Rejected { code, reason }) = parse(value) else {
            panic!("expected a rejection");
        };
        assert_eq!(code, RejectCode::Malformed);
        assert!(
            !reason.contains("Jane") && !reason.contains("Fictional Road"),
            "{reason}"
        );
    }

    #[test]
    fn an_unknown_field_is_named_in_the_reason() {
        let mut value = share_value();
        value["child_name"] = "Jane".into();
        let Err(EnvelopeOutcome::Rejected { code, reason }) = parse(value) else {
            panic!("expected a rejection");
        };
        assert_eq!(code, RejectCode::Malformed);
        assert!(
            reason.contains("child_name") && !reason.contains("Jane"),
            "{reason}"
        );
    }

    #[test]
    fn version_is_checked_before_kind_and_kind_before_shape() {
        let mut value = share_value();
        value["wire_version"] = 2.into();
        value["kind"] = "gossip".into();
        value["body"] = 5.into();
        assert!(matches!(
            parse(value.clone()),
            Err(EnvelopeOutcome::Rejected {
                code: RejectCode::UnsupportedVersion,
                ..
            })
        ));
        value["wire_version"] = 1.into();
        assert!(matches!(
            parse(value),
            Err(EnvelopeOutcome::Rejected {
                code: RejectCode::UnknownKind,
                ..
            })
        ));
        assert!(parse(share_value()).is_ok());
    }
}
