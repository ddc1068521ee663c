package uk.nhs.safeshare.ui

/**
 * The few words the shell still writes itself, in one place and the same on iOS
 * (`FormWords.swift`): the tab names, "Cancel", the dictation button (speech-to-text is
 * platform code; core words the prompt to read a dictated text through). The referral forms'
 * words and the home visit's address field are their records' now. Nothing here is a rule, a
 * time or a state: those are always a view record's.
 */
object FormWords {
    const val TAB_TODAY = "Today"
    const val TAB_SHARES = "Shares"
    const val TAB_REFERRALS = "Referrals"
    const val TAB_CONTACTS = "Contacts"
    const val TAB_SYNC = "Sync"

    const val CANCEL = "Cancel"
    const val BACK = "Back"

    // Speech-to-text is the phone's, so its button and its failure are the shell's words; core
    // words the prompt to read a dictated text through.
    const val DICTATE = "Dictate"
    const val DICTATION_STOPPED = "Dictation stopped; you can type instead."

    // The way into Expected families (its record carries everything on it), and the
    // date asked when an involvement ends (core checks it: YYYY-MM-DD, not before it began).
    const val OPEN_EXPECTED = "Families moving to your area"
    const val END_DATE = "Involvement ended on (YYYY-MM-DD)"
}
