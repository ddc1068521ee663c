//! The bundled import format (JSON Lines) and its all-or-nothing parser.
//!
//! Owns: turning a directory file into a [`Directory`], or into a list of every problem with
//! its line number; nothing in between. The format is documented in docs/directory-format.md;
//! in short, one JSON object per line: a header line first, then `{"organisation": {...}}` and
//! `{"team": {...}}` lines in any order; blank lines and lines starting with `#` are comments.
//!
//! Why JSON Lines: a team has lists (areas) and a weekly schedule, which CSV can only hold by
//! inventing a second syntax inside cells; one object per line keeps a line number for every
//! record, so an error points at the row to fix, and any JSON tool can write it.
//!
//! Invariants: [`parse`] returns a directory only when every line is valid and the whole
//! satisfies the directory's invariants; otherwise it returns every problem found (up to
//! [`MAX_PROBLEMS`]), each naming its line, and nothing is imported. Teams refer to their
//! organisation by ODS code (readable, and what administrators know); ids are ULIDs so a
//! team keeps its identity across versions (shares are addressed to it).

use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::area::{Area, AreaError};
use super::contacts::{Directory, DirectoryError};
use super::hours::{HoursError, OpeningHours};
use super::model::{Organisation, Service, Team, TeamNumbers};
use super::ods::{OdsCode, OdsCodeError};
use super::phone::{PhoneNumber, PhoneNumberError, Region};
use crate::model::OrganisationKind;
use crate::model::{OrganisationId, TeamId};

/// The `format` value of the header line.
pub const FORMAT_NAME: &str = "safeshare-directory";
/// The `format_version` this parser reads.
pub const FORMAT_VERSION: u64 = 1;
/// Problems reported before the parser stops looking (the file is refused either way).
pub const MAX_PROBLEMS: usize = 100;

/// What is wrong with one line.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum LineProblemKind {
    /// Not a JSON object of the expected shape (serde's message says where and what).
    #[error(transparent)]
    Json(JsonLineError),
    /// The first record is not the header.
    #[error("the first record must be the header {{\"format\": \"{FORMAT_NAME}\", \"format_version\": {FORMAT_VERSION}, \"version\": N, \"region\": \"...\"}}")]
    MissingHeader,
    /// A second header.
    #[error("only the first record may be a header")]
    ExtraHeader,
    /// A header for another format or version.
    #[error("unsupported format '{format}' version {format_version} (expected '{FORMAT_NAME}' version {FORMAT_VERSION})")]
    UnsupportedFormat {
        /// The format named.
        format: String,
        /// Its version.
        format_version: u64,
    },
    /// A line that is neither header, organisation nor team.
    #[error("a record must be a header, {{\"organisation\": {{...}}}} or {{\"team\": {{...}}}}")]
    UnknownRecord,
    /// A phone number field that is not a valid number.
    #[error("{field}: {error}")]
    Phone {
        /// Which field.
        field: &'static str,
        /// Why.
        error: PhoneNumberError,
    },
    /// A bad ODS code.
    #[error("ods_code: {0}")]
    OdsCode(OdsCodeError),
    /// A bad area. The directory file's text is quoted for the operator who fixes the file:
    /// a team's coverage area, not a family's postcode (an `AreaError` itself quotes nothing).
    #[error("areas: '{text}' is {error}")]
    Area {
        /// The area as written in the file.
        text: String,
        /// Why it is not one.
        error: AreaError,
    },
    /// Bad opening hours.
    #[error("{field}: {error}")]
    Hours {
        /// Which field.
        field: &'static str,
        /// Why.
        error: HoursError,
    },
    /// A blank name.
    #[error("name must not be blank")]
    BlankName,
    /// A key given twice in one object (`"in_hours"` twice, or `"mon"` twice in a schedule).
    /// JSON leaves this undefined and most readers keep the last silently, so a team's hours
    /// could disappear: the line is refused instead (RFC 8259 section 4: names "SHOULD be
    /// unique").
    #[error("the key \"{key}\" appears more than once in {within}; keep one")]
    DuplicateKey {
        /// The repeated key.
        key: String,
        /// Where: `the record` or the enclosing key, e.g. `"hours"`.
        within: String,
    },
    /// An organisation id used on an earlier line.
    #[error("organisation id {id} is already used on line {first_line}")]
    DuplicateOrganisationId {
        /// The id.
        id: OrganisationId,
        /// Where it was first used.
        first_line: usize,
    },
    /// An ODS code used on an earlier line.
    #[error("ODS code {code} is already used on line {first_line}")]
    DuplicateOdsCode {
        /// The code.
        code: String,
        /// Where it was first used.
        first_line: usize,
    },
    /// A team id used on an earlier line.
    #[error("team id {id} is already used on line {first_line}")]
    DuplicateTeamId {
        /// The id.
        id: TeamId,
        /// Where it was first used.
        first_line: usize,
    },
    /// A team whose organisation ODS code is not in the file.
    #[error("organisation '{0}' is not in the file")]
    UnknownOrganisation(String),
    /// A team whose out-of-hours team is missing or not an emergency duty team.
    #[error("out_of_hours_team {0} is not an emergency duty team in the file")]
    BadOutOfHoursTeam(TeamId),
    /// The file has no records at all.
    #[error("the file has no header and no records")]
    EmptyFile,
    /// The assembled directory breaks an invariant not tied to one line.
    #[error("{0}")]
    Directory(DirectoryError),
}

