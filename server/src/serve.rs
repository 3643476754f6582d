//! The accept loop: `axum::serve` has no timer, so a client that sends its headers slowly (or a
//! kept-alive connection that never sends another request) would hold a connection for ever.
//! This serves each connection with hyper-util's HTTP/1 + HTTP/2 builder and a Tokio timer, so
//! that the headers must arrive within [`HEADER_READ`] — which also closes a kept-alive
//! connection idle for that long — and a shutdown lets the requests in flight finish.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client has to send a request's headers, and how long a kept-alive connection may
/// wait idle for the next request.
pub const HEADER_READ: Duration = Duration::from_secs(10);
/// How long a shutdown waits for the requests in flight.
const DRAIN: Duration = Duration::from_secs(20);

/// Serves `app` on `listener` until `shutdown` completes. Each request carries the client's
/// address as `ConnectInfo<SocketAddr>`, as `into_make_service_with_connect_info` gives.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
    serve_with(listener, app, shutdown, HEADER_READ).await
}

/// [`serve`] with another header-read (and keep-alive idle) time limit.
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    header_read: Duration,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_read);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(Some(header_read)).keep_alive_timeout(header_read);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |mut req: axum::extract::Request| {
            req.extensions_mut().insert(ConnectInfo(addr));
            req
        });
        let conn = builder
            .serve_connection_with_upgrades(
                TokioIo::new(stream),
                TowerToHyperService::new(
                    service.map_request(|req: hyper::Request<hyper::body::Incoming>| req.map(axum::body::Body::new)),
                ),
            )
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still in flight after the shutdown grace period");
    }
    Ok(())
}
