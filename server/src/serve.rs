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
    /// The certificate or key could not be read.
    #[error("TLS: {0}")]
    Tls(String),
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
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto;
    use tower::ServiceExt as _;

    let pruner = spawn_pruner(Arc::clone(&state));
    let app = crate::http::router_with(state, &limits);
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
    let config = tls_config(&tls)?;
    let pruner = spawn_pruner(Arc::clone(&state));
    let app = crate::http::router_with(state, &limits);
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
    let certs = CertificateDer::pem_file_iter(&tls.cert)
        .map_err(|e| ServeError::Tls(format!("certificate file: {e}")))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ServeError::Tls(format!("certificate file: {e}")))?;
    let key = PrivateKeyDer::from_pem_file(&tls.key)
        .map_err(|e| ServeError::Tls(format!("key file: {e}")))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ServeError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| ServeError::Tls(e.to_string()))?;
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
