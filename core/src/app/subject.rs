//! Taking the person an incoming share is about onto this device's caseload.
//!
//! Owns: deciding whether the share's subject is someone already recorded here, and never
//! deciding it on one number alone. Clinical-safety incident (issue 15): two babies recorded
//! under the same placeholder NHS number made a share about one attach to the other.
//!
//! Rule (docs/clinical-decisions.md, "Identity on taking on a share's subject"): the subject is
//! attached to a person recorded here only when the NHS number **and** the date of birth match
//! (for an unborn baby, the expected date of delivery; born on one side and unborn on the other
//! is a difference), and exactly one person matches. Anything less — the number matches but a
//! date differs or is missing on either side, or several people match — attaches nothing: the
//! practitioner is shown the shared details and every candidate ([`SubjectTakeOn::Confirm`]) and
//! chooses with [`Session::resolve_share_subject`]. A share with no NHS number, or whose number
//! no one here has, becomes a new household and person (no one is attached, so nothing can be
//! attached wrongly). A subject whose NHS number is invalid or a never-issued placeholder is
//! refused with the NHS number error, before any look-up.
//!
//! Invariant: no code path in this module returns an existing [`Person`] for a share unless the
//! NHS number and date matched or the practitioner chose that person from the candidates
//! offered (people recorded here under the shared NHS number). A share with no NHS number is
//! offered no one, so it is never attached to a person here: any choice of a person for it is
//! refused ([`check_offered`], one rule for ordinary shares and transfers of care).

use super::bodies::Subject;
use super::records::{self, ShareDirection, StoredShare};
use super::{AppError, Session};
use crate::model::{
    london_date, Household, NhsNumber, Person, PersonDetails, PersonId, PersonRole, ShareId,
};
use crate::store::StoredRecord;
use crate::store::{Record, WriteTx};
use chrono::NaiveDate;

/// What taking on a share's subject did, or what it needs from the practitioner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectTakeOn {
    /// The one person recorded here with the same NHS number and the same date of birth
    /// (expected date of delivery for an unborn baby).
    Matched(Person),
    /// No one here has the subject's NHS number (or the share has none): a new household and
    /// person were recorded from the shared details.
    Added(Person),
    /// Someone here has the NHS number but not the same date, or several people match: nothing
    /// was attached. Show both records and let the practitioner choose
    /// ([`Session::resolve_share_subject`]).
    Confirm(SubjectConflict),
}

/// The shared details beside every person recorded here under the same NHS number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectConflict {
    /// The share.
    pub share: ShareId,
    /// The details as the sender shared them.
    pub incoming: Subject,
    /// The people recorded here under the same NHS number, each with the fields that differ.
    pub candidates: Vec<Candidate>,
}

/// One person recorded here who might be the share's subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The person as recorded here.
    pub person: Person,
    /// The fields that differ from the shared details, by name (`date_of_birth`,
    /// `expected_delivery`, `role`, `name`); empty when everything compared matches but several
    /// people share the number.
    pub differences: Vec<&'static str>,
}

/// The practitioner's answer to a [`SubjectConflict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SubjectChoice {
    /// The subject is this person already recorded here.
    SamePerson(PersonId),
    /// The subject is someone else: record a new household and person from the shared details.
    NewPerson,
}

/// The date that, with the NHS number, identifies a person: the date of birth, or for an
/// unborn baby the expected date of delivery. Tagged so a born child never matches an unborn
/// baby's record on a coincidence of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdentifyingDate {
    Born(NaiveDate),
    Expected(NaiveDate),
}

fn identifying_date(
    role: &PersonRole,
    date_of_birth: Option<NaiveDate>,
) -> Option<IdentifyingDate> {
    match role {
        PersonRole::UnbornBaby { expected_delivery } => {
            Some(IdentifyingDate::Expected(*expected_delivery))
        }
        _ => date_of_birth.map(IdentifyingDate::Born),
    }
}

fn differences(incoming: &Subject, person: &Person) -> Vec<&'static str> {
    let mut out = Vec::new();
    let unborn = |r: &PersonRole| matches!(r, PersonRole::UnbornBaby { .. });
    if unborn(&incoming.role) != unborn(&person.role) {
        out.push("role");
    }
    match (&incoming.role, &person.role) {
        (
            PersonRole::UnbornBaby {
                expected_delivery: a,
            },
            PersonRole::UnbornBaby {
                expected_delivery: b,
            },
        ) if a != b => out.push("expected_delivery"),
        _ => {}
    }
    if !unborn(&incoming.role) && incoming.date_of_birth != person.date_of_birth {
        out.push("date_of_birth");
    }
    if incoming.name.is_some() && person.name.is_some() && incoming.name != person.name {
        out.push("name");
    }
    out
}

