//! The screens a shell shows before it has a session (issue 17 item 1): set-up and the empty
//! capture draft. Every other screen is one call on its feature's handle (in that feature's
//! file), returning core's view record as it is (`safeshare_core::screens`).

use crate::contacts::ContactsDirectory;
use crate::error::SafeShareError;
use safeshare_core::directory::Directory;
use safeshare_core::screens::{CaptureDraft, SetUpDraft, SetUpScreen};
use std::sync::Arc;

/// The set-up screen before this phone has a session, or, with the `launch_error`
/// `Session.resume` threw, that error's one recovery (see core's `SetUpScreen`).
#[uniffi::export]
pub fn set_up_screen(
    directory: Option<Arc<ContactsDirectory>>,
    draft: SetUpDraft,
    server_url: String,
    launch_error: Option<SafeShareError>,
) -> SetUpScreen {
    match launch_error {
        Some(error) => SetUpScreen::cannot_open(&error, &server_url),
        None => {
            let empty = Directory::empty();
            let directory = directory.as_ref().map(|d| d.directory()).unwrap_or(&empty);
            SetUpScreen::before_set_up(directory, &draft, &server_url)
        }
    }
}

/// An empty capture draft: what the capture screen starts from.
#[uniffi::export]
pub fn empty_capture_draft() -> CaptureDraft {
    CaptureDraft::empty()
}
