//! The bindings' Rust-side checks, run without a JVM: the platform adapters hand the phone's
//! keystore and clock to core with typed errors, the contacts directory object chooses a number
//! and turns a panicking clock into a typed error, and the capture screen's two checks (NHS
//! number, prompts) answer as core does. The generated Kotlin is tested on a JVM by
//! `bindings/tests/run-kotlin`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod platform {
    use crate::common::MapStore;
    use safeshare_core::clock as core_clock;
    use safeshare_core::clock::Clock as _;
    use safeshare_core::secrets::SecretStore as _;
    use safeshare_core::secrets::SecretStoreError;
    use safeshare_ffi::{Clock, ClockAdapter, PlatformError, SecretStore, SecretStoreAdapter};
    use std::sync::Arc;
    use std::time::Duration;
    use std::time::SystemTime;

    struct Locked;

    impl SecretStore for Locked {
        fn get(&self, _: String) -> Result<Option<Vec<u8>>, PlatformError> {
            Err(PlatformError::Unavailable {
                reason: "device locked".into(),
            })
        }
        fn put(&self, _: String, _: Vec<u8>) -> Result<(), PlatformError> {
            Err(PlatformError::Unavailable {
                reason: "device locked".into(),
            })
        }
        fn delete(&self, _: String) -> Result<(), PlatformError> {
            Ok(())
        }
    }

    struct Fixed(SystemTime);

    impl Clock for Fixed {
        fn now(&self) -> Result<SystemTime, PlatformError> {
            Ok(self.0)
        }
    }

    struct Failing;

    impl Clock for Failing {
        fn now(&self) -> Result<SystemTime, PlatformError> {
            Err(PlatformError::Unavailable {
                reason: "clock service gone".into(),
            })
        }
    }

    #[test]
    fn a_failing_platform_clock_is_a_typed_clock_error() {
        let clock = ClockAdapter(Arc::new(Failing));
        assert_eq!(
            clock.try_now().unwrap_err(),
            core_clock::ClockError::Unavailable("clock service gone".into())
        );
    }

    #[test]
    fn adapter_passes_secrets_through_both_ways() {
        let adapter = SecretStoreAdapter(Arc::new(MapStore::default()));
        adapter.put("k", b"v").unwrap();
        assert_eq!(adapter.get("k").unwrap(), Some(b"v".to_vec()));
        adapter.delete("k").unwrap();
        assert_eq!(adapter.get("k").unwrap(), None);
    }

    #[test]
    fn a_locked_keystore_is_a_typed_secret_store_error() {
        let adapter = SecretStoreAdapter(Arc::new(Locked));
        assert_eq!(
            adapter.get("k").unwrap_err(),
            SecretStoreError::Unavailable("device locked".into())
        );
    }

    #[test]
    fn clock_adapter_gives_the_platform_instant_in_utc() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_774_744_200);
        let clock = ClockAdapter(Arc::new(Fixed(at)));
        assert_eq!(clock.now().timestamp(), 1_774_744_200);
    }
}

mod contacts {
    use safeshare_core::boundary::UtcInstant;
    use safeshare_core::directory::CallReason;
    use safeshare_core::model::TeamId;
    use safeshare_ffi::{Clock, ContactsDirectory, PlatformError, SafeShareError};
    use std::sync::Arc;
    use std::time::SystemTime;

    const SAMPLE: &str = include_str!("../../data/directory/sample-fictional.jsonl");
    const MIDWIFERY: &str = "01M6A6FT00TTZHYYZ9RZKXMQAR";

    fn at(unix: i64) -> UtcInstant {
        UtcInstant::from_timestamp(unix, 0).unwrap()
    }

    fn team(id: &str) -> TeamId {
        id.parse().unwrap()
    }

    #[test]
    fn midwifery_on_a_tuesday_morning_is_its_direct_line() {
        let dir = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
        // 2026-11-24 10:00 GMT, a Tuesday.
        let target = dir.call_target(team(MIDWIFERY), at(1_795_514_400)).unwrap();
        assert_eq!(target.reason, CallReason::TeamOpen);
        assert_eq!(target.tel_uri, "tel:+441134960101");
        assert!(target.expects_answer);
    }

    #[test]
    fn an_unknown_team_is_not_found() {
        let dir = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
        let unknown = dir.call_target(TeamId::new(), at(1_795_514_400));
        assert!(matches!(unknown, Err(SafeShareError::NotFound { .. })));
    }

    struct PanickingClock;

    impl Clock for PanickingClock {
        fn now(&self) -> Result<SystemTime, PlatformError> {
            panic!("clock callback failed")
        }
    }

    #[test]
    fn a_clock_that_fails_gives_a_typed_internal_error() {
        let dir = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
        let result = dir.call_target_now(team(MIDWIFERY), Arc::new(PanickingClock));
        assert!(matches!(result, Err(SafeShareError::Internal { .. })));
    }
}

mod capture {
    use safeshare_core::model::Evidence;
    use safeshare_core::rules::phrasing;
    use safeshare_ffi::{capture_prompts, validate_nhs_number, SafeShareError};

    #[test]
    fn a_valid_number_comes_back_in_both_forms_and_a_bad_one_names_the_field() {
        let ok = validate_nhs_number("943-476-5919".into()).unwrap();
        assert_eq!(ok.digits, "9434765919");
        assert_eq!(ok.formatted, "943 476 5919");
        let err = validate_nhs_number("943 476 5918".into()).unwrap_err();
        assert!(matches!(err, SafeShareError::Validation { field, .. } if field == "nhs_number"));
    }

    #[test]
    fn stock_phrase_opinion_gets_both_prompts_with_the_phrase_named() {
        let prompts = capture_prompts("No concerns".into(), Evidence::Opinion { basis: None });
        let kinds: Vec<_> = prompts.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                phrasing::CaptureWarningKind::NotSpecific,
                phrasing::CaptureWarningKind::OpinionWithoutBasis
            ]
        );
        assert_eq!(prompts[0].stock_phrases, ["no concerns"]);
        assert!(prompts[0].prompt.contains("What did you actually see?"));
    }
}
