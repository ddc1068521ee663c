//! Running the server: listen (plain or TLS), prune old nonces, shut down gracefully.
//!
//! Graceful shutdown: on the signal the listener stops accepting, requests in flight run to
//! their end (a push is one transaction, so it either commits whole or not at all), then the
//! process exits. TLS uses rustls with the ring provider.

use crate::http::{router, AppState};
use crate::storage::{nonce_cutoff, Store};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How often remembered nonces older than the replay window are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

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

/// Serves plain HTTP on `listener` until `shutdown` completes, then drains in-flight requests.
pub async fn serve<S: Store>(
    state: Arc<AppState<S>>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = router(Arc::clone(&state));
    serve_app(state, app, listener, shutdown).await
}

/// [`serve`] with a router built by the caller (e.g. with the console nested).
pub async fn serve_app<S: Store>(
    state: Arc<AppState<S>>,
    app: axum::Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let pruner = spawn_pruner(Arc::clone(&state));
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    pruner.abort();
    result?;
    Ok(())
}

/// Serves HTTPS on `addr` until `shutdown` completes, then drains in-flight requests (up to
/// the request timeout).
pub async fn serve_tls<S: Store>(
    state: Arc<AppState<S>>,
    addr: SocketAddr,
    tls: TlsFiles,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = router(Arc::clone(&state));
    serve_tls_app(state, app, addr, tls, shutdown).await
}

/// [`serve_tls`] with a router built by the caller (e.g. with the console nested).
pub async fn serve_tls_app<S: Store>(
    state: Arc<AppState<S>>,
    app: axum::Router,
    addr: SocketAddr,
    tls: TlsFiles,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let config = tls_config(&tls)?;
    let pruner = spawn_pruner(Arc::clone(&state));
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(crate::http::REQUEST_TIMEOUT));
    });
    let result = axum_server::bind_rustls(addr, config)
        .handle(handle)
        .serve(app.into_make_service())
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
