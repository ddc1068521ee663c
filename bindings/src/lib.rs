//! SafeShare uniffi surface (issue 9 builds it): translation only, no business logic.

uniffi::setup_scaffolding!("safeshare");

/// The version of the SafeShare core library the bindings were built from.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
