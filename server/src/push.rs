//! Push: decides, envelope by envelope, what a device may store, then stores the rest in one
//! transaction.
//!
//! Checks, in order, each answered per envelope with a [`RejectCode`] (a rejected envelope is
//! never stored; the others in the batch still are):
//! 1. readable: the wire version first (`unsupported_version`), then the kind
//!    (`unknown_kind`), then the whole shape, and the body a well-formed sealed container
//!    (`malformed`);
//! 2. the author is the signing device's practitioner and the device field is the signing
//!    device (`author_mismatch`) — nobody can push in another's name — and the envelope's
//!    author signature verifies with the signing device's key (`bad_author_signature`);
//! 3. fields the kind needs: due time for shares and referrals, `answers` for
//!    acknowledgements, decisions and escalation steps (`missing_field`), an audience for
//!    shares and acknowledgements (`audience_not_allowed`);
//! 4. every audience team is in the region's directory (`audience_not_allowed`);
//! 5. an answer only answers what its author can see — an entity addressed to one of the
//!    practitioner's teams or authored by them (`answers_not_visible`), so team A cannot
//!    acknowledge, and so close, a share meant for team B;
//! 6. and only an entity of a kind it can answer (`answers_wrong_kind`): an acknowledgement
//!    answers a share, a decision a referral, an escalation step either
//!    ([`EnvelopeKind::answerable`]).
//!
//! Reasons name fields and ids only, never values from the body or personal data.

use crate::storage::{DeviceRecord, NewEnvelope, Store, StoreError, StoredOutcome};
use chrono::{DateTime, Utc};
use safeshare_core::sync::authorship;
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
    let envelope = serde_json::from_value::<Envelope>(raw).map_err(|e| {
        // serde's message may quote a value from the envelope; keep only messages that
        // name fields (in backticks) and drop any that quote.
        let detail = e.to_string();
        let reason = if detail.contains('"') {
            "not a valid v3 envelope (a field has the wrong type or format)".to_owned()
        } else {
            format!("not a valid v3 envelope: {detail}")
        };
        rejected(RejectCode::Malformed, reason)
    })?;
    // Since wire version 2 the body must be a sealed container (docs/security.md); the server
    // checks its structure only and never holds a key that could open it.
    if let Err(err) = safeshare_core::crypto::envelope_seal::inspect(&envelope.body.0) {
        return Err(rejected(
            RejectCode::Malformed,
            format!("the body is not a sealed container ({err})"),
        ));
    }
    Ok(envelope)
}

