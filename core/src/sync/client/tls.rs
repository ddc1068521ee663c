//! Which server the phone will talk to, and over what: region trust pinning (MASVS-NETWORK-2).
//!
//! A phone only ever talks to its own region's sync server, often behind a Trust's own
//! certificate authority, so it trusts exactly the certificate authorities the app's
//! configuration supplies ([`ServerTrust`]) and never the public web PKI: the reqwest client is
//! built with rustls (ring provider, TLS 1.2 and 1.3) and *no* built-in roots (the crate is
//! compiled with `rustls-tls-manual-roots`, so none exist to be switched on by mistake).
//! Invariants and why:
//! - `https://` needs at least one pinned certificate authority: with none, [`client_for`]
//!   refuses with [`SyncError::NoRegionTrust`] rather than trusting anything.
//! - `http://` is allowed only to a loopback address (tests and the `--demo` server on the
//!   same machine); anything else is [`SyncError::InsecureServerUrl`]. Personal data never
//!   crosses a network in clear.
//! - Redirects are never followed: the protocol has none, and following one could carry a
//!   signed request to another host or down to `http://`.
//! - A certificate the pinned authority did not issue, an expired one or one for another host
//!   name is a typed [`TlsRefusal`] the sync screen can show ([`classify`]), not a generic
//!   network error: it will not pass by retrying.
//!
//! The trust is checked at enrolment (the first request the device makes) and on every
//! request after; docs/operations.md says how a Trust with its own CA configures it.

use super::error::{ServerUrlProblem, SyncError};
use std::net::IpAddr;

/// The certificate authorities (PEM, one or more `CERTIFICATE` blocks) that issue the region
/// server's TLS certificate; the only anchors the phone trusts. Typically the Trust's or the
/// region's own CA; a self-signed server certificate may be pinned the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerTrust {
    /// PEM text of the pinned certificates; empty means none (only loopback `http://` works).
    pub region_ca_pem: String,
}

impl ServerTrust {
    /// Trust exactly the certificates in `pem` (PEM text).
    pub fn region_ca(pem: impl Into<String>) -> Self {
        Self {
            region_ca_pem: pem.into(),
        }
    }
}

/// Why a server's certificate was refused (shown on the sync screen; none is transient).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsRefusal {
    /// The certificate was not issued by the region's pinned certificate authority.
    UnknownIssuer,
    /// The certificate has expired (or is not valid yet): check the server's certificate and
    /// the phone's date.
    Expired,
    /// The certificate is valid but for another host name than the server's address.
    WrongHostName,
    /// Any other certificate fault (revoked, bad signature, wrong usage, unsupported).
    BadCertificate,
}

impl TlsRefusal {
    /// A short stable name (status screen, logs).
    pub fn code(self) -> &'static str {
        match self {
            TlsRefusal::UnknownIssuer => "unknown_issuer",
            TlsRefusal::Expired => "expired",
            TlsRefusal::WrongHostName => "wrong_host_name",
            TlsRefusal::BadCertificate => "bad_certificate",
        }
    }
}

impl std::fmt::Display for TlsRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TlsRefusal::UnknownIssuer => {
                "its certificate was not issued by the region's certificate authority"
            }
            TlsRefusal::Expired => "its certificate has expired or is not valid yet",
            TlsRefusal::WrongHostName => "its certificate is for another server name",
            TlsRefusal::BadCertificate => "its certificate is not acceptable",
        })
    }
}

