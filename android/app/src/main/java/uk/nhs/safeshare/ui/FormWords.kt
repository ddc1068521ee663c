package uk.nhs.safeshare.ui

/**
 * The few words the shell still writes itself, in one place and the same on iOS
 * (`FormWords.swift`): the tab names, "Cancel", the launch-problem screen (its recovery is
 * documented in docs/operations.md, "A phone whose records will not open") and the labels of
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

    const val LAUNCH_TITLE = "SafeShare cannot open your records on this phone"
    const val LAUNCH_RECOVERY = "Nothing was changed and nothing was deleted. Do not delete the app or " +
        "clear its data: anything not yet sent is still on this phone. Unlock the phone and try again. " +
        "If it still cannot open them, call your IT service desk and say \"SafeShare cannot open its records\"."
    const val TRY_AGAIN = "Try again"

    const val DECISION_ACCEPTED = "Accepted"
    const val DECISION_NOT_ACCEPTED = "Not accepted"
    const val DECISION_RESPONSE = "The response they named"
    const val DECISION_REASONS = "The reasons they gave"
    const val DECISION_FEEDBACK = "They say feedback was given to the family"
    const val STEP_DONE = "Done: what happened"
    const val STEP_NOT_APPLICABLE = "Not applicable: why"
}
