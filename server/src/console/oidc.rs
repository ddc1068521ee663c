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
    Refused(String),
    /// The token carried no console role.
    #[error("no console role in the token")]
    NoRole,
    /// [`MAX_FLOWS`] sign-ins are already in flight.
    #[error("too many sign-ins in progress")]
    Busy,
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

/// A configured provider and the flows in flight.
pub struct Oidc {
    client: Client,
    http: openidconnect::reqwest::Client,
    role_claim: String,
    flows: Mutex<HashMap<String, Flow>>,
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
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id),
            Some(ClientSecret::new(settings.client_secret)),
        )
        .set_redirect_uri(redirect);
        Ok(Self {
            client,
            http,
            role_claim: settings.role_claim,
            flows: Mutex::new(HashMap::new()),
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
        flows.retain(|_, f| now - f.started < FLOW_TTL);
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
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Refused(e.to_string()))?
            .set_pkce_verifier(flow.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Refused(e.to_string()))?;
        let id_token = response
            .id_token()
            .ok_or_else(|| OidcError::Refused("no ID token".into()))?;
        let verifier = self.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &flow.nonce)
            .map_err(|e| OidcError::Refused(e.to_string()))?;
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
        .ok_or_else(|| OidcError::Refused("malformed ID token".into()))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| OidcError::Refused("malformed ID token".into()))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| OidcError::Refused("malformed ID token".into()))?;
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
