//! The console's HTML: one layout and one function per page, server-rendered with maud and
//! NHS.UK frontend classes. No inline script or style (the CSP forbids both), every form a
//! plain POST or GET, so every page works without JavaScript.
//!
//! Times are shown in London wall-clock time ("Mon 30 Nov 14:05"); ids are shown as they are
//! (the server holds no names of people). Nothing here receives an envelope body.

use super::auth::{Role, Session};
use super::store::{AuditRow, DeviceListing, OpenItem};
use chrono::{DateTime, Utc};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use safeshare_core::rules::calendar::LONDON;
use safeshare_core::sync::EnvelopeKind;

/// A time as people in the region read it.
pub fn london(t: DateTime<Utc>) -> String {
    t.with_timezone(&LONDON)
        .format("%a %-d %b %Y %H:%M")
        .to_string()
}

/// "3 days 4 hours", "2 hours 5 minutes", "12 minutes".
pub fn span(d: chrono::Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    if days > 0 {
        format!("{} {}", unit(days, "day"), unit(hours, "hour"))
    } else if hours > 0 {
        format!("{} {}", unit(hours, "hour"), unit(mins, "minute"))
    } else {
        unit(mins, "minute")
    }
}

/// The pages a role opens, in the navigation's order.
pub const PAGES: [(&str, &str, Role); 4] = [
    ("overdue", "Overdue and due soon", Role::Assurance),
    ("devices", "Devices", Role::DeviceAdmin),
    ("codes", "Enrolment codes", Role::DeviceAdmin),
    ("directory", "Directory", Role::DirectoryEditor),
];

