//! The HTTP/1.1 server: an accept loop serving the router on each connection with hyper, so that
//! a [`Fault::Reset`](crate::Fault::Reset) can drop the very connection a call came on, with a
//! TCP reset rather than a polite close.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt as _;

/// Marks a response whose connection must be reset instead of answered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResetConnection;

/// Serves `router` on every connection `listener` accepts, until `shutdown` turns true (or the
/// task is aborted, which closes every connection).
pub(crate) async fn serve(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, router.clone()));
                }
                // Out of file descriptors and the like: wait instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
        }
    }
}

async fn connection(stream: TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    let reset = Arc::new(Notify::new());
    let socket = Socket::of(&stream);
    let service = hyper::service::service_fn({
        let reset = Arc::clone(&reset);
        move |request: hyper::Request<Incoming>| {
            let router = router.clone();
            let reset = Arc::clone(&reset);
            async move {
                let request: Request = request.map(Body::new);
                let response = match router.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                if response.extensions().get::<ResetConnection>().is_some() {
                    reset.notify_one();
                    std::future::pending::<()>().await;
                }
                Ok::<_, Infallible>(response)
            }
        }
    });
    let served = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = served => {}
        () = reset.notified() => socket.reset_on_close(),
    }
}

/// A second handle on the connection's socket, to set `SO_LINGER` to zero after hyper took the
/// stream: closing a socket with a zero linger sends a TCP RST.
struct Socket {
    #[cfg(unix)]
    fd: Option<std::os::fd::OwnedFd>,
}

impl Socket {
    fn of(stream: &TcpStream) -> Self {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd as _;
            Socket { fd: stream.as_fd().try_clone_to_owned().ok() }
        }
        #[cfg(not(unix))]
        {
            let _ = stream;
            Socket {}
        }
    }

    /// Makes the close that follows (when both handles are dropped) a reset. Without a second
    /// handle (other platforms), the connection is closed normally.
    fn reset_on_close(&self) {
        #[cfg(unix)]
        if let Some(fd) = &self.fd {
            let _ = socket2::SockRef::from(fd).set_linger(Some(Duration::ZERO));
        }
    }
}
