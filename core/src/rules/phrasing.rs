//! phrasing: not yet built (issue 3 owns it).
