//! The people a record is about: a household (family) and its members, each with a role.
//!
//! Fathers, partners and other significant adults are "often overlooked" in safeguarding
//! reviews (docs/domain.md), so they are full [`Person`]s with their own name, contact details
//! and NHS number, never a free-text note on the mother's record. An unborn baby is a person
//! too, with an expected date of delivery instead of a date of birth, so concerns can be
//! recorded about them before birth.
//!
//! Invariants enforced by [`Person::new`]: everyone but an unborn baby has a name; a child has a
//! date of birth; an unborn baby has no date of birth; a significant adult says how they are
//! related; an NHS number, when given, is valid. [`Person::check_dates`] adds the rules that need
//! today's date (which comes from the caller's clock): a date of birth is not in the future, and
//! an expected date of delivery is plausible — at most [`EDD_MAX_AHEAD_DAYS`] ahead (44 weeks: a
//! pregnancy is dated from the last menstrual period, 40 weeks to the EDD, so an EDD further
//! ahead than 44 weeks is a typo, usually the year) and at most [`EDD_MAX_PAST_DAYS`] past (4
//! weeks: NICE NG207 offers induction of labour from 41 weeks and recommends it by 42, so a
//! baby still unborn 4 weeks after the EDD is a record that was not updated, not a pregnancy).

use super::error::{optional, required, ModelError};
use super::ids::{HouseholdId, PersonId};
use super::nhs_number::NhsNumber;
use super::phone::{PhoneNumber, Region};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};

/// The furthest ahead an expected date of delivery may be, in days (44 weeks).
pub const EDD_MAX_AHEAD_DAYS: i64 = 44 * 7;

/// The furthest past an expected date of delivery may be for a baby recorded as unborn, in
/// days (4 weeks).
pub const EDD_MAX_PAST_DAYS: i64 = 4 * 7;

/// A household or family: the unit a health visitor or midwife works with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    /// Identifier.
    pub id: HouseholdId,
    /// The family's main address, if known (members may live elsewhere: see [`Person::address`]).
    pub address: Option<String>,
}

impl Household {
    /// A new household with an optional address (blank means unknown).
    pub fn new(address: Option<String>) -> Self {
        Self {
            id: HouseholdId::new(),
            address: optional(address),
        }
    }

    /// The members of this household among `people`.
    pub fn members<'a>(&self, people: &'a [Person]) -> impl Iterator<Item = &'a Person> + 'a {
        let id = self.id;
        people.iter().filter(move |p| p.household == id)
    }
}

/// A person's part in the family. Every role is first-class.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "role")]
pub enum PersonRole {
    /// A born child.
    Child,
    /// A baby not yet born.
    UnbornBaby {
        /// Expected date of delivery.
        expected_delivery: NaiveDate,
    },
    /// The mother or birthing parent.
    MotherOrBirthingParent,
    /// The father or the mother's partner.
    FatherOrPartner,
    /// Any other adult significant in the child's life (grandparent, new partner, lodger...).
    SignificantAdult {
        /// How they are related to the family, e.g. "maternal grandmother".
        relationship: String,
    },
}

impl PersonRole {
    /// A stable name for the role (no personal data), for errors and clear columns.
    pub fn name(&self) -> &'static str {
        match self {
            PersonRole::Child => "child",
            PersonRole::UnbornBaby { .. } => "unborn baby",
            PersonRole::MotherOrBirthingParent => "mother or birthing parent",
            PersonRole::FatherOrPartner => "father or partner",
            PersonRole::SignificantAdult { .. } => "significant adult",
        }
    }

    /// Whether this is a child (born or unborn).
    pub fn is_child(&self) -> bool {
        matches!(self, PersonRole::Child | PersonRole::UnbornBaby { .. })
    }
}

