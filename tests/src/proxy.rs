//! A TCP proxy on 127.0.0.1 between devices and the server, under the test's control. It
//! relays HTTP/1.1 request by request (bodies framed by `content-length`, as the server and
//! the client send them), and each request gets a [`Fault`] from a plan the test supplies
//! (seeded, so a failing run can be replayed). The upstream address can change when the
//! server restarts.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Pass bytes both ways untouched.
    Pass,
    /// Close the connection instead of forwarding: the request never reaches the server.
    Refuse,
    /// Hold the request this many milliseconds before passing it on.
    Delay(u64),
    /// Pass the request, then cut the connection after this many bytes of the answer: the
    /// server did the work, the device never learns the outcome.
    CutResponse(usize),
    /// Pass the request and write the whole answer twice (the copy lands on a kept-alive
    /// connection as if it answered the next request).
    DuplicateResponse,
    /// Deliver the first request to the server twice (the first copy's answer is swallowed):
    /// the device sees the answer to the duplicate.
    DuplicateRequest,
}

impl Fault {
    /// Short name for counts.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Pass => "pass",
            Fault::Refuse => "refuse",
            Fault::Delay(_) => "delay",
            Fault::CutResponse(_) => "cut_response",
            Fault::DuplicateResponse => "duplicate_response",
            Fault::DuplicateRequest => "duplicate_request",
        }
    }
}

type Plan = Box<dyn FnMut() -> Fault + Send>;

struct Inner {
    upstream: Mutex<SocketAddr>,
    plan: Mutex<Plan>,
    stop: AtomicBool,
    faults: AtomicU64,
    counts: Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

/// The proxy. Stops when dropped.
pub struct FaultProxy {
    addr: SocketAddr,
    inner: Arc<Inner>,
    accept: Option<std::thread::JoinHandle<()>>,
}

const IO_TIMEOUT: Duration = Duration::from_secs(10);

impl FaultProxy {
    /// Starts a proxy to `upstream` passing everything.
    pub fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let inner = Arc::new(Inner {
            upstream: Mutex::new(upstream),
            plan: Mutex::new(Box::new(|| Fault::Pass)),
            stop: AtomicBool::new(false),
            faults: AtomicU64::new(0),
            counts: Mutex::new(Default::default()),
        });
        let accept = std::thread::spawn({
            let inner = Arc::clone(&inner);
            move || {
                for conn in listener.incoming() {
                    if inner.stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(conn) = conn else { continue };
                    let inner = Arc::clone(&inner);
                    std::thread::spawn(move || handle(conn, &inner));
                }
            }
        });
        Self {
            addr,
            inner,
            accept: Some(accept),
        }
    }

    /// The base URL devices should use.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Points the proxy at a new upstream (the server restarted elsewhere).
    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self.inner.upstream.lock().expect("upstream") = upstream;
    }

    /// Replaces the plan that picks each request's fault.
    pub fn set_plan(&self, plan: impl FnMut() -> Fault + Send + 'static) {
        *self.inner.plan.lock().expect("plan") = Box::new(plan);
    }

    /// How many requests got a fault other than [`Fault::Pass`].
    pub fn faults(&self) -> u64 {
        self.inner.faults.load(Ordering::SeqCst)
    }

    /// Requests per fault kind.
    pub fn counts(&self) -> std::collections::BTreeMap<&'static str, u64> {
        self.inner.counts.lock().expect("counts").clone()
    }
}

impl Inner {
    fn next_fault(&self) -> Fault {
        let fault = (self.plan.lock().expect("plan"))();
        if fault != Fault::Pass {
            self.faults.fetch_add(1, Ordering::SeqCst);
        }
        *self
            .counts
            .lock()
            .expect("counts")
            .entry(fault.name())
            .or_default() += 1;
        fault
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn connect(upstream: SocketAddr) -> Option<TcpStream> {
    let stream = TcpStream::connect_timeout(&upstream, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(IO_TIMEOUT)).ok()?;
    stream.set_nodelay(true).ok()?;
    Some(stream)
}

/// Relays one client connection request by request, giving each request its own fault.
fn handle(mut client: TcpStream, inner: &Inner) {
    let _ = client.set_read_timeout(Some(IO_TIMEOUT));
    let _ = client.set_nodelay(true);
    let mut server: Option<TcpStream> = None;
    while let Some(request) = read_message(&mut client) {
        let fault = inner.next_fault();
        let upstream = *inner.upstream.lock().expect("upstream");
        match fault {
            Fault::Refuse => break,
            Fault::Delay(ms) => std::thread::sleep(Duration::from_millis(ms)),
            Fault::DuplicateRequest => {
                // First copy: delivered, its answer swallowed.
                if let Some(mut first) = connect(upstream) {
                    if first.write_all(&request).is_ok() {
                        let _ = read_message(&mut first);
                    }
                    let _ = first.shutdown(Shutdown::Both);
                }
            }
            _ => {}
        }
        if server.is_none() {
            server = connect(upstream);
        }
        let Some(conn) = server.as_mut() else { break };
        if conn.write_all(&request).is_err() {
            break;
        }
        let Some(response) = read_message(conn) else {
            break;
        };
        let delivered = match fault {
            Fault::CutResponse(limit) => {
                let cut = limit.min(response.len().saturating_sub(1));
                let _ = client.write_all(&response[..cut]);
                break;
            }
            Fault::DuplicateResponse => client
                .write_all(&response)
                .and_then(|()| client.write_all(&response)),
            _ => client.write_all(&response),
        };
        if delivered.is_err() {
            break;
        }
    }
    let _ = client.shutdown(Shutdown::Both);
    if let Some(conn) = server {
        let _ = conn.shutdown(Shutdown::Both);
    }
}

/// Reads one HTTP/1.1 message (head and a `content-length` body) from `stream`.
fn read_message(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(pos) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(data)
}
