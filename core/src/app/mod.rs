//! app: the `Session` facade the bindings expose (being built; see issue 9 item 1).
