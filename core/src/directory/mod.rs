//! directory: not yet built (see the issue that owns it).