/// The whole page around `body`.
pub fn layout(title: &str, session: Option<&Session>, current: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – SafeShare console" }
                link rel="stylesheet" href="/console/assets/nhsuk-frontend.min.css";
                link rel="stylesheet" href="/console/assets/console.css";
                link rel="icon" href="/console/assets/images/favicon.ico";
            }
            body {
                a class="nhsuk-skip-link" href="#maincontent" { "Skip to main content" }
                header class="nhsuk-header" role="banner" {
                    div class="nhsuk-header__container nhsuk-width-container" {
                        div class="nhsuk-header__service" {
                            a class="nhsuk-header__service-name" href="/console/" { "SafeShare regional console" }
                        }
                        @if let Some(s) = session {
                            form class="console-signout" method="post" action="/console/sign-out" {
                                input type="hidden" name="csrf" value=(s.csrf_token());
                                button class="nhsuk-button nhsuk-button--reverse nhsuk-button--small" type="submit" { "Sign out" }
                            }
                        }
                    }
                    @if let Some(s) = session {
                        nav class="nhsuk-header__navigation" aria-label="Console pages" {
                            div class="nhsuk-header__navigation-container nhsuk-width-container" {
                                ul class="nhsuk-header__navigation-list" {
                                    @for (path, label, role) in PAGES {
                                        @if s.has(role) {
                                            li class="nhsuk-header__navigation-item" {
                                                @if current == path {
                                                    a class="nhsuk-header__navigation-link" href={"/console/" (path)} aria-current="page" { (label) }
                                                } @else {
                                                    a class="nhsuk-header__navigation-link" href={"/console/" (path)} { (label) }
                                                }
                                            }
                                        }
                                    }
                                    li class="nhsuk-header__navigation-item" {
                                        @if current == "audit" {
                                            a class="nhsuk-header__navigation-link" href="/console/audit" aria-current="page" { "Audit" }
                                        } @else {
                                            a class="nhsuk-header__navigation-link" href="/console/audit" { "Audit" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                div class="nhsuk-width-container" {
                    main class="nhsuk-main-wrapper" id="maincontent" {
                        (body)
                    }
                }
                footer role="contentinfo" {
                    div class="nhsuk-footer" {
                        div class="nhsuk-width-container" {
                            p class="nhsuk-body-s" {
                                "Routing metadata only: this console never shows what was shared. "
                                @if let Some(s) = session {
                                    "Signed in as " (s.actor) " ("
                                    (s.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", "))
                                    ")."
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A plain message page (refusals, not found).
pub fn message(title: &str, session: Option<&Session>, text: &str) -> Markup {
    layout(
        title,
        session,
        "",
        html! {
            h1 { (title) }
            p { (text) }
            p { a href="/console/" { "Back to the console" } }
        },
    )
}

/// The sign-in page: how to get a link, and the organisation's sign-in if configured.
pub fn sign_in(oidc: bool) -> Markup {
    layout(
        "Sign in",
        None,
        "",
        html! {
            h1 { "Sign in to the SafeShare console" }
            @if oidc {
                p { "Sign in with your organisation's account. Your role in the console comes from your organisation." }
                a class="nhsuk-button" href="/console/oidc/start" role="button" draggable="false" { "Sign in with your organisation" }
            }
            div class="nhsuk-inset-text" {
                span class="nhsuk-u-visually-hidden" { "Information: " }
                p {
                    "Without an organisation account, ask the server's operator for a one-time sign-in link: "
                    code { "safeshare-server console-link --role assurance" }
                    ". A link works once, for 10 minutes."
                }
            }
        },
    )
}

/// After an OpenID Connect sign-in: a same-site step to the console (see the callback).
pub fn signed_in_continue() -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta http-equiv="refresh" content="0;url=/console/";
                title { "Signed in – SafeShare console" }
                link rel="stylesheet" href="/console/assets/nhsuk-frontend.min.css";
            }
            body {
                div class="nhsuk-width-container" {
                    main class="nhsuk-main-wrapper" id="maincontent" {
                        h1 { "You are signed in" }
                        p { a href="/console/" { "Continue to the console" } }
                    }
                }
            }
        }
    }
}

/// The link's confirmation page: a button, so a preview or prefetch does not spend it.
pub fn link_confirm(token: &str, csrf: &str, roles: &str) -> Markup {
    layout(
        "Sign in",
        None,
        "",
        html! {
            h1 { "Sign in with a one-time link" }
            p { "This link signs you in once, as: " strong { (roles) } "." }
            form method="post" action={"/console/link/" (token)} {
                input type="hidden" name="csrf" value=(csrf);
                button class="nhsuk-button" type="submit" { "Sign in" }
            }
        },
    )
}

fn kind_label(kind: EnvelopeKind) -> &'static str {
    match kind {
        EnvelopeKind::Share => "Share",
        EnvelopeKind::Referral => "Referral",
        other => other.as_str(),
    }
}

fn severity_tag(severity: Option<safeshare_core::model::Severity>) -> Markup {
    use safeshare_core::model::Severity;
    let (class, text) = match severity {
        Some(Severity::ImmediateRisk) => ("nhsuk-tag nhsuk-tag--red", "Immediate risk"),
        Some(Severity::Concern) => ("nhsuk-tag nhsuk-tag--orange", "Concern"),
        Some(Severity::LowLevelConcern) => ("nhsuk-tag nhsuk-tag--yellow", "Low-level concern"),
        None => ("nhsuk-tag nhsuk-tag--grey", "Not given"),
    };
    html! { strong class=(class) { (text) } }
}

/// One team's rows on the overdue page.
pub struct TeamGroup {
    /// "Organisation – Team" or the team id when the directory does not know it.
    pub heading: String,
    /// The items, most overdue first.
    pub items: Vec<OpenItem>,
}

/// The filter choices and what is selected.
pub struct OverdueFilters {
    /// (team id, name) for the team select.
    pub teams: Vec<(String, String)>,
    /// Selected team id.
    pub team: String,
    /// Selected kind (`share`, `referral` or empty).
    pub kind: String,
    /// Selected severity wire name or empty.
    pub severity: String,
}

fn select(name: &str, label: &str, options: &[(String, String)], selected: &str) -> Markup {
    html! {
        div class="nhsuk-form-group console-filter" {
            label class="nhsuk-label" for=(name) { (label) }
            select class="nhsuk-select" id=(name) name=(name) {
                option value="" selected[selected.is_empty()] { "All" }
                @for (value, text) in options {
                    option value=(value) selected[selected == value] { (text) }
                }
            }
        }
    }
}

fn item_table(caption: &str, items: &[OpenItem], now: DateTime<Utc>, overdue: bool) -> Markup {
    html! {
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption nhsuk-table__caption--s" { (caption) }
            thead class="nhsuk-table__head" {
                tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="col" { "Kind" }
                    th class="nhsuk-table__header" scope="col" { "Severity" }
                    th class="nhsuk-table__header" scope="col" { "Sent" }
                    th class="nhsuk-table__header" scope="col" { "Due" }
                    th class="nhsuk-table__header" scope="col" { @if overdue { "Overdue by" } @else { "Due in" } }
                    th class="nhsuk-table__header" scope="col" { "Acknowledged" }
                    th class="nhsuk-table__header" scope="col" { "Escalation" }
                }
            }
            tbody class="nhsuk-table__body" {
                @for item in items {
                    tr class="nhsuk-table__row" {
                        td class="nhsuk-table__cell" { (kind_label(item.kind)) }
                        td class="nhsuk-table__cell" { (severity_tag(item.severity)) }
                        td class="nhsuk-table__cell" { (london(item.sent_at)) }
                        td class="nhsuk-table__cell" { (london(item.due_at)) }
                        td class="nhsuk-table__cell" {
                            @if overdue { (span(now - item.due_at)) } @else { (span(item.due_at - now)) }
                        }
                        td class="nhsuk-table__cell" { "No" }
                        td class="nhsuk-table__cell" {
                            @match item.escalation_steps {
                                0 => "Not escalated",
                                1 => "1 step taken",
                                n => { (n) " steps taken" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The overdue and due-soon page.
pub fn overdue(
    now: DateTime<Utc>,
    filters: &OverdueFilters,
    overdue_groups: &[TeamGroup],
    soon_groups: &[TeamGroup],
    chart: &[(chrono::NaiveDate, u32)],
) -> Markup {
    let kinds = [
        ("share".to_owned(), "Share".to_owned()),
        ("referral".to_owned(), "Referral".to_owned()),
    ];
    let severities = [
        ("immediate_risk".to_owned(), "Immediate risk".to_owned()),
        ("concern".to_owned(), "Concern".to_owned()),
        (
            "low_level_concern".to_owned(),
            "Low-level concern".to_owned(),
        ),
    ];
    let total: usize = overdue_groups.iter().map(|g| g.items.len()).sum();
    html! {
        h1 { "Overdue and due soon" }
        p class="nhsuk-lede-text" {
            @if total == 0 { "Nothing is overdue." }
            @else if total == 1 { "1 share or referral is overdue." }
            @else { (total) " shares and referrals are overdue." }
            " Shares are overdue without an acknowledgement; referrals without a decision."
        }
        form method="get" action="/console/overdue" class="console-filters" {
            (select("team", "Team", &filters.teams, &filters.team))
            (select("kind", "Kind", &kinds, &filters.kind))
            (select("severity", "Severity", &severities, &filters.severity))
            button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Filter" }
        }
        h2 { "Overdue" }
        @if overdue_groups.is_empty() { p { "None." } }
        @for group in overdue_groups {
            (item_table(&group.heading, &group.items, now, true))
        }
        h2 { "Due in the next 24 hours" }
        @if soon_groups.is_empty() { p { "None." } }
        @for group in soon_groups {
            (item_table(&group.heading, &group.items, now, false))
        }
        h2 id="chart-title" { "Items overdue per day, last 8 weeks" }
        (bar_chart(chart))
    }
}

/// A bar chart as inline SVG (no script), with the figures in a table below for anyone who
/// cannot see it.
pub fn bar_chart(days: &[(chrono::NaiveDate, u32)]) -> Markup {
    let max = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let bar = 10u32;
    let gap = 2u32;
    let height = 120u32;
    let width = (bar + gap) * days.len() as u32;
    let summary = format!(
        "Bar chart of items overdue at the end of each day from {} to {}; the most on one day was {}.",
        days.first().map(|d| d.0.format("%-d %b").to_string()).unwrap_or_default(),
        days.last().map(|d| d.0.format("%-d %b").to_string()).unwrap_or_default(),
        days.iter().map(|d| d.1).max().unwrap_or(0)
    );
    html! {
        figure class="console-chart" {
            svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title chart-desc"
                viewBox={"0 0 " (width) " " (height + 2)} width="100%" height="160" preserveAspectRatio="none" {
                desc id="chart-desc" { (summary) }
                line x1="0" y1=(height) x2=(width) y2=(height) stroke="#4c6272" stroke-width="1" {}
                @for (i, (day, n)) in days.iter().enumerate() {
                    @let h = n * (height - 4) / max;
                    rect x=((i as u32) * (bar + gap)) y=(height - h) width=(bar) height=(h) fill="#005eb8" {
                        title { (day.format("%a %-d %b")) ": " (n) }
                    }
                }
            }
            figcaption class="nhsuk-body-s" { (summary) }
        }
        details class="nhsuk-details" {
            summary class="nhsuk-details__summary" {
                span class="nhsuk-details__summary-text" { "Show the figures" }
            }
            div class="nhsuk-details__text" {
                table class="nhsuk-table" {
                    caption class="nhsuk-table__caption nhsuk-table__caption--s" { "Overdue at the end of each day" }
                    thead class="nhsuk-table__head" {
                        tr class="nhsuk-table__row" {
                            th class="nhsuk-table__header" scope="col" { "Day" }
                            th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col" { "Overdue" }
                        }
                    }
                    tbody class="nhsuk-table__body" {
                        @for (day, n) in days {
                            tr class="nhsuk-table__row" {
                                td class="nhsuk-table__cell" { (day.format("%a %-d %b %Y")) }
                                td class="nhsuk-table__cell nhsuk-table__cell--numeric" { (n) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The devices page.
pub fn devices(
    session: &Session,
    devices: &[DeviceListing],
    team_name: &dyn Fn(&str) -> String,
) -> Markup {
    html! {
        h1 { "Devices" }
        p { "Revoke a phone that is lost or stolen: its next contact is refused and it is told to wipe at once, "
            "whatever it has not yet sent. "
            "Retire a phone that was handed back: it may still send what it holds, then is told to wipe; "
            "it receives nothing new." }
        @if devices.is_empty() { p { "No device has enrolled yet." } }
        @else {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption nhsuk-table__caption--s" { (devices.len()) " devices" }
                thead class="nhsuk-table__head" {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="col" { "Device" }
                        th class="nhsuk-table__header" scope="col" { "Practitioner" }
                        th class="nhsuk-table__header" scope="col" { "Teams" }
                        th class="nhsuk-table__header" scope="col" { "Enrolled" }
                        th class="nhsuk-table__header" scope="col" { "Last push" }
                        th class="nhsuk-table__header" scope="col" { "State" }
                    }
                }
                tbody class="nhsuk-table__body" {
                    @for d in devices {
                        tr class="nhsuk-table__row" {
                            td class="nhsuk-table__cell" { code { (d.id) } }
                            td class="nhsuk-table__cell" { code { (d.practitioner) } }
                            td class="nhsuk-table__cell" {
                                (d.teams.iter().map(|t| team_name(&t.to_string())).collect::<Vec<_>>().join(", "))
                            }
                            td class="nhsuk-table__cell" { (london(d.enrolled_at)) }
                            td class="nhsuk-table__cell" {
                                @if let Some(t) = d.last_push { (london(t)) } @else { "Never" }
                            }
                            td class="nhsuk-table__cell" {
                                @if let Some(t) = d.revoked_at {
                                    strong class="nhsuk-tag nhsuk-tag--grey" { "Revoked" } " " (london(t))
                                } @else {
                                    @if let Some(t) = d.retired_at {
                                        strong class="nhsuk-tag nhsuk-tag--grey" { "Retired" } " " (london(t))
                                    } @else {
                                        form method="post" action={"/console/devices/" (d.id) "/retire"} {
                                            input type="hidden" name="csrf" value=(session.csrf_token());
                                            button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit" {
                                                "Retire" span class="nhsuk-u-visually-hidden" { " device " (d.id) }
                                            }
                                        }
                                    }
                                    // A retired phone can still be revoked (lost before it wiped).
                                    form method="post" action={"/console/devices/" (d.id) "/revoke"} {
                                        input type="hidden" name="csrf" value=(session.csrf_token());
                                        button class="nhsuk-button nhsuk-button--warning nhsuk-button--small" type="submit" {
                                            "Revoke" span class="nhsuk-u-visually-hidden" { " device " (d.id) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An issued code to show once, with its QR code (SVG) for the phone to scan.
pub struct ShownCode {
    /// The code text.
    pub code: String,
    /// Its QR code as SVG markup (made by the `qrcode` crate from the code text only).
    pub qr_svg: String,
    /// The practitioner.
    pub practitioner: String,
    /// Teams, by name.
    pub teams: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// One issued code as listed (never the code itself: only its id).
pub struct CodeRow {
    /// The code's id.
    pub code_id: String,
    /// Practitioner id.
    pub practitioner: String,
    /// Teams, by name.
    pub teams: String,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Expires.
    pub expires_at: DateTime<Utc>,
    /// `active`, `used`, `revoked` or `expired`.
    pub status: &'static str,
}

/// The enrolment codes page: the issue form, after issuing the code, and the list.
pub fn codes(
    session: &Session,
    teams: &[(String, String)],
    shown: Option<&ShownCode>,
    error: Option<&str>,
    notice: Option<&str>,
    list: &[CodeRow],
) -> Markup {
    html! {
        @if let Some(e) = error {
            div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" {
                h2 class="nhsuk-error-summary__title" id="error-summary-title" { "There is a problem" }
                div class="nhsuk-error-summary__body" { p { (e) } }
            }
        }
        @if let Some(text) = notice {
            div class="nhsuk-inset-text" id="notice" {
                span class="nhsuk-u-visually-hidden" { "Information: " }
                p { (text) }
            }
        }
        h1 { "Enrolment codes" }
        @if let Some(c) = shown {
            div class="nhsuk-card nhsuk-card--feature" {
                div class="nhsuk-card__content nhsuk-card__content--feature" {
                    h2 class="nhsuk-card__heading nhsuk-card__heading--feature" { "Code issued" }
                    p { "Give this code to the practitioner once. It is not stored and cannot be shown again." }
                    p class="console-code" { code id="issued-code" { (c.code) } }
                    div class="console-qr" { (PreEscaped(&c.qr_svg)) }
                    dl class="nhsuk-summary-list" {
                        div class="nhsuk-summary-list__row" {
                            dt class="nhsuk-summary-list__key" { "Practitioner" }
                            dd class="nhsuk-summary-list__value" { code { (c.practitioner) } }
                        }
                        div class="nhsuk-summary-list__row" {
                            dt class="nhsuk-summary-list__key" { "Teams" }
                            dd class="nhsuk-summary-list__value" { (c.teams) }
                        }
                        div class="nhsuk-summary-list__row" {
                            dt class="nhsuk-summary-list__key" { "Expires" }
                            dd class="nhsuk-summary-list__value" { (london(c.expires_at)) }
                        }
                    }
                }
            }
        }
        h2 { "Issue a code" }
        form method="post" action="/console/codes" {
            input type="hidden" name="csrf" value=(session.csrf_token());
            div class="nhsuk-form-group" {
                fieldset class="nhsuk-fieldset" aria-describedby="teams-hint" {
                    legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { "Teams the practitioner belongs to" }
                    div class="nhsuk-hint" id="teams-hint" { "Select one or more." }
                    div class="nhsuk-checkboxes" {
                        @for (i, (id, name)) in teams.iter().enumerate() {
                            div class="nhsuk-checkboxes__item" {
                                input class="nhsuk-checkboxes__input" id={"team-" (i)} name="team" type="checkbox" value=(id);
                                label class="nhsuk-label nhsuk-checkboxes__label" for={"team-" (i)} { (name) }
                            }
                        }
                    }
                }
            }
            div class="nhsuk-form-group" {
                label class="nhsuk-label" for="practitioner" { "Existing practitioner id (optional)" }
                div class="nhsuk-hint" id="practitioner-hint" { "For a second phone of the same person. Leave empty for a new practitioner." }
                input class="nhsuk-input" id="practitioner" name="practitioner" type="text" aria-describedby="practitioner-hint" autocomplete="off" spellcheck="false";
            }
            button class="nhsuk-button" type="submit" { "Issue code" }
        }
        h2 { "Codes issued" }
        @if list.is_empty() { p { "No code has been issued." } }
        @else {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption nhsuk-table__caption--s" { (list.len()) " codes, newest first" }
                thead class="nhsuk-table__head" {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="col" { "Code id" }
                        th class="nhsuk-table__header" scope="col" { "Practitioner" }
                        th class="nhsuk-table__header" scope="col" { "Teams" }
                        th class="nhsuk-table__header" scope="col" { "Issued" }
                        th class="nhsuk-table__header" scope="col" { "Expires" }
                        th class="nhsuk-table__header" scope="col" { "State" }
                    }
                }
                tbody class="nhsuk-table__body" {
                    @for c in list {
                        tr class="nhsuk-table__row" {
                            td class="nhsuk-table__cell" { code { (c.code_id) } }
                            td class="nhsuk-table__cell" { code { (c.practitioner) } }
                            td class="nhsuk-table__cell" { (c.teams) }
                            td class="nhsuk-table__cell" { (london(c.issued_at)) }
                            td class="nhsuk-table__cell" { (london(c.expires_at)) }
                            td class="nhsuk-table__cell" {
                                @if c.status == "active" {
                                    strong class="nhsuk-tag nhsuk-tag--green" { "active" }
                                    form method="post" action={"/console/codes/" (c.code_id) "/revoke"} {
                                        input type="hidden" name="csrf" value=(session.csrf_token());
                                        button class="nhsuk-button nhsuk-button--warning nhsuk-button--small" type="submit" {
                                            "Revoke" span class="nhsuk-u-visually-hidden" { " code " (c.code_id) }
                                        }
                                    }
                                } @else {
                                    strong class="nhsuk-tag nhsuk-tag--grey" { (c.status) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One line of a refused import.
pub struct ImportProblem {
    /// Line number (0 = the whole file).
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// A directory row to show: (organisation, team, service, numbers, hours, open now).
pub struct DirectoryRow {
    /// Organisation name.
    pub organisation: String,
    /// Team name.
    pub team: String,
    /// Numbers in words.
    pub numbers: String,
    /// Hours in words.
    pub hours: String,
    /// Whether the team answers now.
    pub open_now: bool,
}

/// The directory page.
pub fn directory(
    session: &Session,
    version: Option<(u64, DateTime<Utc>, String)>,
    rows: &[DirectoryRow],
    problems: &[ImportProblem],
    pending: Option<(&str, u64, usize, usize)>,
    notice: Option<&str>,
) -> Markup {
    html! {
        @if !problems.is_empty() {
            div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" {
                h2 class="nhsuk-error-summary__title" id="error-summary-title" { "The file was not imported" }
                div class="nhsuk-error-summary__body" {
                    p { "Nothing was stored. Correct these lines and import the file again." }
                    ul class="nhsuk-list nhsuk-error-summary__list" id="import-problems" {
                        @for p in problems {
                            li {
                                @if p.line == 0 { "Whole file: " } @else { "Line " (p.line) ": " }
                                (p.reason)
                            }
                        }
                    }
                }
            }
        }
        @if let Some(text) = notice {
            div class="nhsuk-inset-text" id="notice" {
                span class="nhsuk-u-visually-hidden" { "Information: " }
                p { (text) }
            }
        }
        h1 { "Directory" }
        @if let Some((v, at, region)) = &version {
            p class="nhsuk-lede-text" { (region) ": version " (v) ", published " (london(*at)) "." }
        } @else {
            p { "No directory has been published yet." }
        }
        @if let Some((draft, v, orgs, teams)) = pending {
            div class="nhsuk-card" {
                div class="nhsuk-card__content" {
                    h2 class="nhsuk-card__heading" { "Ready to publish version " (v) }
                    p { "The file is valid: " (orgs) " organisations and " (teams) " teams. Publishing sends it to every phone at its next sync." }
                    form method="post" action="/console/directory/publish" {
                        input type="hidden" name="csrf" value=(session.csrf_token());
                        input type="hidden" name="draft" value=(draft);
                        button class="nhsuk-button" type="submit" { "Publish version " (v) }
                    }
                }
            }
        }
        h2 { "Import a new version" }
        form method="post" action="/console/directory/import" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(session.csrf_token());
            div class="nhsuk-form-group" {
                label class="nhsuk-label" for="file" { "Directory file (JSON Lines)" }
                div class="nhsuk-hint" id="file-hint" { "The format is in docs/directory-format.md. The whole file is checked; nothing is stored unless every line is right." }
                input class="nhsuk-file-upload" id="file" name="file" type="file" accept=".jsonl,.json,application/json" aria-describedby="file-hint";
            }
            button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Check file" }
        }
        h2 { "Organisations and teams" }
        @if !rows.is_empty() {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption nhsuk-table__caption--s" { (rows.len()) " teams" }
                thead class="nhsuk-table__head" {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="col" { "Organisation" }
                        th class="nhsuk-table__header" scope="col" { "Team" }
                        th class="nhsuk-table__header" scope="col" { "Numbers" }
                        th class="nhsuk-table__header" scope="col" { "Hours" }
                        th class="nhsuk-table__header" scope="col" { "Now" }
                    }
                }
                tbody class="nhsuk-table__body" {
                    @for r in rows {
                        tr class="nhsuk-table__row" {
                            td class="nhsuk-table__cell" { (r.organisation) }
                            td class="nhsuk-table__cell" { (r.team) }
                            td class="nhsuk-table__cell" { (r.numbers) }
                            td class="nhsuk-table__cell" { (r.hours) }
                            td class="nhsuk-table__cell" {
                                @if r.open_now { strong class="nhsuk-tag nhsuk-tag--green" { "Open" } }
                                @else { strong class="nhsuk-tag nhsuk-tag--grey" { "Closed" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The audit page.
pub fn audit(rows: &[AuditRow]) -> Markup {
    html! {
        h1 { "Audit" }
        p { "Every action and sign-in in this console and every admin command (Who is \"cli\"), newest first (the latest 200)." }
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption nhsuk-table__caption--s" { "Admin audit" }
            thead class="nhsuk-table__head" {
                tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="col" { "When" }
                    th class="nhsuk-table__header" scope="col" { "Who" }
                    th class="nhsuk-table__header" scope="col" { "Action" }
                    th class="nhsuk-table__header" scope="col" { "Object" }
                }
            }
            tbody class="nhsuk-table__body" {
                @for r in rows {
                    tr class="nhsuk-table__row" {
                        td class="nhsuk-table__cell" { (london(r.at)) }
                        td class="nhsuk-table__cell" { (r.actor) }
                        td class="nhsuk-table__cell" { (r.action) }
                        td class="nhsuk-table__cell" { (r.object) }
                    }
                }
            }
        }
    }
}
