//! OpenID Connect sign-in (authorisation code with PKCE), the way a Trust connects NHS CIS2 or
//! its Entra ID, using the `openidconnect` crate for discovery, the code exchange and ID-token
//! verification (signature, issuer, audience, expiry, nonce).
//!
//! Invariants: a flow in flight (state, PKCE verifier, nonce) is kept server-side for at most
//! [`FLOW_TTL`] and used once; the callback needs the browser's flow cookie *and* the matching
//! `state`; roles come only from the named claim of a verified ID token (the claim is read
//! from the same token bytes the crate verified), and a token with no known role makes no
//! session. Only the subject (`sub`) is kept, as the audit's actor. The HTTP client follows
//! no redirects (the crate's advice against SSRF).

use super::auth::Role;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use safeshare_core::json_fault::JsonFault;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// How long a sign-in may take at the provider.
pub const FLOW_TTL: Duration = Duration::minutes(10);
/// Flows held in flight at once, from every client together: each start keeps a few hundred
/// bytes for [`FLOW_TTL`], so beyond this a start is refused ([`OidcError::Busy`]) rather than
/// letting clients from many addresses grow the server's memory without bound.
pub const MAX_FLOWS: usize = 10_000;
/// The cookie naming a flow in flight.
pub const FLOW_COOKIE: &str = "safeshare_console_oidc";

/// What the operator configures.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The provider's issuer URL (discovery is at `/.well-known/openid-configuration`).
    pub issuer: String,
    /// This console's client id there.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: String,
    /// The public URL of `/console/oidc/callback`.
    pub redirect: String,
    /// The claim holding role names (a string or an array of strings).
    pub role_claim: String,
}

/// Why OpenID Connect sign-in failed. Messages carry no token and never the client secret; a
/// configuration fault names the flag to fix and keeps its cause as its source.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The HTTP client for the provider could not be built (this machine's TLS set-up).
    #[error(
        "OpenID Connect: cannot build the HTTP client for the provider ({0}): check this \
         machine's TLS roots"
    )]
    HttpClient(#[source] openidconnect::reqwest::Error),
    /// A configured URL is not a URL. The parser's message names the fault, not the URL.
    #[error(
        "OpenID Connect configuration: {flag} is not a valid URL ({source}): set it to the \
         full https URL"
    )]
    Config {
        /// The flag whose value is at fault (`--oidc-issuer` or `--oidc-redirect`).
        flag: &'static str,
        /// Why it is not a URL.
        #[source]
        source: openidconnect::url::ParseError,
    },
    /// Discovery failed (provider unreachable or its metadata unusable).
    #[error(
        "OpenID Connect discovery at --oidc-issuer failed ({source}): check the issuer URL and \
         that this server can reach the provider"
    )]
    Discovery {
        /// What failed: the request, or the metadata the provider returned.
        #[source]
        source: Box<DiscoveryFault>,
    },
    /// No flow in flight matches (cookie missing, expired, replayed or `state` differs).
    #[error("no matching sign-in in progress")]
    NoFlow,
    /// The provider's answer was refused (exchange failed or the ID token did not verify).
    #[error("the provider's answer was refused: {0}")]
    Refused(#[source] Refusal),
    /// The token carried no console role.
    #[error("no console role in the token")]
    NoRole,
    /// [`MAX_FLOWS`] sign-ins are already in flight.
    #[error("too many sign-ins in progress")]
    Busy,
}

/// Characters of the provider's own text (an error code or description) kept in a
/// [`Refusal`]; the rest is cut.
pub const PROVIDER_TEXT_LIMIT: usize = 200;

