//! working_time: not yet built (issue 4 owns it).
