//! SafeShare uniffi surface (issue 9 builds it): translation only, no business logic.

uniffi::setup_scaffolding!("safeshare");