/// Why the provider's answer was refused. Each keeps its typed cause where the library gives
/// one; what the provider itself wrote is untrusted, so it is kept only as [`untrusted`] text
/// (bounded, no control characters, this flow's secrets and the client secret cut out), and
/// the token response's body is never kept (it can hold tokens).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The client has no token endpoint to exchange the code at (discovery named none).
    #[error("{0}")]
    NoTokenEndpoint(#[source] openidconnect::ConfigurationError),
    /// The provider answered the code exchange with an OAuth error.
    #[error("the provider answered {code}{}", .description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Provider {
        /// Its error code (`invalid_grant`, ...), as [`untrusted`] text.
        code: String,
        /// Its description, if any, as [`untrusted`] text.
        description: Option<String>,
    },
    /// The token request did not complete (connection, TLS, HTTP).
    #[error("the token request failed: {0}")]
    Request(#[source] openidconnect::HttpClientError<openidconnect::reqwest::Error>),
    /// The token answer is not a token response. Serde's category and position and the path
    /// of the field it failed at only: serde's message quotes the value it read, here a token.
    #[error("the token answer could not be read at {path} ({fault})")]
    Unreadable {
        /// Where in the answer (field names, as [`untrusted`] text).
        path: String,
        /// What serde found wrong.
        #[source]
        fault: JsonFault,
    },
    /// Another refusal by the OAuth library (e.g. an unexpected content type), its words kept
    /// as [`untrusted`] text (they can quote the provider's answer).
    #[error("{0}")]
    Exchange(String),
    /// The answer carried no ID token.
    #[error("no ID token")]
    NoIdToken,
    /// The ID token did not verify (signature, issuer, audience, expiry or nonce).
    #[error("{0}")]
    IdToken(#[source] openidconnect::ClaimsVerificationError),
    /// The verified ID token's payload could not be read for the role claim.
    #[error("malformed ID token")]
    MalformedIdToken,
}

/// The error `request_async` gives for a code exchange.
pub type ExchangeFault = openidconnect::RequestTokenError<
    openidconnect::HttpClientError<openidconnect::reqwest::Error>,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
>;

impl Refusal {
    /// The code exchange's failure, reduced when caught: the provider's text made
    /// [`untrusted`] with `secrets` cut out, the answer's body dropped.
    pub fn of_exchange(err: ExchangeFault, secrets: &[&str]) -> Self {
        match err {
            openidconnect::RequestTokenError::ServerResponse(answer) => Refusal::Provider {
                code: untrusted(answer.error().as_ref(), secrets),
                description: answer.error_description().map(|d| untrusted(d, secrets)),
            },
            openidconnect::RequestTokenError::Request(err) => Refusal::Request(err),
            openidconnect::RequestTokenError::Parse(err, _body) => Refusal::Unreadable {
                path: untrusted(&err.path().to_string(), secrets),
                fault: JsonFault::from(err.into_inner()),
            },
            openidconnect::RequestTokenError::Other(text) => {
                Refusal::Exchange(untrusted(&text, secrets))
            }
        }
    }
}

/// Text the provider wrote, made safe to show and log: each of `secrets` (non-empty ones)
/// replaced by `[redacted]`, control characters by spaces (no forged log lines), and cut to
/// [`PROVIDER_TEXT_LIMIT`] characters. Secrets are cut before the length, so none is left
/// half-shown at the cut.
pub fn untrusted(text: &str, secrets: &[&str]) -> String {
    let mut clean = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        clean = clean.replace(secret, "[redacted]");
    }
    let mut out: String = clean
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(PROVIDER_TEXT_LIMIT)
        .collect();
    if clean.chars().count() > PROVIDER_TEXT_LIMIT {
        out.push('…');
    }
    out
}

/// Discovery's own error over the crate's reqwest client.
pub type DiscoveryFault =
    openidconnect::DiscoveryError<openidconnect::HttpClientError<openidconnect::reqwest::Error>>;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

struct Flow {
    state: String,
    verifier: PkceCodeVerifier,
    nonce: Nonce,
    started: DateTime<Utc>,
}

/// The flows in flight, by key and in order of start. The order makes expiry cheap: the
/// expired flows are exactly the earliest started, so a start drops them from the front
/// instead of walking every flow held (which, under the lock, made each start cost
/// O([`MAX_FLOWS`]), paid by unauthenticated clients too). Invariant: `by_start` holds
/// `(started, key)` for exactly the flows in `by_key`.
#[derive(Default)]
struct Flows {
    by_key: HashMap<String, Flow>,
    by_start: BTreeSet<(DateTime<Utc>, String)>,
}

