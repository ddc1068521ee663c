package uk.nhs.safeshare.ui

/**
 * The few words the shell still writes itself, in one place and the same on iOS
 * (`FormWords.swift`): the tab names, "Cancel", the dictation button (speech-to-text is
 * platform code; core words the prompt to read a dictated text through) and the labels of
 * the two referral forms whose view records do not carry them yet (issue 17 item 1: the
 * Referrals record names the action, not its form's fields). Nothing here is a rule, a time
 * or a state: those are always a view record's.
 */
object FormWords {
    const val TAB_TODAY = "Today"
    const val TAB_SHARES = "Shares"
    const val TAB_REFERRALS = "Referrals"
    const val TAB_CONTACTS = "Contacts"
    const val TAB_SYNC = "Sync"

    const val CANCEL = "Cancel"
    const val BACK = "Back"

    // The contact picker's record carries the choices, not the button that records them.
    const val RECORD_CONTACTS = "Record the chosen contacts"

    // Speech-to-text is the phone's, so its button and its failure are the shell's words; core
    // words the prompt to read a dictated text through.
    const val DICTATE = "Dictate"
    const val DICTATION_STOPPED = "Dictation stopped; you can type instead."

    const val DECISION_ACCEPTED = "Accepted"
    const val DECISION_NOT_ACCEPTED = "Not accepted"
    const val DECISION_RESPONSE = "The response they named"
    const val DECISION_REASONS = "The reasons they gave"
    const val DECISION_FEEDBACK = "They say feedback was given to the family"
    const val STEP_DONE = "Done: what happened"
    const val STEP_NOT_APPLICABLE = "Not applicable: why"

    // The ways into the issue 21 screens (their records carry everything on them), and the
    // date asked when an involvement ends (core checks it: YYYY-MM-DD, not before it began).
    const val OPEN_TEAM = "Team around the child"
    const val OPEN_EXPECTED = "Families moving to your area"
    const val END_DATE = "Involvement ended on (YYYY-MM-DD)"
}