/// A line that is not JSON, or not JSON of a record's shape: serde_json's own error, kept whole
/// as the source (its category and column stay typed). A directory file holds teams, numbers
/// and areas, never a family's details, so serde's message (which can quote what it read) is
/// shown to the operator who fixes the file. Its text is serde's message without serde's "at
/// line 1" (each line is parsed alone; [`LineProblem`] gives the file's line) and with the
/// column where there is one.
#[derive(Debug, Clone)]
pub struct JsonLineError(Arc<serde_json::Error>);

impl JsonLineError {
    /// Syntax, data (wrong shape or type), or end of input.
    pub fn category(&self) -> serde_json::error::Category {
        self.0.classify()
    }

    /// The column of the line where it failed; `None` when the line is JSON but not of a
    /// record's shape (checked after parsing, so there is no position).
    pub fn column(&self) -> Option<usize> {
        (self.0.line() != 0).then(|| self.0.column())
    }
}

impl From<serde_json::Error> for JsonLineError {
    fn from(err: serde_json::Error) -> Self {
        JsonLineError(Arc::new(err))
    }
}

impl fmt::Display for JsonLineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        match self.column() {
            None => f.write_str(&text),
            Some(column) => {
                let what = text
                    .rsplit_once(" at line ")
                    .map_or(text.as_str(), |(w, _)| w);
                write!(f, "{what} (column {column})")
            }
        }
    }
}

impl std::error::Error for JsonLineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Two are equal when serde said the same thing at the same place (`serde_json::Error` itself
/// has no equality), so a test can compare problems whole.
impl PartialEq for JsonLineError {
    fn eq(&self, other: &Self) -> bool {
        self.category() == other.category()
            && self.0.line() == other.0.line()
            && self.0.column() == other.0.column()
            && self.0.to_string() == other.0.to_string()
    }
}

impl Eq for JsonLineError {}

/// One problem and the line it is on (1-based; 0 for the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// The line number.
    pub line: usize,
    /// What is wrong.
    pub kind: LineProblemKind,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "file: {}", self.kind)
        } else {
            write!(f, "line {}: {}", self.line, self.kind)
        }
    }
}

/// The file was refused; nothing was imported. Lists every problem found.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[error("directory file refused, nothing imported: {}", summary(.problems))]
pub struct ImportError {
    /// Every problem, in line order.
    pub problems: Vec<LineProblem>,
}