impl Flows {
    fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Drops every flow started [`FLOW_TTL`] or more before `now` (the same test as
    /// [`Oidc::finish`]'s, so a flow is never kept that could no longer finish).
    fn drop_expired(&mut self, now: DateTime<Utc>) {
        while let Some((started, _)) = self.by_start.first() {
            if now - *started < FLOW_TTL {
                break;
            }
            if let Some((_, key)) = self.by_start.pop_first() {
                self.by_key.remove(&key);
            }
        }
    }

    /// Keeps `flow` under `key`, in place of any flow already there.
    fn insert(&mut self, key: String, flow: Flow) {
        self.remove(&key);
        self.by_start.insert((flow.started, key.clone()));
        self.by_key.insert(key, flow);
    }

    /// Takes the flow under `key` out, if there is one.
    fn remove(&mut self, key: &str) -> Option<Flow> {
        let flow = self.by_key.remove(key)?;
        self.by_start.remove(&(flow.started, key.to_owned()));
        Some(flow)
    }
}

/// A configured provider and the flows in flight.
pub struct Oidc {
    client: Client,
    /// Kept only to cut it out of anything the provider writes back ([`untrusted`]).
    client_secret: ClientSecret,
    http: openidconnect::reqwest::Client,
    role_claim: String,
    flows: Mutex<Flows>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("role_claim", &self.role_claim)
            .finish()
    }
}

/// A verified sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The provider's subject id.
    pub subject: String,
    /// Console roles from the claim.
    pub roles: BTreeSet<Role>,
}

impl Oidc {
    /// Discovers the provider and builds the client.
    pub async fn discover(settings: OidcSettings) -> Result<Self, OidcError> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .build()
            .map_err(OidcError::HttpClient)?;
        let config = |flag| move |source| OidcError::Config { flag, source };
        let issuer = IssuerUrl::new(settings.issuer).map_err(config("--oidc-issuer"))?;
        // Both URLs are checked before the provider is asked anything.
        let redirect = RedirectUrl::new(settings.redirect).map_err(config("--oidc-redirect"))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|e| OidcError::Discovery {
                source: Box::new(e),
            })?;
        let client_secret = ClientSecret::new(settings.client_secret);
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id),
            Some(client_secret.clone()),
        )
        .set_redirect_uri(redirect);
        Ok(Self {
            client,
            client_secret,
            http,
            role_claim: settings.role_claim,
            flows: Mutex::new(Flows::default()),
        })
    }

    /// Sign-ins started and neither finished nor expired (expired ones are dropped at the next
    /// start).
    pub fn flows_in_flight(&self) -> usize {
        self.flows.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Starts a flow: the provider URL to send the browser to, remembered under `flow_key`
    /// (the value of the flow cookie); [`OidcError::Busy`] when [`MAX_FLOWS`] are in flight.
    pub fn start(&self, flow_key: String, now: DateTime<Utc>) -> Result<String, OidcError> {
        let mut flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
        flows.drop_expired(now);
        if flows.len() >= MAX_FLOWS {
            return Err(OidcError::Busy);
        }
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = self
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("openid".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        flows.insert(
            flow_key,
            Flow {
                state: state.secret().clone(),
                verifier,
                nonce,
                started: now,
            },
        );
        Ok(url.to_string())
    }

    /// Finishes a flow: checks `state`, exchanges `code` with the PKCE verifier, verifies the
    /// ID token and reads the roles.
    pub async fn finish(
        &self,
        flow_key: &str,
        state: &str,
        code: String,
        now: DateTime<Utc>,
    ) -> Result<SignedIn, OidcError> {
        let flow = {
            let mut flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
            flows.remove(flow_key)
        };
        let flow = flow.ok_or(OidcError::NoFlow)?;
        // Compare digests, so the comparison's timing says nothing about the secret.
        let state_ok = ring::digest::digest(&ring::digest::SHA256, flow.state.as_bytes()).as_ref()
            == ring::digest::digest(&ring::digest::SHA256, state.as_bytes()).as_ref();
        if !state_ok || now - flow.started >= FLOW_TTL {
            return Err(OidcError::NoFlow);
        }
        // What the provider might echo back and must never reach a log: this flow's code and
        // PKCE verifier, and the client secret.
        let verifier_text = flow.verifier.secret().clone();
        let code_text = code.clone();
        let secrets = [
            code_text.as_str(),
            verifier_text.as_str(),
            self.client_secret.secret().as_str(),
        ];
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Refused(Refusal::NoTokenEndpoint(e)))?
            .set_pkce_verifier(flow.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Refused(Refusal::of_exchange(e, &secrets)))?;
        let id_token = response
            .id_token()
            .ok_or(OidcError::Refused(Refusal::NoIdToken))?;
        let verifier = self.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &flow.nonce)
            .map_err(|e| OidcError::Refused(Refusal::IdToken(e)))?;
        let subject = claims.subject().as_str().to_owned();
        // The crate verified this exact compact token; read the role claim from its payload.
        let roles = roles_from_jwt(&id_token.to_string(), &self.role_claim)?;
        if roles.is_empty() {
            return Err(OidcError::NoRole);
        }
        Ok(SignedIn { subject, roles })
    }
}

