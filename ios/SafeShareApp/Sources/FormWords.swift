/// The few words the shell still writes itself, in one place and the same on Android
/// (`FormWords.kt`): the tab names, "Cancel", the launch-problem screen (its recovery is
/// documented in docs/operations.md, "A phone whose records will not open") and the labels of
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

    static let launchTitle = "SafeShare cannot open your records on this phone"
    static let launchRecovery = "Nothing was changed and nothing was deleted. Do not delete the app or "
        + "clear its data: anything not yet sent is still on this phone. Unlock the phone and try again. "
        + "If it still cannot open them, call your IT service desk and say \"SafeShare cannot open its records\"."
    static let tryAgain = "Try again"

    static let decisionAccepted = "Accepted"
    static let decisionNotAccepted = "Not accepted"
    static let decisionResponse = "The response they named"
    static let decisionReasons = "The reasons they gave"
    static let decisionFeedback = "They say feedback was given to the family"
    static let stepDone = "Done: what happened"
    static let stepNotApplicable = "Not applicable: why"
}