fn summary(problems: &[LineProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderLine {
    format: String,
    format_version: u64,
    version: u64,
    region: String,
    #[serde(default)]
    fictional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationLine {
    id: OrganisationId,
    ods_code: String,
    name: String,
    kind: OrganisationKind,
    #[serde(default)]
    switchboard: Option<String>,
    #[serde(default)]
    switchboard_hours: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamLine {
    id: TeamId,
    organisation: String,
    name: String,
    service: Service,
    #[serde(default)]
    areas: Vec<String>,
    #[serde(default)]
    in_hours: Option<String>,
    #[serde(default)]
    out_of_hours: Option<String>,
    #[serde(default)]
    switchboard: Option<String>,
    hours: Value,
    #[serde(default)]
    out_of_hours_team: Option<TeamId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum Record {
    Organisation(OrganisationLine),
    Team(TeamLine),
}

/// A team read from its line, before its organisation's ODS code is resolved.
struct PendingTeam {
    line: usize,
    ods: String,
    id: TeamId,
    name: String,
    service: Service,
    areas: Vec<Area>,
    numbers: TeamNumbers,
    hours: OpeningHours,
    out_of_hours_team: Option<TeamId>,
}

impl PendingTeam {
    fn resolve(self, organisation: OrganisationId) -> Team {
        Team {
            id: self.id,
            organisation,
            name: self.name,
            service: self.service,
            areas: self.areas,
            numbers: self.numbers,
            hours: self.hours,
            out_of_hours_team: self.out_of_hours_team,
        }
    }
}

/// Collects problems, stopping at [`MAX_PROBLEMS`].
#[derive(Default)]
struct Problems(Vec<LineProblem>);

impl Problems {
    fn add(&mut self, line: usize, kind: LineProblemKind) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(LineProblem { line, kind });
        }
    }
    fn full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }
}

/// Parses a directory file. Returns the whole directory or every problem; never part of it.
pub fn parse(text: &str) -> Result<Directory, ImportError> {
    let mut problems = Problems::default();
    let mut header: Option<HeaderLine> = None;
    let mut seen_record = false;
    let mut organisations: Vec<Organisation> = Vec::new();
    let mut org_lines: HashMap<OrganisationId, usize> = HashMap::new();
    let mut ods_lines: HashMap<String, (usize, OrganisationId)> = HashMap::new();
    let mut teams: Vec<PendingTeam> = Vec::new();
    let mut team_lines: HashMap<TeamId, usize> = HashMap::new();

    // Editors on Windows may start the file with a byte-order mark; it is not content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        if problems.full() {
            break;
        }
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let value: Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(e) => {
                problems.add(line, LineProblemKind::Json(e.into()));
                seen_record = true;
                continue;
            }
        };
        if let Err(duplicate) = unique_keys::check(raw) {
            problems.add(line, duplicate);
            seen_record = true;
            continue;
        }
        let is_header = value.get("format").is_some();
        if !seen_record {
            seen_record = true;
            if !is_header {
                problems.add(line, LineProblemKind::MissingHeader);
            } else {
                match serde_json::from_value::<HeaderLine>(value) {
                    Ok(h) if h.format != FORMAT_NAME || h.format_version != FORMAT_VERSION => {
                        problems.add(
                            line,
                            LineProblemKind::UnsupportedFormat {
                                format: h.format,
                                format_version: h.format_version,
                            },
                        );
                    }
                    Ok(h) => header = Some(h),
                    Err(e) => problems.add(line, LineProblemKind::Json(e.into())),
                }
                continue;
            }
        } else if is_header {
            problems.add(line, LineProblemKind::ExtraHeader);
            continue;
        }
        let record = match value {
            Value::Object(ref m)
                if m.len() == 1 && (m.contains_key("organisation") || m.contains_key("team")) =>
            {
                match serde_json::from_value::<Record>(value) {
                    Ok(r) => r,
                    Err(e) => {
                        problems.add(line, LineProblemKind::Json(e.into()));
                        continue;
                    }
                }
            }
            _ => {
                problems.add(line, LineProblemKind::UnknownRecord);
                continue;
            }
        };
        match record {
            Record::Organisation(o) => match organisation_from(o) {
                Ok(org) => {
                    if let Some(&first_line) = org_lines.get(&org.id) {
                        problems.add(
                            line,
                            LineProblemKind::DuplicateOrganisationId {
                                id: org.id,
                                first_line,
                            },
                        );
                    } else if let Some(&(first_line, _)) = ods_lines.get(org.ods_code.as_str()) {
                        problems.add(
                            line,
                            LineProblemKind::DuplicateOdsCode {
                                code: org.ods_code.to_string(),
                                first_line,
                            },
                        );
                    } else {
                        org_lines.insert(org.id, line);
                        ods_lines.insert(org.ods_code.to_string(), (line, org.id));
                        organisations.push(org);
                    }
                }
                Err(kinds) => kinds.into_iter().for_each(|k| problems.add(line, k)),
            },
            Record::Team(t) => match team_from(line, t) {
                Ok(team) => {
                    if let Some(&first_line) = team_lines.get(&team.id) {
                        problems.add(
                            line,
                            LineProblemKind::DuplicateTeamId {
                                id: team.id,
                                first_line,
                            },
                        );
                    } else {
                        team_lines.insert(team.id, line);
                        teams.push(team);
                    }
                }
                Err(kinds) => kinds.into_iter().for_each(|k| problems.add(line, k)),
            },
        }
    }
    if !seen_record {
        problems.add(0, LineProblemKind::EmptyFile);
    }

    // Cross-line references, each reported on the team's line.
    let services: HashMap<TeamId, Service> = teams.iter().map(|p| (p.id, p.service)).collect();
    let mut resolved = Vec::with_capacity(teams.len());
    for pending in teams {
        let organisation = match ods_lines.get(&pending.ods.trim().to_ascii_uppercase()) {
            Some(&(_, org_id)) => org_id,
            None => {
                problems.add(
                    pending.line,
                    LineProblemKind::UnknownOrganisation(pending.ods.clone()),
                );
                continue;
            }
        };
        if let Some(edt) = pending.out_of_hours_team {
            if services.get(&edt) != Some(&Service::EmergencyDutyTeam) {
                problems.add(pending.line, LineProblemKind::BadOutOfHoursTeam(edt));
                continue;
            }
        }
        resolved.push(pending.resolve(organisation));
    }

    let mut problems = problems.0;
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(ImportError { problems });
    }
    let header = header.ok_or_else(|| ImportError {
        problems: vec![LineProblem {
            line: 0,
            kind: LineProblemKind::MissingHeader,
        }],
    })?;
    Directory::new(
        header.version,
        header.region,
        header.fictional,
        organisations,
        resolved,
    )
    .map_err(|e| ImportError {
        problems: vec![LineProblem {
            line: 0,
            kind: LineProblemKind::Directory(e),
        }],
    })
}