/// What is entered about a person; [`Person::new`] validates it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PersonDetails {
    /// Full name (required except for an unborn baby).
    pub name: Option<String>,
    /// The name they are known by, if different.
    pub known_as: Option<String>,
    /// Date of birth (required for a child; must be empty for an unborn baby).
    pub date_of_birth: Option<NaiveDate>,
    /// NHS number as typed (spaces and hyphens allowed).
    pub nhs_number: Option<String>,
    /// Their own phone number as typed or pasted (any UK form, or international with `+`; an
    /// extension allowed).
    pub phone: Option<String>,
    /// Their own address, when it is not (or not only) the household's.
    pub address: Option<String>,
    /// Whether they hold parental responsibility, when known.
    pub parental_responsibility: Option<bool>,
}

/// A person a record can be about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Person {
    /// Identifier.
    pub id: PersonId,
    /// The household (family) whose record this person belongs to.
    pub household: HouseholdId,
    /// Their part in the family.
    pub role: PersonRole,
    /// Full name; `None` only for an unborn baby.
    pub name: Option<String>,
    /// The name they are known by, if different.
    pub known_as: Option<String>,
    /// Date of birth; `None` for an unborn baby and possibly for an adult.
    pub date_of_birth: Option<NaiveDate>,
    /// Validated NHS number.
    pub nhs_number: Option<NhsNumber>,
    /// Their own phone number, validated and written the one canonical way
    /// (`directory::PhoneNumber`: "07700 900123", "+353 ..." as E.164, " ext. 12" appended).
    pub phone: Option<String>,
    /// Their own address.
    pub address: Option<String>,
    /// Whether they hold parental responsibility; `None` when not known.
    pub parental_responsibility: Option<bool>,
}

impl Person {
    /// Validates `details` for `role` and makes a person with a fresh id.
    pub fn new(
        household: HouseholdId,
        role: PersonRole,
        details: PersonDetails,
    ) -> Result<Self, ModelError> {
        let role = match role {
            PersonRole::SignificantAdult { relationship } => PersonRole::SignificantAdult {
                relationship: required("relationship", relationship)?,
            },
            other => other,
        };
        let name = match (&role, optional(details.name)) {
            (PersonRole::UnbornBaby { .. }, name) => name,
            (_, Some(name)) => Some(name),
            (_, None) => return Err(ModelError::Required { field: "name" }),
        };
        match (&role, details.date_of_birth) {
            (PersonRole::UnbornBaby { .. }, Some(_)) => {
                return Err(ModelError::DateOfBirthForUnborn)
            }
            (PersonRole::Child, None) => {
                return Err(ModelError::Required {
                    field: "date_of_birth",
                })
            }
            _ => {}
        }
        let nhs_number = optional(details.nhs_number)
            .map(|n| NhsNumber::parse(&n))
            .transpose()?;
        Ok(Self {
            id: PersonId::new(),
            household,
            role,
            name,
            known_as: optional(details.known_as),
            date_of_birth: details.date_of_birth,
            nhs_number,
            phone: optional(details.phone)
                .map(|typed| canonical_phone(&typed))
                .transpose()?,
            address: optional(details.address),
            parental_responsibility: details.parental_responsibility,
        })
    }

    /// The same person after birth: a child with a date of birth (and a name, if now known).
    /// Returns a new value (the store keeps it as a new version); the id is unchanged.
    pub fn born(&self, date_of_birth: NaiveDate, name: Option<String>) -> Result<Self, ModelError> {
        if !matches!(self.role, PersonRole::UnbornBaby { .. }) {
            return Err(ModelError::NotUnborn);
        }
        let mut child = self.clone();
        child.role = PersonRole::Child;
        child.date_of_birth = Some(date_of_birth);
        if let Some(name) = optional(name) {
            child.name = Some(name);
        }
        Ok(child)
    }

