//! Multi-agency meeting packs on this device (issue 17 item 3): preparing one (through the team
//! around the child, [`super::TeamAroundChildHandle::prepare_meeting_pack`]), reading them back,
//! and recording after the meeting what health shared there and any challenge to inaccurate
//! minutes.
//!
//! The pack and its rules are [`crate::casework::meeting`]'s; this module only reads and writes
//! it through the store, one transaction per user action. Each record made after the meeting is
//! a new version of the pack with the act as the reason, so the store's history shows when each
//! was added (nothing overwritten). Every check (a summary, which sections, who the challenge
//! was raised with) is the pack's own and runs before anything is written.

use super::{AppError, Session};
use crate::casework::meeting::{
    MeetingError, MeetingPack, MeetingType, MinutesChallenge, NewMeetingPack, SectionKind,
    SharedAtMeeting,
};
use crate::model::{MeetingPackId, PersonId};
use crate::store::{ListFilter, Record, StoredRecord};
use chrono::{DateTime, Utc};

impl Session {
    /// Prepares and stores a meeting pack (the team around the child's health staff included);
    /// the same as [`super::TeamAroundChildHandle::prepare_meeting_pack`], here so the meeting
    /// calls are in one place.
    pub fn prepare_meeting_pack(&self, new: NewMeetingPack) -> Result<MeetingPack, AppError> {
        self.team_around_child().prepare_meeting_pack(new)
    }

    /// [`Session::prepare_meeting_pack`] prepared by this session's practitioner (the shells'
    /// call: who prepares a pack is who is signed in, never a value the shell passes).
    pub fn prepare_my_meeting_pack(
        &self,
        child: PersonId,
        meeting_type: MeetingType,
        meeting_at: DateTime<Utc>,
        represents: Vec<String>,
    ) -> Result<MeetingPack, AppError> {
        self.prepare_meeting_pack(NewMeetingPack {
            child,
            meeting_type,
            meeting_at,
            prepared_by: self.identity().practitioner,
            represents,
        })
    }

    /// A meeting pack by id.
    pub fn meeting_pack(&self, id: MeetingPackId) -> Result<MeetingPack, AppError> {
        self.with_store(|store| {
            Ok(store
                .get::<MeetingPack>(self.actor(), MeetingPack::KIND, id)?
                .body)
        })
    }

    /// Every meeting pack about `child`, by meeting time (earliest first).
    pub fn meeting_packs_for(&self, child: PersonId) -> Result<Vec<MeetingPack>, AppError> {
        let filter = ListFilter {
            subject_person: Some(child),
            ..ListFilter::default()
        };
        let mut packs: Vec<MeetingPack> = self.with_store(|store| {
            Ok(store
                .list::<MeetingPack>(self.actor(), MeetingPack::KIND, &filter)?
                .into_iter()
                .map(|r| r.body)
                .collect())
        })?;
        packs.sort_by_key(|p| (p.meeting_at, p.id));
        Ok(packs)
    }

    /// Records what the practitioner shared at the meeting and which sections it covered (for
    /// the health record). A new version of the pack.
    pub fn record_shared_at_meeting(
        &self,
        id: MeetingPackId,
        summary: &str,
        sections: Vec<SectionKind>,
    ) -> Result<MeetingPack, AppError> {
        let actor = self.actor();
        self.change_pack(id, "shared at the meeting recorded", |pack, now| {
            pack.record_shared(SharedAtMeeting {
                recorded_by: actor,
                recorded_at: now,
                summary: summary.to_owned(),
                sections,
            })
        })
    }

    /// Records a challenge to inaccurate minutes: what they say, what they should say, and who
    /// it was raised with. A new version of the pack.
    pub fn challenge_minutes(
        &self,
        id: MeetingPackId,
        inaccuracy: &str,
        correction: &str,
        raised_with: &str,
    ) -> Result<MeetingPack, AppError> {
        let actor = self.actor();
        self.change_pack(id, "minutes challenged", |pack, now| {
            pack.challenge_minutes(MinutesChallenge {
                raised_by: actor,
                raised_at: now,
                inaccuracy: inaccuracy.to_owned(),
                correction: correction.to_owned(),
                raised_with: raised_with.to_owned(),
            })
        })
    }

    fn change_pack(
        &self,
        id: MeetingPackId,
        reason: &str,
        change: impl FnOnce(&mut MeetingPack, chrono::DateTime<chrono::Utc>) -> Result<(), MeetingError>,
    ) -> Result<MeetingPack, AppError> {
        let result = self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let current: Record<MeetingPack> = tx.get(MeetingPack::KIND, id)?;
                let mut pack = current.body;
                change(&mut pack, tx.now())?;
                super::records::amend(tx, current.version, &pack, reason)?;
                Ok(pack)
            })
        });
        self.notify_if_ok(super::ChangeCause::MeetingPackRecorded, result)
    }
}
