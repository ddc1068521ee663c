//! nhs_number: not yet built (issue 3 owns it).
