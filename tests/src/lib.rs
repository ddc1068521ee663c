//! Shared harness for end-to-end tests (issue 8 builds it).
