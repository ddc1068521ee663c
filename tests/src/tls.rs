//! Test certificate authorities made in the test (rcgen, ring): a region CA, server
//! certificates it issues (valid, expired, for another name), and a CA of another region.
//!
//! Used by the TLS tests and by `bindings/tests/run-kotlin` (through the `testca` binary) so
//! the phone's pinned trust is exercised against a real rustls server on 127.0.0.1.

use rcgen::{date_time_ymd, BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::path::{Path, PathBuf};

/// A certificate authority that can issue server certificates.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
}

/// A server certificate and its key, as PEM files written to disk.
#[derive(Debug, Clone)]
pub struct ServerCertFiles {
    /// The certificate chain (PEM).
    pub cert: PathBuf,
    /// The private key (PKCS#8 PEM).
    pub key: PathBuf,
}

impl TestCa {
    /// A new CA named `name`.
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().expect("CA key");
        let cert = params.self_signed(&key).expect("self-signed CA");
        Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// The CA certificate (PEM): what a phone pins.
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// Issues a server certificate for `names`, valid now (or expired since 2021 when
    /// `expired`), and writes it and its key as `<stem>.pem` and `<stem>.key` under `dir`.
    pub fn issue(&self, dir: &Path, stem: &str, names: &[&str], expired: bool) -> ServerCertFiles {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names).expect("server params");
        params
            .distinguished_name
            .push(DnType::CommonName, "safeshare test server");
        if expired {
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().expect("server key");
        let cert = params.signed_by(&key, &self.issuer).expect("issue");
        let files = ServerCertFiles {
            cert: dir.join(format!("{stem}.pem")),
            key: dir.join(format!("{stem}.key")),
        };
        std::fs::write(&files.cert, cert.pem()).expect("write certificate");
        std::fs::write(&files.key, key.serialize_pem()).expect("write key");
        files
    }
}