    /// The date rules that need today's date (Europe/London, from the caller's clock): a date
    /// of birth is not after `today`; an unborn baby's expected date of delivery is within
    /// [`EDD_MAX_PAST_DAYS`] before and [`EDD_MAX_AHEAD_DAYS`] after `today`.
    ///
    /// # Errors
    /// [`ModelError::InFuture`] on `date_of_birth`, or
    /// [`ModelError::ImplausibleExpectedDelivery`].
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), ModelError> {
        if self.date_of_birth.is_some_and(|dob| dob > today) {
            return Err(ModelError::InFuture {
                field: "date_of_birth",
            });
        }
        if let PersonRole::UnbornBaby { expected_delivery } = self.role {
            let ahead = (expected_delivery - today).num_days();
            if ahead > EDD_MAX_AHEAD_DAYS {
                return Err(ModelError::ImplausibleExpectedDelivery {
                    why: "is more than 44 weeks ahead",
                });
            }
            if -ahead > EDD_MAX_PAST_DAYS {
                return Err(ModelError::ImplausibleExpectedDelivery {
                    why: "is more than 4 weeks past",
                });
            }
        }
        Ok(())
    }

    /// The child's age at `at`, counted on the Europe/London calendar date of that instant.
    /// `None` for someone without a date of birth, or for an instant before it.
    pub fn age_at(&self, at: DateTime<Utc>) -> Option<ChildAge> {
        ChildAge::between(self.date_of_birth?, london_date(at))
    }
}

/// A person's phone number through the one phone parser (UK first, international allowed:
/// family may live abroad), written back in its canonical display form.
fn canonical_phone(typed: &str) -> Result<String, ModelError> {
    let number = PhoneNumber::parse(typed, Region::AllowNonUk).map_err(ModelError::InvalidPhone)?;
    Ok(match number.extension() {
        Some(ext) => format!("{} ext. {ext}", number.display_national()),
        None => number.display_national(),
    })
}

/// The Europe/London calendar date of an instant (a visit at 23:30 UTC in summer is the next
/// day in England).
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

/// An age in whole years, months and days, as written in a child's record.
///
/// Months are calendar months counted from the date of birth; when the birth day does not exist
/// in a month (born on the 31st, or on 29 February) the month is complete on that month's last
/// day. Days are what remains after the whole months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChildAge {
    /// Whole years.
    pub years: u32,
    /// Whole months after the years (0..=11).
    pub months: u32,
    /// Days after the whole months.
    pub days: u32,
    /// Total age in days (for weeks-old babies and for sorting).
    pub total_days: u32,
}

impl ChildAge {
    /// The age on `on` of someone born on `born`; `None` if `on` is before `born`.
    pub fn between(born: NaiveDate, on: NaiveDate) -> Option<Self> {
        if on < born {
            return None;
        }
        let raw = (on.year() - born.year()) * 12 + on.month() as i32 - born.month() as i32;
        let mut months = u32::try_from(raw.max(0)).ok()?;
        let mut anchor = born.checked_add_months(Months::new(months))?;
        while anchor > on && months > 0 {
            months -= 1;
            anchor = born.checked_add_months(Months::new(months))?;
        }
        let days = u32::try_from((on - anchor).num_days()).ok()?;
        let total_days = u32::try_from((on - born).num_days()).ok()?;
        Some(Self {
            years: months / 12,
            months: months % 12,
            days,
            total_days,
        })
    }

    /// How a practitioner would say it: "5 days", "3 weeks 2 days" under 8 weeks,
    /// "4 months" under 2 years (with years counted in months), else "3 years 2 months".
    pub fn describe(&self) -> String {
        fn unit(n: u32, one: &str) -> String {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {one}s")
            }
        }
        let total_months = self.years * 12 + self.months;
        if self.total_days < 56 {
            let (weeks, days) = (self.total_days / 7, self.total_days % 7);
            match (weeks, days) {
                (0, d) => unit(d, "day"),
                (w, 0) => unit(w, "week"),
                (w, d) => format!("{} {}", unit(w, "week"), unit(d, "day")),
            }
        } else if total_months < 24 {
            unit(total_months, "month")
        } else if self.months == 0 {
            unit(self.years, "year")
        } else {
            format!(
                "{} {}",
                unit(self.years, "year"),
                unit(self.months, "month")
            )
        }
    }
}
