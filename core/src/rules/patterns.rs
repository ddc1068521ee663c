//! patterns: not yet built (issue 4 owns it).