/// Console roles named by `claim` in a JWT's payload (a string, a space-separated string, or
/// an array of strings); unknown values are ignored.
pub fn roles_from_jwt(jwt: &str, claim: &str) -> Result<BTreeSet<Role>, OidcError> {
    let payload = jwt
        .split('.')
        .nth(1)
        .ok_or(OidcError::Refused(Refusal::MalformedIdToken))?;
    // The crate verified these bytes, so a failure here is a crate disagreement, not an
    // attack: no cause worth keeping (serde's would quote the token's claims).
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| OidcError::Refused(Refusal::MalformedIdToken))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| OidcError::Refused(Refusal::MalformedIdToken))?;
    Ok(roles_from_claim(value.get(claim)))
}

/// Roles from a claim value.
pub fn roles_from_claim(value: Option<&serde_json::Value>) -> BTreeSet<Role> {
    match value {
        Some(serde_json::Value::String(s)) => {
            s.split_whitespace().filter_map(Role::parse).collect()
        }
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str())
            .filter_map(Role::parse)
            .collect(),
        _ => BTreeSet::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::error::Error as _;

    const CLIENT_SECRET: &str = "console-client-secret-never-shown";

    async fn refusal(issuer: &str, redirect: &str) -> OidcError {
        Oidc::discover(OidcSettings {
            issuer: issuer.to_owned(),
            client_id: "console".to_owned(),
            client_secret: CLIENT_SECRET.to_owned(),
            redirect: redirect.to_owned(),
            role_claim: "roles".to_owned(),
        })
        .await
        .expect_err("a provider that cannot be used is refused")
    }

    /// Every message in the error's chain, Display and Debug.
    fn chain(err: &OidcError) -> Vec<String> {
        let mut texts = vec![err.to_string(), format!("{err:?}")];
        let mut cause = err.source();
        while let Some(c) = cause {
            texts.push(c.to_string());
            texts.push(format!("{c:?}"));
            cause = c.source();
        }
        texts
    }

    #[tokio::test]
    async fn a_url_that_is_not_one_names_its_flag_keeps_its_cause_and_never_the_secret() {
        let good = "https://console.example.nhs.uk/console/oidc/callback";
        for (issuer, redirect, wrong) in [
            ("not a url", good, "--oidc-issuer"),
            (
                "https://idp.example.nhs.uk",
                "no url here",
                "--oidc-redirect",
            ),
        ] {
            let err = refusal(issuer, redirect).await;
            assert!(
                matches!(&err, OidcError::Config { flag, .. } if *flag == wrong),
                "{err:?}"
            );
            assert!(err.to_string().contains(wrong), "{err}");
            let cause = err.source().expect("the parse error is the source");
            assert!(cause
                .downcast_ref::<openidconnect::url::ParseError>()
                .is_some());
            for text in chain(&err) {
                assert!(!text.contains(CLIENT_SECRET), "secret echoed: {text}");
            }
        }
    }

    #[tokio::test]
    async fn an_unreachable_provider_says_what_to_check_and_keeps_the_request_error() {
        // A port nothing listens on: bound, then released.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let err = refusal(
            &format!("http://127.0.0.1:{port}"),
            "https://console.example.nhs.uk/console/oidc/callback",
        )
        .await;
        assert!(matches!(err, OidcError::Discovery { .. }), "{err:?}");
        assert!(err.to_string().contains("--oidc-issuer"), "{err}");
        let cause = err.source().expect("discovery's error is the source");
        assert!(
            cause.source().is_some(),
            "the request's own error is kept below it"
        );
        for text in chain(&err) {
            assert!(!text.contains(CLIENT_SECRET), "secret echoed: {text}");
        }
    }

    #[test]
    fn roles_come_from_a_string_or_an_array_and_unknown_values_are_ignored() {
        assert_eq!(
            roles_from_claim(Some(&json!(["assurance", "superuser", "device_admin"]))),
            BTreeSet::from([Role::Assurance, Role::DeviceAdmin])
        );
        assert_eq!(
            roles_from_claim(Some(&json!("directory_editor"))),
            BTreeSet::from([Role::DirectoryEditor])
        );
        assert!(roles_from_claim(Some(&json!(42))).is_empty());
        assert!(roles_from_claim(None).is_empty());
    }

    #[test]
    fn a_providers_error_is_kept_typed_bounded_and_without_any_secret() {
        let code = "one-time-code-from-the-browser";
        let long_tail = "x".repeat(5 * PROVIDER_TEXT_LIMIT);
        let answer = openidconnect::StandardErrorResponse::new(
            openidconnect::core::CoreErrorResponseType::InvalidGrant,
            Some(format!(
                "code {code} rejected for client secret {CLIENT_SECRET}\nFORGED LOG LINE {long_tail}"
            )),
            None,
        );
        let err = OidcError::Refused(Refusal::of_exchange(
            openidconnect::RequestTokenError::ServerResponse(answer),
            &[code, "", CLIENT_SECRET],
        ));
        let Some(Refusal::Provider {
            code: kept,
            description: Some(description),
        }) = err.source().and_then(|s| s.downcast_ref::<Refusal>())
        else {
            panic!("the provider's refusal is the source: {err:?}");
        };
        assert_eq!(kept, "invalid_grant");
        assert!(
            description.starts_with("code [redacted] rejected for client secret [redacted] FORGED"),
            "{description}"
        );
        assert!(
            description.chars().count() <= PROVIDER_TEXT_LIMIT + 1,
            "{description}"
        );
        for text in chain(&err) {
            assert!(!text.contains(CLIENT_SECRET), "secret echoed: {text}");
            assert!(!text.contains(code), "code echoed: {text}");
            assert!(!text.contains('\n'), "a line break reached the log: {text}");
        }
        assert!(
            err.to_string().starts_with(
                "the provider's answer was refused: the provider answered invalid_grant: "
            ),
            "{err}"
        );
    }

    #[test]
    fn untrusted_text_is_cut_after_its_secrets_are() {
        // A secret across the cut is redacted whole, not left half-shown.
        let text = format!("{}{CLIENT_SECRET}", "a".repeat(PROVIDER_TEXT_LIMIT - 5));
        let clean = untrusted(&text, &[CLIENT_SECRET]);
        assert!(!clean.contains("console-"), "{clean}");
        assert!(clean.ends_with('…'), "{clean}");
        assert_eq!(untrusted("short\tplain", &[]), "short plain");
    }

    /// Text of exactly [`PROVIDER_TEXT_LIMIT`] characters is kept whole, with no mark of a
    /// cut; one character more is cut to the limit and marked.
    #[test]
    fn untrusted_text_at_the_limit_is_kept_whole_and_one_more_is_cut_and_marked() {
        let at_limit = "é".repeat(PROVIDER_TEXT_LIMIT);
        assert_eq!(untrusted(&at_limit, &[]), at_limit);
        let over = format!("{at_limit}z");
        assert_eq!(untrusted(&over, &[]), format!("{at_limit}…"));
    }

    #[test]
    fn a_malformed_id_token_is_a_typed_refusal() {
        assert!(matches!(
            roles_from_jwt("nodots", "roles"),
            Err(OidcError::Refused(Refusal::MalformedIdToken))
        ));
        assert!(matches!(
            roles_from_jwt("e30.!!!.sig", "roles"),
            Err(OidcError::Refused(Refusal::MalformedIdToken))
        ));
    }

    fn flow_started(started: DateTime<Utc>) -> Flow {
        Flow {
            state: "state".to_owned(),
            verifier: PkceCodeVerifier::new("verifier".to_owned()),
            nonce: Nonce::new("nonce".to_owned()),
            started,
        }
    }

    /// The keys held, sorted, after checking that the order of start holds exactly them.
    fn held(flows: &Flows) -> Vec<String> {
        let mut by_key: Vec<String> = flows.by_key.keys().cloned().collect();
        by_key.sort();
        let mut by_start: Vec<String> = flows.by_start.iter().map(|(_, k)| k.clone()).collect();
        by_start.sort();
        assert_eq!(
            by_key, by_start,
            "the order of start and the flows disagree"
        );
        for (started, key) in &flows.by_start {
            assert_eq!(flows.by_key[key].started, *started, "{key}");
        }
        by_key
    }

    fn at(minutes: i64, millis: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_774_627_200, 0).expect("a valid instant")
            + Duration::minutes(minutes)
            + Duration::milliseconds(millis)
    }

    /// A flow is dropped at the very instant it is [`FLOW_TTL`] old (when [`Oidc::finish`]
    /// would refuse it), not a millisecond before.
    #[test]
    fn a_flow_is_dropped_exactly_at_its_time_to_live() {
        let mut flows = Flows::default();
        flows.insert("first".to_owned(), flow_started(at(0, 0)));
        flows.insert("second".to_owned(), flow_started(at(0, 1)));
        flows.drop_expired(at(0, 0) + FLOW_TTL - Duration::milliseconds(1));
        assert_eq!(held(&flows), ["first", "second"]);
        flows.drop_expired(at(0, 0) + FLOW_TTL);
        assert_eq!(held(&flows), ["second"]);
        flows.drop_expired(at(0, 1) + FLOW_TTL);
        assert!(held(&flows).is_empty());
        assert_eq!(flows.len(), 0);
    }

    /// Expiry goes by when a flow started, not when it was stored (the clock can step back),
    /// and a flow replaced under its key or taken out leaves no trace in the order.
    #[test]
    fn expiry_follows_the_start_time_and_replacing_or_taking_a_flow_leaves_nothing_behind() {
        let mut flows = Flows::default();
        flows.insert("later".to_owned(), flow_started(at(5, 0)));
        flows.insert("earlier".to_owned(), flow_started(at(0, 0)));
        flows.insert("taken".to_owned(), flow_started(at(1, 0)));
        assert_eq!(flows.len(), 3);
        flows.drop_expired(at(0, 0) + FLOW_TTL);
        assert_eq!(held(&flows), ["later", "taken"]);
        assert_eq!(flows.remove("taken").map(|f| f.started), Some(at(1, 0)));
        assert!(flows.remove("taken").is_none());
        assert_eq!(held(&flows), ["later"]);
        // Started again under the same key: only the new start counts.
        flows.insert("later".to_owned(), flow_started(at(6, 0)));
        assert_eq!(flows.len(), 1);
        flows.drop_expired(at(5, 0) + FLOW_TTL);
        assert_eq!(held(&flows), ["later"]);
        flows.drop_expired(at(6, 0) + FLOW_TTL);
        assert!(held(&flows).is_empty());
    }

    #[test]
    fn roles_are_read_from_the_jwt_payload() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"x","roles":["assurance"]}"#);
        let jwt = format!("e30.{payload}.sig");
        assert_eq!(
            roles_from_jwt(&jwt, "roles").unwrap(),
            BTreeSet::from([Role::Assurance])
        );
        assert!(roles_from_jwt("nodots", "roles").is_err());
    }
}
