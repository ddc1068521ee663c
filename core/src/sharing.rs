//! sharing: not yet built (issue 5 owns it).
