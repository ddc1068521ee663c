//! Running the server: listen (plain or TLS), prune old nonces, shut down gracefully.
//!
//! Connections ([`ConnectionLimits`], each configurable): a client must send a request's
//! headers within the header-read timeout, and hyper starts the same timer while a kept-alive
//! connection waits for its next request, so an idle or trickling (slowloris) connection is
//! closed within that time; keep-alive can be turned off; at most `max_connections` are open at
//! once (a connection over the cap is closed at once, before anything is read); the whole
//! request is bounded by the request timeout in [`crate::http`]. Cleartext HTTP/2 (h2c) is
//! served only when configured; HTTP/2 over TLS is negotiated by ALPN as before.
//!
//! Graceful shutdown: on the signal the listener stops accepting, requests in flight run to
//! their end (a push is one transaction, so it either commits whole or not at all), then the
//! process exits. TLS uses rustls with the ring provider.

use crate::http::AppState;
use crate::storage::{nonce_cutoff, Store};
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How often remembered nonces older than the replay window are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// Connection-level limits; see the module docs. `Default` gives the documented defaults
/// (docs/operations.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// A request's headers (and, on a kept-alive connection, the wait for the next request)
    /// must arrive within this. Default 10 s.
    pub header_read_timeout: Duration,
    /// Whether a connection may carry more than one request. Default true.
    pub keep_alive: bool,
    /// A request unanswered after this is abandoned with `408 timeout`. Default 30 s.
    pub request_timeout: Duration,
    /// Most connections open at once. Default 1024.
    pub max_connections: usize,
    /// Serve HTTP/2 over cleartext (prior knowledge) as well as HTTP/1.1. Default false.
    pub http2_cleartext: bool,
    /// Enrolment attempts one client address may make at once before being throttled.
    /// Default 10.
    pub enrol_burst: u32,
    /// Enrolment attempts per minute one client address regains after its burst. Default 6.
    pub enrol_per_minute: u32,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            keep_alive: true,
            request_timeout: crate::http::REQUEST_TIMEOUT,
            max_connections: 1024,
            http2_cleartext: false,
            enrol_burst: 10,
            enrol_per_minute: 6,
        }
    }
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The listening address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    /// The certificate chain file could not be read as PEM certificates.
    #[error(
        "TLS: cannot read the certificate chain {path} ({source}): point --tls-cert at a \
         readable PEM file holding the server's certificate and its chain"
    )]
    Certificate {
        /// The file named by `--tls-cert`.
        path: PathBuf,
        /// Why, as a category: never the file's content.
        #[source]
        source: PemFault,
    },
    /// The private key file could not be read as a PEM private key.
    #[error(
        "TLS: cannot read the private key {path} ({source}): point --tls-key at a readable PEM \
         file holding the key of the certificate in --tls-cert"
    )]
    Key {
        /// The file named by `--tls-key`.
        path: PathBuf,
        /// Why, as a category: never the file's content, which is the key.
        #[source]
        source: PemFault,
    },
    /// rustls refused the certificate and key together (the key is not the certificate's, or
    /// of a type it does not support). rustls's own message names the fault, never key bytes.
    #[error(
        "TLS: the certificate and private key cannot be used together ({0}): check that --tls-key \
         is the key of the certificate in --tls-cert and is RSA, ECDSA or Ed25519"
    )]
    Tls(#[source] rustls::Error),
}

/// Why a PEM file could not be read, as a category only. The PEM reader's own message can quote
/// a line of the file (an illegal section start, a missing end marker) and the file may be the
/// private key, so neither [`fmt::Display`] nor [`fmt::Debug`] shows more than the category; an
/// I/O failure keeps the `io::Error` (which names no content) as its source.
pub struct PemFault(rustls::pki_types::pem::Error);

impl PemFault {
    fn category(&self) -> &'static str {
        use rustls::pki_types::pem::Error;
        match &self.0 {
            Error::Io(_) => "the file could not be read",
            Error::NoItemsFound => "no PEM item of the expected type was found",
            Error::MissingSectionEnd { .. } => "a PEM section has no end line",
            Error::IllegalSectionStart { .. } => "a PEM section start line is malformed",
            Error::Base64Decode(_) => "a PEM section is not valid base64",
            Error::SectionTooLarge => "a PEM section is too large",
            // The enum is non-exhaustive: a fault a newer version adds is still only named.
            _ => "the file is not valid PEM",
        }
    }
}