/// serde_json's message without its "at line 1 column N" (every record is one line, so only
/// the column helps).
/// Finds a key repeated within one JSON object, at any depth. `serde_json::Value` keeps only the
/// last of a repeated key, so this walks the text once more with a visitor that sees every key.
mod unique_keys {
    use super::LineProblemKind;
    use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::collections::HashSet;
    use std::fmt;

    /// `Err(DuplicateKey)` naming the first repeated key; `Ok` otherwise (including for text
    /// that is not JSON, which the caller reports separately).
    pub(super) fn check(raw: &str) -> Result<(), LineProblemKind> {
        let mut found = None;
        let mut de = serde_json::Deserializer::from_str(raw);
        let _ = de.deserialize_any(Walk {
            within: "the record".to_owned(),
            found: &mut found,
        });
        found.map_or(Ok(()), Err)
    }

    struct Walk<'a> {
        within: String,
        found: &'a mut Option<LineProblemKind>,
    }

    impl<'de> de::DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq
                .next_element_seed(Walk {
                    within: self.within.clone(),
                    found: &mut *self.found,
                })?
                .is_some()
            {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut keys = HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !keys.insert(key.clone()) && self.found.is_none() {
                    *self.found = Some(LineProblemKind::DuplicateKey {
                        key: key.clone(),
                        within: self.within.clone(),
                    });
                }
                map.next_value_seed(Walk {
                    within: format!("\"{key}\""),
                    found: &mut *self.found,
                })?;
            }
            Ok(())
        }
    }
}

fn phone(
    field: &'static str,
    text: Option<String>,
) -> Result<Option<PhoneNumber>, LineProblemKind> {
    match text {
        None => Ok(None),
        Some(t) if crate::rules::normalise::is_blank(&t) => Ok(None),
        Some(t) => PhoneNumber::parse(&t, Region::UkOnly)
            .map(Some)
            .map_err(|error| LineProblemKind::Phone { field, error }),
    }
}