/// The blocking HTTP client for `base_url`, trusting only `trust` (see the module docs).
///
/// Errors: [`SyncError::InsecureServerUrl`] for a URL that is not `https://`, or `http://` to
/// loopback, or does not parse; [`SyncError::NoRegionTrust`] for `https://` with no pinned
/// certificate or PEM that holds none; [`SyncError::Network`] if the client cannot be built.
pub(crate) fn client_for(
    base_url: &str,
    trust: &ServerTrust,
    timeout: std::time::Duration,
) -> Result<reqwest::blocking::Client, SyncError> {
    let url = reqwest::Url::parse(base_url)
        .map_err(|err| SyncError::InsecureServerUrl(ServerUrlProblem::NotAUrl(err)))?;
    let builder = reqwest::blocking::Client::builder()
        .connect_timeout(timeout)
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .tls_built_in_root_certs(false)
        .min_tls_version(reqwest::tls::Version::TLS_1_2);
    let builder = match url.scheme() {
        "http" if is_loopback(&url) => builder,
        "http" => return Err(SyncError::InsecureServerUrl(ServerUrlProblem::PlainHttp)),
        "https" => {
            let anchors = reqwest::Certificate::from_pem_bundle(trust.region_ca_pem.as_bytes())
                .map_err(|_| SyncError::NoRegionTrust)?;
            if anchors.is_empty() {
                return Err(SyncError::NoRegionTrust);
            }
            anchors
                .into_iter()
                .fold(builder.https_only(true), |b, cert| {
                    b.add_root_certificate(cert)
                })
        }
        other => {
            return Err(SyncError::InsecureServerUrl(ServerUrlProblem::Scheme(
                other.to_owned(),
            )))
        }
    };
    builder.build().map_err(SyncError::Network)
}

/// Whether the URL's host is this device: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The certificate refusal inside a failed request, if that is why it failed. rustls reports
/// it as a `rustls::Error` inside `io::Error`s (nested) somewhere in reqwest's source chain;
/// an `io::Error`'s `source()` skips its own payload, so the payload is followed explicitly.
pub(crate) fn classify(err: &reqwest::Error) -> Option<TlsRefusal> {
    use rustls::{CertificateError, Error as TlsError};
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = next {
        if let Some(TlsError::InvalidCertificate(cert)) = current.downcast_ref::<TlsError>() {
            return Some(match cert {
                CertificateError::UnknownIssuer => TlsRefusal::UnknownIssuer,
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. } => TlsRefusal::Expired,
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => TlsRefusal::WrongHostName,
                _ => TlsRefusal::BadCertificate,
            });
        }
        next = match current.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const T: Duration = Duration::from_secs(5);

    #[test]
    fn plain_http_is_allowed_only_to_loopback() {
        let none = ServerTrust::default();
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://localhost:1",
            "http://LOCALHOST",
            "http://[::1]:8080/",
        ] {
            assert!(client_for(ok, &none, T).is_ok(), "{ok} should be allowed");
        }
        for refused in [
            "http://10.0.0.1",
            "http://sync.example.nhs.uk",
            "http://localhost.example.com",
            "http://128.0.0.1",
            "http://[::2]",
            "ftp://127.0.0.1",
            "not a url",
        ] {
            assert!(
                matches!(
                    client_for(refused, &none, T),
                    Err(SyncError::InsecureServerUrl(_))
                ),
                "{refused} should be refused"
            );
        }
    }

    #[test]
    fn an_address_that_is_not_a_url_keeps_the_parsers_error_and_its_words() {
        let Err(err) = client_for("not a url", &ServerTrust::region_ca(""), T) else {
            panic!("refused");
        };
        let problem = std::error::Error::source(&err)
            .and_then(|e| e.downcast_ref::<ServerUrlProblem>())
            .expect("the problem is the source");
        assert!(
            matches!(problem, ServerUrlProblem::NotAUrl(_)),
            "{problem:?}"
        );
        assert!(std::error::Error::source(problem)
            .and_then(|e| e.downcast_ref::<url::ParseError>())
            .is_some());
        assert_eq!(
            err.to_string(),
            "the server address is not allowed: not a URL (relative URL without a base)"
        );
        let Err(err) = client_for("ftp://127.0.0.1", &ServerTrust::region_ca(""), T) else {
            panic!("refused");
        };
        assert_eq!(
            err.to_string(),
            "the server address is not allowed: unsupported scheme ftp://; use https://"
        );
    }

    #[test]
    fn https_without_a_pinned_authority_is_refused() {
        for pem in [
            "",
            "not pem",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ] {
            assert!(matches!(
                client_for(
                    "https://sync.example.nhs.uk",
                    &ServerTrust::region_ca(pem),
                    T
                ),
                Err(SyncError::NoRegionTrust)
            ));
        }
    }
}