fn check_header(env: &Envelope, device: &DeviceRecord) -> Result<(), EnvelopeOutcome> {
    if env.author != device.practitioner || env.device != device.id {
        return Err(rejected(
            RejectCode::AuthorMismatch,
            "author and device must be the signing device and its practitioner",
        ));
    }
    // Every stored envelope carries its author device's valid signature, so what a device
    // pulls verifies against the roster unless the server itself changed it.
    if let Err(err) = authorship::verify_with_key(env, &device.public_key) {
        return Err(rejected(
            RejectCode::BadAuthorSignature,
            format!("{err}: sign the header and sealed body with the signing device's key"),
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
    let mut visible: HashMap<ulid::Ulid, Option<EnvelopeKind>> = HashMap::new();
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
                        .visible_entity_kind(entity, device.teams.clone(), device.practitioner)
                        .await?;
                    visible.insert(entity, seen);
                    seen
                }
            };
            let Some(answered) = seen else {
                results[index].outcome = rejected(
                    RejectCode::AnswersNotVisible,
                    format!("entity {entity} is unknown or not addressed to your teams"),
                );
                continue;
            };
            if !env.kind.answerable().contains(&answered) {
                results[index].outcome = rejected(
                    RejectCode::AnswersWrongKind,
                    format!(
                        "a {} cannot answer a {} (entity {entity})",
                        env.kind.as_str(),
                        answered.as_str()
                    ),
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
            "id": "01KDVDNA004TFF59TDWH9EDD1R", "wire_version": WIRE_VERSION, "kind": "share",
            "entity_id": "01KDVDNA011HEAD8X4A1JH69RE", "entity_version": 1,
            "author": "01KDVDNA02H4QX4FR84G98PBSK", "device": "01KDVDNA03JMRNV7E9Z0C1HT0H",
            "created_at": "2026-03-27T16:00:00Z", "audience": [], "body": sealed_body()
        })
    }

    /// Standard base64 of a well-formed container sealed to a key nobody keeps. Sealed once:
    /// the property tests below build thousands of envelopes around it.
    fn sealed_body() -> String {
        static SEALED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        SEALED
            .get_or_init(|| {
                use base64::Engine as _;
                let key =
                    safeshare_core::crypto::envelope_seal::EncryptionKeyPair::generate().unwrap();
                let sealed = safeshare_core::crypto::envelope_seal::seal(
                    b"h",
                    b"{}",
                    &[key.public_key().into()],
                )
                .unwrap();
                base64::engine::general_purpose::STANDARD.encode(sealed)
            })
            .clone()
    }

    #[test]
    fn a_body_that_is_not_a_sealed_container_is_malformed() {
        use base64::Engine as _;
        let mut value = share_value();
        value["body"] = base64::engine::general_purpose::STANDARD
            .encode(br#"{"child":"Jane Example"}"#)
            .into();
        let Err(EnvelopeOutcome::Rejected { code, reason }) = parse(value) else {
            panic!("expected a rejection");
        };
        assert_eq!(code, RejectCode::Malformed);
        assert!(
            reason.contains("sealed container") && !reason.contains("Jane"),
            "{reason}"
        );
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
        // Version 2 (sealed, not signed by its author) is refused like version 1.
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
        value["wire_version"] = WIRE_VERSION.into();
        assert!(matches!(
            parse(value),
            Err(EnvelopeOutcome::Rejected {
                code: RejectCode::UnknownKind,
                ..
            })
        ));
        assert!(parse(share_value()).is_ok());
    }

    mod no_panic {
        //! Property tests: request parsing and envelope decoding answer every input, however
        //! odd, with a value or a typed refusal — never a panic.
        use super::*;
        use proptest::prelude::*;
        use safeshare_core::sync::RequestSignature;

        fn json_value() -> impl Strategy<Value = serde_json::Value> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::from),
                any::<i64>().prop_map(serde_json::Value::from),
                any::<u64>().prop_map(serde_json::Value::from),
                any::<f64>().prop_map(serde_json::Value::from),
                ".{0,40}".prop_map(serde_json::Value::from),
                "[0-9A-HJKMNP-TV-Z]{26}".prop_map(serde_json::Value::from),
                "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"
                    .prop_map(serde_json::Value::from),
            ];
            leaf.prop_recursive(4, 64, 8, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                    prop::collection::hash_map(
                        prop_oneof![
                            Just("id".to_owned()),
                            Just("wire_version".to_owned()),
                            Just("kind".to_owned()),
                            Just("entity_id".to_owned()),
                            Just("entity_version".to_owned()),
                            Just("created_at".to_owned()),
                            Just("due_at".to_owned()),
                            Just("audience".to_owned()),
                            Just("body".to_owned()),
                            ".{0,12}",
                        ],
                        inner,
                        0..10
                    )
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn any_json_envelope_is_decoded_or_refused(value in json_value()) {
                let _ = parse(value);
            }

            #[test]
            fn a_mutated_valid_envelope_is_decoded_or_refused(
                field in prop::sample::select(vec![
                    "id", "wire_version", "kind", "entity_id", "entity_version", "author",
                    "device", "created_at", "audience", "body", "due_at", "severity", "answers",
                ]),
                replacement in json_value(),
            ) {
                let mut value = share_value();
                value[field] = replacement;
                if let Ok(env) = parse(value) {
                    // Whatever decodes can be prepared for storage without a panic.
                    let _ = NewEnvelope::new(env);
                }
            }

            #[test]
            fn any_push_body_is_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
                // The push route's first read: `{"envelopes": [...]}`, then each envelope.
                #[derive(serde::Deserialize)]
                struct RawPush {
                    envelopes: Vec<serde_json::Value>,
                }
                if let Ok(raw) = serde_json::from_slice::<RawPush>(&bytes) {
                    for value in raw.envelopes {
                        let _ = parse(value);
                    }
                }
            }

            #[test]
            fn any_signature_headers_are_read_or_refused(
                device in ".{0,40}",
                timestamp in prop_oneof![any::<i64>().prop_map(|t| t.to_string()), ".{0,24}"],
                nonce in ".{0,80}",
                signature in ".{0,120}",
                now_secs in -8_000_000_000i64..8_000_000_000i64,
            ) {
                let headers = [
                    ("x-safeshare-device", device),
                    ("x-safeshare-timestamp", timestamp),
                    ("x-safeshare-nonce", nonce),
                    ("x-safeshare-signature", signature),
                ];
                let get = |name: &'static str| {
                    headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
                };
                if let Ok(sig) = RequestSignature::from_headers(get) {
                    if let Some(now) = DateTime::<Utc>::from_timestamp(now_secs, 0) {
                        let _ = sig.check_fresh(now);
                    }
                }
            }
        }
    }
}
