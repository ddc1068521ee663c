package uk.nhs.safeshare.ui

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uniffi.safeshare.ChangeListener
import uniffi.safeshare.Session
import uniffi.safeshare_core.ChangeEvent
import uniffi.safeshare_core.SafeShareException
import uniffi.safeshare_core.ScreenName

/**
 * The shell's [ChangeListener]: core calls it on whatever thread made the change (a capture,
 * a background sync, the deadline timer), with no SafeShare lock held. It only hands the event
 * on; each [ScreenModel] collecting [events] rebuilds its screen if the event names it. Nothing
 * polls.
 */
class ChangeEvents : ChangeListener {
    private val flow = MutableSharedFlow<ChangeEvent>(extraBufferCapacity = 16, onBufferOverflow = BufferOverflow.DROP_OLDEST)
    val events: SharedFlow<ChangeEvent> = flow.asSharedFlow()

    override fun changed(event: ChangeEvent) {
        flow.tryEmit(event)
    }
}

/**
 * One screen's state: core's view record for [input], built off the main thread
 * (`Dispatchers.IO`) when the screen opens, when [input] changes, after each tap's core call,
 * and when core says the screen changed. The shell maps the record to widgets and decides
 * nothing from it.
 *
 * Invariants: every core call runs on `Dispatchers.IO`; a newer build replaces an older one
 * still running (its result is dropped), so a screen never shows an answer to a stale input.
 */
class ScreenModel<I, T>(
    private val session: Session,
    changes: ChangeEvents,
    private val screens: Set<ScreenName>,
    initial: I,
    private val build: (Session, I) -> T,
) : ViewModel() {
    /** What the record answers (the search text, the read-back typed so far). */
    var input by mutableStateOf(initial)
        private set

    /** The record, or core's error; null until the first build returns. */
    var record by mutableStateOf<Result<T>?>(null)
        private set

    /** Core's words for the last tap that failed (cleared by the next tap). */
    var problem by mutableStateOf<String?>(null)
        private set

    private var building: Job? = null

    init {
        rebuild()
        viewModelScope.launch {
            changes.events.collect { event -> if (event.screens.any { it in screens }) rebuild() }
        }
    }

    fun update(newInput: I) {
        input = newInput
        rebuild()
    }

    fun rebuild() {
        building?.cancel()
        val asked = input
        building = viewModelScope.launch { record = offMain { build(session, asked) } }
    }

    /**
     * A tap: [work] (the core call the action names) runs off the main thread, then [after]
     * gets its result on the main thread (to dial, to navigate) and the screen is rebuilt.
     */
    fun <R> act(work: (Session) -> R, after: (R) -> Unit = {}) {
        viewModelScope.launch {
            problem = null
            offMain { work(session) }.onSuccess(after).onFailure { problem = describe(it) }
            rebuild()
        }
    }
}

/** Runs a core call on `Dispatchers.IO`; core's typed error becomes a failed result. */
suspend fun <R> offMain(work: () -> R): Result<R> = withContext(Dispatchers.IO) {
    try {
        Result.success(work())
    } catch (e: SafeShareException) {
        Result.failure(e)
    }
}