impl fmt::Display for PemFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            rustls::pki_types::pem::Error::Io(e) => write!(f, "{}: {}", self.category(), e.kind()),
            _ => f.write_str(self.category()),
        }
    }
}

impl fmt::Debug for PemFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PemFault").field(&self.category()).finish()
    }
}

impl std::error::Error for PemFault {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            rustls::pki_types::pem::Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// Certificate chain and private key files (PEM) for HTTPS.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// Certificate chain, PEM.
    pub cert: PathBuf,
    /// Private key, PEM.
    pub key: PathBuf,
}

fn spawn_pruner<S: Store>(state: Arc<AppState<S>>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PRUNE_EVERY);
        loop {
            tick.tick().await;
            let cutoff = nonce_cutoff(state.clock.now());
            if let Err(err) = state.store.prune_nonces(cutoff).await {
                tracing::warn!(error = %err, "could not prune old nonces");
            }
        }
    })
}

/// Serves plain HTTP on `listener` with the default [`ConnectionLimits`] until `shutdown`
/// completes, then drains in-flight requests.
pub async fn serve<S: Store>(
    state: Arc<AppState<S>>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    serve_with(state, listener, ConnectionLimits::default(), shutdown).await
}

/// Serves plain HTTP on `listener` under `limits` until `shutdown` completes, then drains
/// in-flight requests (up to the request timeout).
pub async fn serve_with<S: Store>(
    state: Arc<AppState<S>>,
    listener: TcpListener,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = crate::http::router_with(Arc::clone(&state), &limits);
    serve_app(state, app, listener, limits, shutdown).await
}

/// [`serve_with`] serving `app`, a router the caller built over `state` with the same
/// `limits` — the sync routes with the console merged in
/// ([`crate::http::router_with_console`]) — so the connection cap, header-read and keep-alive
/// timeouts apply to every route on the listener.
pub async fn serve_app<S: Store>(
    state: Arc<AppState<S>>,
    app: axum::Router,
    listener: TcpListener,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto;
    use tower::ServiceExt as _;

    let pruner = spawn_pruner(Arc::clone(&state));
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(limits.keep_alive);
    builder.http2().timer(TokioTimer::new());
    if !limits.http2_cleartext {
        builder = builder.http1_only();
    }
    let builder = Arc::new(builder);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    // Out of file descriptors and the like: back off rather than spin.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            tracing::warn!(%peer, max = limits.max_connections, "connection refused: at the cap");
            drop(stream);
            continue;
        };
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                app.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        let builder = Arc::clone(&builder);
        let conn = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(err) = conn.await {
                tracing::debug!(%peer, error = %err, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    pruner.abort();
    if tokio::time::timeout(limits.request_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running at the end of the shutdown grace period");
    }
    Ok(())
}

/// Serves HTTPS on `addr` until `shutdown` completes, then drains in-flight requests (up to
/// the request timeout).
pub async fn serve_tls<S: Store>(
    state: Arc<AppState<S>>,
    addr: SocketAddr,
    tls: TlsFiles,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = crate::http::router_with(Arc::clone(&state), &limits);
    serve_tls_app(state, app, addr, tls, limits, shutdown).await
}

/// [`serve_tls`] serving `app`, a router the caller built over `state` with the same `limits`
/// (see [`serve_app`]).
pub async fn serve_tls_app<S: Store>(
    state: Arc<AppState<S>>,
    app: axum::Router,
    addr: SocketAddr,
    tls: TlsFiles,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let config = tls_config(&tls)?;
    let pruner = spawn_pruner(Arc::clone(&state));
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(limits.request_timeout));
    });
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
    listener.set_nonblocking(true)?;
    let mut server = axum_server::from_tcp_rustls(listener, config)
        .handle(handle)
        .map(|tls| crate::conn_cap::CappedAcceptor::new(tls, limits.max_connections));
    server
        .http_builder()
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(limits.keep_alive);
    let result = server
        .serve(app.into_make_service_with_connect_info::<SocketAddr>())
        .await;
    pruner.abort();
    result?;
    Ok(())
}

