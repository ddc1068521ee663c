/// The few words the shell still writes itself, in one place and the same on Android
/// (`FormWords.kt`): the tab names, "Cancel", the dictation buttons (speech-to-text is platform
/// code; core words the prompt to read a dictated text through). The referral forms' words and
/// the home visit's address field are their records' now. Nothing here is a rule, a time or a
/// state: those are always a view record's.
enum FormWords {
    static let tabToday = "Today"
    static let tabShares = "Shares"
    static let tabReferrals = "Referrals"
    static let tabContacts = "Contacts"
    static let tabSync = "Sync"

    static let cancel = "Cancel"
    static let back = "Back"

    // Speech-to-text is the phone's, so its buttons and its failure are the shell's words;
    // core words the prompt to read a dictated text through.
    static let dictate = "Dictate"
    static let stopDictating = "Stop dictation"
    static let dictationStopped = "Dictation stopped; you can type instead."

    // The way into Expected families (its record carries everything on it), and the
    // date asked when an involvement ends (core checks it: YYYY-MM-DD, not before it began).
    static let openExpected = "Families moving to your area"
    static let endDate = "Involvement ended on (YYYY-MM-DD)"
}