fn organisation_from(o: OrganisationLine) -> Result<Organisation, Vec<LineProblemKind>> {
    let mut errs = Vec::new();
    if crate::rules::normalise::is_blank(&o.name) {
        errs.push(LineProblemKind::BlankName);
    }
    let ods = OdsCode::parse_for(&o.ods_code, o.kind)
        .map_err(|e| errs.push(LineProblemKind::OdsCode(e)))
        .ok();
    let switchboard = phone("switchboard", o.switchboard)
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let hours = match o.switchboard_hours {
        None => Some(OpeningHours::always()),
        Some(v) => OpeningHours::from_value(&v)
            .map_err(|error| {
                errs.push(LineProblemKind::Hours {
                    field: "switchboard_hours",
                    error,
                })
            })
            .ok(),
    };
    match (ods, hours) {
        (Some(ods_code), Some(switchboard_hours)) if errs.is_empty() => Ok(Organisation {
            id: o.id,
            ods_code,
            name: o.name.trim().to_owned(),
            kind: o.kind,
            switchboard,
            switchboard_hours,
        }),
        _ => Err(errs),
    }
}

fn team_from(line: usize, t: TeamLine) -> Result<PendingTeam, Vec<LineProblemKind>> {
    let mut errs = Vec::new();
    if crate::rules::normalise::is_blank(&t.name) {
        errs.push(LineProblemKind::BlankName);
    }
    let mut areas = Vec::with_capacity(t.areas.len());
    for a in &t.areas {
        match Area::parse(a) {
            Ok(area) => areas.push(area),
            Err(error) => errs.push(LineProblemKind::Area {
                text: a.clone(),
                error,
            }),
        }
    }
    let mut numbers = TeamNumbers::default();
    for (field, text, slot) in [
        ("in_hours", t.in_hours, &mut numbers.in_hours),
        ("out_of_hours", t.out_of_hours, &mut numbers.out_of_hours),
        ("switchboard", t.switchboard, &mut numbers.switchboard),
    ] {
        match phone(field, text) {
            Ok(n) => *slot = n,
            Err(e) => errs.push(e),
        }
    }
    let hours = OpeningHours::from_value(&t.hours)
        .map_err(|error| {
            errs.push(LineProblemKind::Hours {
                field: "hours",
                error,
            })
        })
        .ok();
    match hours {
        Some(hours) if errs.is_empty() => Ok(PendingTeam {
            line,
            ods: t.organisation,
            id: t.id,
            name: t.name.trim().to_owned(),
            service: t.service,
            areas,
            numbers,
            hours,
            out_of_hours_team: t.out_of_hours_team,
        }),
        _ => Err(errs),
    }
}

/// Writes `directory` in the import format: the header, organisations, then teams. What
/// [`parse`] reads back is equal to `directory`.
pub fn export(directory: &Directory) -> String {
    let mut out = Vec::new();
    out.push(json!({
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "version": directory.version(),
        "region": directory.region(),
        "fictional": directory.is_fictional(),
    }));
    for o in directory.organisations() {
        let mut m = Map::new();
        m.insert("id".into(), json!(o.id));
        m.insert("ods_code".into(), json!(o.ods_code));
        m.insert("name".into(), json!(o.name));
        m.insert("kind".into(), json!(o.kind));
        if let Some(n) = &o.switchboard {
            m.insert("switchboard".into(), json!(n.e164()));
        }
        m.insert("switchboard_hours".into(), o.switchboard_hours.to_value());
        out.push(json!({ "organisation": m }));
    }
    for t in directory.teams() {
        let ods = directory
            .organisation(t.organisation)
            .map(|o| o.ods_code.to_string())
            .unwrap_or_default();
        let mut m = Map::new();
        m.insert("id".into(), json!(t.id));
        m.insert("organisation".into(), json!(ods));
        m.insert("name".into(), json!(t.name));
        m.insert("service".into(), json!(t.service));
        m.insert("areas".into(), json!(t.areas));
        for (field, n) in [
            ("in_hours", &t.numbers.in_hours),
            ("out_of_hours", &t.numbers.out_of_hours),
            ("switchboard", &t.numbers.switchboard),
        ] {
            if let Some(n) = n {
                m.insert(field.into(), json!(n.e164()));
            }
        }
        m.insert("hours".into(), t.hours.to_value());
        if let Some(edt) = t.out_of_hours_team {
            m.insert("out_of_hours_team".into(), json!(edt));
        }
        out.push(json!({ "team": m }));
    }
    let mut text = String::new();
    for v in out {
        text.push_str(&v.to_string());
        text.push('\n');
    }
    text
}
