/// The few words the shell still writes itself, in one place and the same on Android
/// (`FormWords.kt`): the tab names, "Cancel", the dictation buttons (speech-to-text is platform
/// code; core words the prompt to read a dictated text through) and the labels of
/// the two referral forms whose view records do not carry them yet (issue 17 item 1: the
/// Referrals record names the action, not its form's fields). Nothing here is a rule, a time
/// or a state: those are always a view record's.
enum FormWords {
    static let tabToday = "Today"
    static let tabShares = "Shares"
    static let tabReferrals = "Referrals"
    static let tabContacts = "Contacts"
    static let tabSync = "Sync"

    static let cancel = "Cancel"
    static let back = "Back"

    // The contact picker's record carries the choices, not the button that records them.
    static let recordContacts = "Record the chosen contacts"

    // Speech-to-text is the phone's, so its buttons and its failure are the shell's words;
    // core words the prompt to read a dictated text through.
    static let dictate = "Dictate"
    static let stopDictating = "Stop dictation"
    static let dictationStopped = "Dictation stopped; you can type instead."

    static let decisionAccepted = "Accepted"
    static let decisionNotAccepted = "Not accepted"
    static let decisionResponse = "The response they named"
    static let decisionReasons = "The reasons they gave"
    static let decisionFeedback = "They say feedback was given to the family"
    static let stepDone = "Done: what happened"
    static let stepNotApplicable = "Not applicable: why"

    // The ways into the issue 21 screens (their records carry everything on them), and the
    // date asked when an involvement ends (core checks it: YYYY-MM-DD, not before it began).
    static let openTeam = "Team around the child"
    static let openExpected = "Families moving to your area"
    static let endDate = "Involvement ended on (YYYY-MM-DD)"
}