impl Session {
    /// Takes the person an incoming share is about onto this device's caseload (see the module
    /// docs for the rule): [`SubjectTakeOn::Matched`] only on NHS number **and** date of birth
    /// (expected date of delivery for an unborn baby); [`SubjectTakeOn::Added`] when no one here
    /// has the number; otherwise [`SubjectTakeOn::Confirm`], attaching nothing.
    ///
    /// # Errors
    /// `Refused` for my own share, and for a transfer of care (its child is taken on through
    /// [`super::TransferHandle::take_on`]); `Validation` on `nhs_number` for an invalid or
    /// placeholder number, or on a date when a new person's dates are implausible; store errors.
    pub fn take_on_share_subject(&self, id: ShareId) -> Result<SubjectTakeOn, AppError> {
        let actor = self.actor();
        let today = london_date(self.now()?);
        let taken = self.with_store(|store| {
            store.write(actor, |tx| {
                refuse_transfer(tx, id)?;
                take_on_in(tx, id, today)
            })
        })?;
        // Matched or added: the person is on the caseload now. A conflict changed nothing.
        if !matches!(taken, SubjectTakeOn::Confirm(_)) {
            self.notify_recorded(super::ChangeCause::SubjectTakenOn);
        }
        Ok(taken)
    }

    /// The practitioner's answer after being shown a [`SubjectConflict`]: the subject is one of
    /// its candidates, or someone new, recorded from the shared details. Only a choice the
    /// practitioner could have been offered is accepted (one rule with Take on's): a person who
    /// is not a candidate — anyone at all for a share with no NHS number, which is offered no
    /// one — and "someone new" for a subject matched plainly are refused before anything is
    /// written. Recorded in the audit trail with the store write.
    ///
    /// # Errors
    /// `Refused` for my own share and for a transfer of care (as for
    /// [`Session::take_on_share_subject`]); `Validation` on `nhs_number` for a person not recorded under
    /// the shared NHS number, on `choice` for any other choice not offered (an unknown id
    /// included), and as for [`Session::take_on_share_subject`].
    pub fn resolve_share_subject(
        &self,
        id: ShareId,
        choice: SubjectChoice,
    ) -> Result<Person, AppError> {
        let actor = self.actor();
        let today = london_date(self.now()?);
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                refuse_transfer(tx, id)?;
                resolve_in(tx, id, choice, today)
            })
        });
        self.notify_if_ok(super::ChangeCause::SubjectTakenOn, result)
    }
}

/// Refuses share `id` when it carries a transfer of care: its child is taken on only through
/// [`super::TransferHandle::take_on`], after the read-back, with the team around the child
/// seeded and the take-on recorded in the same transaction. Taken on here, the child would
/// have none of that, and a later Take on from Expected families could record the child a
/// second time (found by a fresh attack: `core/tests/attack_subject_dates.rs`).
fn refuse_transfer(tx: &mut WriteTx<'_>, id: ShareId) -> Result<(), AppError> {
    let stored: StoredShare = tx.get(StoredShare::KIND, id)?.body;
    if stored.content.transfer.is_some() {
        return Err(AppError::refused(
            "this is a transfer of care: take the child on from Expected families, after your read-back",
        ));
    }
    Ok(())
}

/// [`Session::take_on_share_subject`] inside the caller's transaction (a transfer of care
/// takes the child on and seeds its team in one).
pub(super) fn take_on_in(
    tx: &mut WriteTx<'_>,
    id: ShareId,
    today: NaiveDate,
) -> Result<SubjectTakeOn, AppError> {
    Ok(match identify_in(tx, id)? {
        Identified::New(subject) => SubjectTakeOn::Added(add_subject(tx, subject, today)?),
        Identified::Matched(person) => SubjectTakeOn::Matched(person),
        Identified::Confirm(conflict) => SubjectTakeOn::Confirm(conflict),
    })
}

/// The conflict taking on share `id`'s subject would show the practitioner now, if any, read in
/// the caller's transaction and writing nothing: a screen offers the choice before Take on is
/// pressed. The rule is [`take_on_in`]'s own (both call [`identify_in`]).
pub(super) fn conflict_in(
    tx: &mut WriteTx<'_>,
    id: ShareId,
) -> Result<Option<SubjectConflict>, AppError> {
    Ok(match identify_in(tx, id)? {
        Identified::Confirm(conflict) => Some(conflict),
        Identified::New(_) | Identified::Matched(_) => None,
    })
}

/// Checks that `choice` is one the screen could have offered for share `id` now, before
/// anything is written — the one rule for an ordinary share ([`Session::resolve_share_subject`])
/// and a transfer of care's Take on: "same person" names one of the candidates (or the one
/// person the identity rule already matched), and "someone new" stands only beside candidates
/// or where no one here has the number. A share with no NHS number is offered no one, so no
/// person here can be chosen for it. Without this a choice the screen never showed (a stale
/// screen, a wrong id) would attach a share to an unrelated child or to an adult, or split a
/// matched child's record in two under one NHS number.
fn check_offered(tx: &mut WriteTx<'_>, id: ShareId, choice: SubjectChoice) -> Result<(), AppError> {
    let offered = match (identify_in(tx, id)?, choice) {
        (Identified::Confirm(conflict), SubjectChoice::SamePerson(person)) => {
            conflict.candidates.iter().any(|c| c.person.id == person)
        }
        (Identified::Matched(matched), SubjectChoice::SamePerson(person)) => matched.id == person,
        (Identified::Confirm(_) | Identified::New(_), SubjectChoice::NewPerson) => true,
        (Identified::New(_), SubjectChoice::SamePerson(_))
        | (Identified::Matched(_), SubjectChoice::NewPerson) => false,
    };
    if offered {
        Ok(())
    } else {
        Err(AppError::validation(
            "choice",
            "choose one of the people offered for this share, or take it on as offered",
        ))
    }
}

