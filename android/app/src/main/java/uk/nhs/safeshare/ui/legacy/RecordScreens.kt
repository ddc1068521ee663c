package uk.nhs.safeshare.ui.legacy

// Not yet rewritten over a view record: core has no chronology view record yet (issue 17
// item 1). tests/shell-rules-check allows this file by name until then.

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uk.nhs.safeshare.ui.ItemCard
import uk.nhs.safeshare.ui.describe
import uniffi.safeshare.Session

/** A child's chronology as the core builds it: observations, voice, shares, referrals, calls. */
@Composable
fun ChronologyScreen(session: Session, person: String) {
    val entries by rememberQuery(person) { session.visits().chronologyForChild(person) }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text("Chronology", style = MaterialTheme.typography.headlineSmall)
        entries?.onSuccess { list ->
            list.forEach { e -> ItemCard("${e.at.local()} · ${e.kind.replace('_', ' ')}", e.summary) }
        }?.onFailure { Text(describe(it)) }
    }
}