fn tls_config(tls: &TlsFiles) -> Result<axum_server::tls_rustls::RustlsConfig, ServeError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certificate = |e| ServeError::Certificate {
        path: tls.cert.clone(),
        source: PemFault(e),
    };
    let certs = CertificateDer::pem_file_iter(&tls.cert)
        .map_err(certificate)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(certificate)?;
    let key = PrivateKeyDer::from_pem_file(&tls.key).map_err(|e| ServeError::Key {
        path: tls.key.clone(),
        source: PemFault(e),
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(ServeError::Tls)?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(ServeError::Tls)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(axum_server::tls_rustls::RustlsConfig::from_config(
        Arc::new(config),
    ))
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM. The handlers are installed when this is called,
/// not when the future is first polled, so a signal sent as soon as the server says it is
/// listening is never lost (it would otherwise kill the process with requests in flight).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {},
                        _ = int.recv() => {},
                    }
                }
                _ => {
                    tracing::warn!("could not install signal handlers; stop with SIGKILL");
                    std::future::pending::<()>().await;
                }
            }
            tracing::info!("shutdown requested: finishing requests in flight");
        }
    }
    #[cfg(not(unix))]
    {
        async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
            tracing::info!("shutdown requested: finishing requests in flight");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    /// What a key file might hold that must never reach an operator's terminal or a log.
    const SECRET: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secret";

    fn files(cert: Option<&str>, key: &str) -> (tempfile::TempDir, TlsFiles) {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = TlsFiles {
            cert: dir.path().join("cert.pem"),
            key: dir.path().join("key.pem"),
        };
        if let Some(cert) = cert {
            std::fs::write(&files.cert, cert).expect("cert written");
        }
        std::fs::write(&files.key, key).expect("key written");
        (dir, files)
    }

    fn refusal(files: &TlsFiles) -> ServeError {
        match tls_config(files) {
            Ok(_) => panic!("a broken certificate or key was accepted"),
            Err(err) => err,
        }
    }

    #[test]
    fn a_missing_certificate_says_which_flag_to_fix_and_keeps_the_io_cause() {
        let (_dir, files) = files(None, "");
        let err = refusal(&files);
        assert!(matches!(err, ServeError::Certificate { .. }), "{err:?}");
        let shown = err.to_string();
        assert!(shown.contains("--tls-cert"), "{shown}");
        assert!(shown.contains(&files.cert.display().to_string()), "{shown}");
        let pem = err.source().expect("the PEM fault is the source");
        let io = pem.source().expect("the I/O error is kept");
        assert!(io.downcast_ref::<std::io::Error>().is_some());
    }

    #[test]
    fn an_unreadable_key_never_echoes_the_key_file() {
        // Each is a key file the PEM reader refuses; its own message would quote the first two.
        let bad_keys = [
            format!("-----BEGIN PRIVATE KEY {SECRET}\n"),
            format!("-----BEGIN PRIVATE KEY-----\n{SECRET}\n"),
            format!("-----BEGIN PRIVATE KEY-----\n{SECRET}!!\n-----END PRIVATE KEY-----\n"),
            SECRET.to_owned(),
        ];
        let no_certificate = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
        for key in bad_keys {
            let (_dir, files) = files(Some(no_certificate), &key);
            let err = refusal(&files);
            assert!(matches!(err, ServeError::Key { .. }), "{err:?}");
            let shown = err.to_string();
            assert!(shown.contains("--tls-key"), "{shown}");
            let mut chain = vec![shown, format!("{err:?}")];
            let mut cause = err.source();
            while let Some(c) = cause {
                chain.push(c.to_string());
                chain.push(format!("{c:?}"));
                cause = c.source();
            }
            // The PEM reader's own message quotes a line as a byte list; neither form may appear.
            let as_bytes = format!("{:?}", &SECRET.as_bytes()[..6]);
            let as_bytes = as_bytes.trim_matches(|c| c == '[' || c == ']');
            for text in chain {
                assert!(
                    !text.contains("MIIEvQ")
                        && !text.contains("secret")
                        && !text.contains(as_bytes),
                    "key text echoed: {text}"
                );
            }
        }
    }

    #[test]
    fn a_key_that_is_not_the_certificates_says_what_to_check() {
        let err = ServeError::Tls(rustls::Error::InconsistentKeys(
            rustls::InconsistentKeys::KeyMismatch,
        ));
        let shown = err.to_string();
        assert!(
            shown.contains("--tls-key") && shown.contains("--tls-cert"),
            "{shown}"
        );
        assert!(err.source().is_some());
    }
}