/// Who a share's subject is here, decided without writing.
enum Identified {
    /// No one here has the number (or the share has none): a new person is to be recorded.
    New(Subject),
    /// The one person with the same NHS number and date.
    Matched(Person),
    /// The practitioner must choose.
    Confirm(SubjectConflict),
}

fn identify_in(tx: &mut WriteTx<'_>, id: ShareId) -> Result<Identified, AppError> {
    let subject = incoming_subject(tx, id)?;
    let Some(nhs) = parse_nhs(&subject)? else {
        return Ok(Identified::New(subject));
    };
    let known: Vec<Record<Person>> = tx.find_by_nhs_number(Person::KIND, nhs.as_digits())?;
    if known.is_empty() {
        return Ok(Identified::New(subject));
    }
    let wanted = identifying_date(&subject.role, subject.date_of_birth);
    let matching: Vec<&Person> = known
        .iter()
        .map(|r| &r.body)
        .filter(|p| wanted.is_some() && identifying_date(&p.role, p.date_of_birth) == wanted)
        .collect();
    if let [only] = matching.as_slice() {
        if known.len() == 1 {
            return Ok(Identified::Matched((*only).clone()));
        }
    }
    let candidates = known
        .into_iter()
        .map(|r| Candidate {
            differences: differences(&subject, &r.body),
            person: r.body,
        })
        .collect();
    Ok(Identified::Confirm(SubjectConflict {
        share: id,
        incoming: subject,
        candidates,
    }))
}

/// [`Session::resolve_share_subject`] inside the caller's transaction (a transfer of care's
/// Take on resolves through it too, so both hold the practitioner to the same offer). Every
/// check comes before anything is written: the subject's NHS number is valid; a person named
/// is recorded here under the shared NHS number, when the share has one (refused on
/// `nhs_number`); and the choice is one the screen offered ([`check_offered`], refused on
/// `choice`), so a share with no NHS number, which is offered no one, is never attached to a
/// person already here.
pub(super) fn resolve_in(
    tx: &mut WriteTx<'_>,
    id: ShareId,
    choice: SubjectChoice,
    today: NaiveDate,
) -> Result<Person, AppError> {
    let subject = incoming_subject(tx, id)?;
    let nhs = parse_nhs(&subject)?;
    match choice {
        SubjectChoice::SamePerson(person) => {
            // An unknown id is a choice never offered, refused below as any other is.
            let found = match tx.get::<Person>(Person::KIND, person) {
                Ok(r) => Some(r.body),
                Err(crate::store::StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            };
            // The practitioner is only ever shown the people recorded under the shared NHS
            // number: naming anyone else is said as such, the clearer refusal.
            if let (Some(nhs), Some(found)) = (&nhs, &found) {
                if found.nhs_number.as_ref() != Some(nhs) {
                    return Err(AppError::validation(
                        "nhs_number",
                        "choose one of the people recorded here under the shared NHS number",
                    ));
                }
            }
            check_offered(tx, id, choice)?;
            found.ok_or_else(|| AppError::not_found("person", person))
        }
        SubjectChoice::NewPerson => {
            check_offered(tx, id, choice)?;
            add_subject(tx, subject, today)
        }
    }
}

/// The subject of an incoming share held here.
fn incoming_subject(tx: &mut WriteTx<'_>, id: ShareId) -> Result<Subject, AppError> {
    let stored: StoredShare = tx.get(StoredShare::KIND, id)?.body;
    if stored.direction != ShareDirection::Incoming {
        return Err(AppError::refused(
            "this is your own share: the person is already on your caseload",
        ));
    }
    Ok(stored.content.about)
}

/// The subject's NHS number, validated before any look-up (a placeholder is refused here).
fn parse_nhs(subject: &Subject) -> Result<Option<NhsNumber>, AppError> {
    match subject.nhs_number.as_deref() {
        None => Ok(None),
        Some(text) if crate::rules::normalise::is_blank(text) => Ok(None),
        Some(text) => NhsNumber::parse(text)
            .map(Some)
            .map_err(|err| AppError::validation("nhs_number", err)),
    }
}

/// A new household (with the shared address) and person from the shared details, validated as
/// any new person is, dates included.
fn add_subject(
    tx: &mut WriteTx<'_>,
    subject: Subject,
    today: NaiveDate,
) -> Result<Person, AppError> {
    let household = Household::new(subject.address.clone());
    let person = Person::new(
        household.id,
        subject.role,
        PersonDetails {
            name: subject.name,
            known_as: subject.known_as,
            date_of_birth: subject.date_of_birth,
            nhs_number: subject.nhs_number,
            ..PersonDetails::default()
        },
    )?;
    person.check_dates(today)?;
    records::insert(tx, &household)?;
    records::insert(tx, &person)?;
    Ok(person)
}
