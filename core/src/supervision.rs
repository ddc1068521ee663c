//! supervision: not yet built (issue 5 owns it).
