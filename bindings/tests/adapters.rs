//! The bindings' Rust-side checks of the platform adapters, run without a JVM: they hand the
//! phone's keystore and clock to core with typed errors. Calls through a session are in
//! `session_calls.rs` and `handles.rs`; the generated Kotlin is tested on a JVM by
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
        assert!(matches!(
            adapter.get("k").unwrap_err(),
            SecretStoreError::Unavailable(reason) if reason == "device locked"
        ));
    }

    #[test]
    fn clock_adapter_gives_the_platform_instant_in_utc() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_774_744_200);
        let clock = ClockAdapter(Arc::new(Fixed(at)));
        assert_eq!(clock.now().timestamp(), 1_774_744_200);
    }
}
