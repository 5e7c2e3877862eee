//! The cluster thread: every broker's listener and connection in one poll loop.
//! Requests on a connection are served in order, one at a time as a Kafka broker
//! does; a parked one holds the ones behind it. Responses leave after the broker's
//! round-trip time.

use super::reply::{Ctx, Outcome};
use super::serve::{closed, serve, tick};
use super::state::State;
use super::wire::Request;
use crate::error::ErrorCode;
use bytes::{Buf, Bytes, BytesMut};
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};
use std::collections::{HashMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAKER: Token = Token(0);
/// Largest request accepted; a bigger size prefix closes the connection.
const MAX_FRAME: usize = 100 << 20;

struct Conn {
    broker: i32,
    sock: TcpStream,
    inbuf: BytesMut,
    frames: VecDeque<Bytes>,
    parked: Option<(Request, Instant, u64)>,
    /// Responses and the time each may leave.
    out: VecDeque<(Instant, Bytes)>,
    /// Bytes of the head response already written.
    written: usize,
    closed: bool,
}

pub struct Net {
    poll: Poll,
    listeners: HashMap<Token, (i32, TcpListener)>,
    conns: HashMap<Token, Conn>,
    next_token: usize,
}

impl Net {
    pub fn new() -> std::io::Result<(Net, Waker)> {
        let poll = Poll::new()?;
        let waker = Waker::new(poll.registry(), WAKER)?;
        Ok((Net { poll, listeners: HashMap::new(), conns: HashMap::new(), next_token: 1 }, waker))
    }

    fn token(&mut self) -> Token {
        self.next_token += 1;
        Token(self.next_token)
    }

    pub fn add_listener(&mut self, broker: i32, l: std::net::TcpListener) -> std::io::Result<()> {
        l.set_nonblocking(true)?;
        let mut l = TcpListener::from_std(l);
        let t = self.token();
        self.poll.registry().register(&mut l, t, Interest::READABLE)?;
        self.listeners.insert(t, (broker, l));
        Ok(())
    }

    /// Runs until `stop` is set (and the waker woken).
    pub fn run(mut self, state: Arc<Mutex<State>>, stop: Arc<AtomicBool>) {
        let mut events = Events::with_capacity(256);
        let mut timeout = Some(Duration::from_millis(100));
        while !stop.load(Ordering::Acquire) {
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() != ErrorKind::Interrupted {
                    return;
                }
            }
            let mut readable = Vec::new();
            for ev in events.iter() {
                let t = ev.token();
                if t == WAKER {
                    continue;
                }
                if self.listeners.contains_key(&t) {
                    self.accept(t);
                } else if ev.is_readable() || ev.is_read_closed() {
                    readable.push(t);
                }
            }
            for t in readable {
                self.read(t);
            }
            let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
            self.sync(&mut st);
            let now = Instant::now();
            tick(&mut st, now);
            self.serve_all(&mut st, now);
            drop(st);
            self.flush_all();
            if self.conns.values().any(|c| c.closed) {
                let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                for (t, _) in self.conns.iter().filter(|(_, c)| c.closed) {
                    closed(&mut st, t.0 as u64);
                }
            }
            self.conns.retain(|_, c| !c.closed);
            timeout = Some(self.next_timeout());
        }
    }

    fn accept(&mut self, t: Token) {
        loop {
            let Some((broker, l)) = self.listeners.get(&t) else { return };
            let broker = *broker;
            match l.accept() {
                Ok((mut sock, _)) => {
                    let _ = sock.set_nodelay(true);
                    let t = self.token();
                    if self
                        .poll
                        .registry()
                        .register(&mut sock, t, Interest::READABLE | Interest::WRITABLE)
                        .is_ok()
                    {
                        let c = Conn {
                            broker,
                            sock,
                            inbuf: BytesMut::with_capacity(64 << 10),
                            frames: VecDeque::new(),
                            parked: None,
                            out: VecDeque::new(),
                            written: 0,
                            closed: false,
                        };
                        self.conns.insert(t, c);
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return,
            }
        }
    }

    fn read(&mut self, t: Token) {
        let Some(c) = self.conns.get_mut(&t) else { return };
        let mut buf = [0u8; 64 << 10];
        loop {
            match c.sock.read(&mut buf) {
                Ok(0) => {
                    c.closed = true;
                    break;
                }
                Ok(n) => c.inbuf.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => {
                    c.closed = true;
                    break;
                }
            }
        }
        while c.inbuf.len() >= 4 {
            let size = i32::from_be_bytes([c.inbuf[0], c.inbuf[1], c.inbuf[2], c.inbuf[3]]);
            if size < 0 || size as usize > MAX_FRAME {
                c.closed = true;
                return;
            }
            if c.inbuf.len() < 4 + size as usize {
                break;
            }
            c.inbuf.advance(4);
            c.frames.push_back(c.inbuf.split_to(size as usize).freeze());
        }
    }

    /// Applies what the API changed: new listeners, brokers taken down.
    fn sync(&mut self, st: &mut State) {
        for (id, l) in std::mem::take(&mut st.new_listeners) {
            let _ = self.add_listener(id, l);
        }
        for c in self.conns.values_mut() {
            if !st.broker(c.broker).is_some_and(|b| b.up) {
                c.closed = true;
            }
        }
    }

    /// Serves each connection's waiting requests, then the parked ones again while
    /// anything changes (a Produce may complete a parked Fetch).
    fn serve_all(&mut self, st: &mut State, now: Instant) {
        let now_ms = crate::clock::wallclock_ms();
        loop {
            let before = st.changes;
            for (t, c) in self.conns.iter_mut() {
                if !c.closed {
                    serve_conn(st, t.0 as u64, c, now, now_ms);
                }
            }
            if st.changes == before {
                break;
            }
        }
    }

    fn flush_all(&mut self) {
        let now = Instant::now();
        for c in self.conns.values_mut() {
            while let Some((due, frame)) = c.out.front() {
                if *due > now || c.closed {
                    break;
                }
                match c.sock.write(&frame[c.written..]) {
                    Ok(n) => {
                        c.written += n;
                        if c.written == frame.len() {
                            c.out.pop_front();
                            c.written = 0;
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => c.closed = true,
                }
            }
        }
    }

    fn next_timeout(&self) -> Duration {
        let now = Instant::now();
        let mut next = now + Duration::from_millis(100);
        for c in self.conns.values() {
            if let Some((due, _)) = c.out.front() {
                next = next.min(*due);
            }
            if let Some((_, deadline, _)) = &c.parked {
                next = next.min(*deadline);
            }
        }
        next.saturating_duration_since(now)
    }
}

fn serve_conn(st: &mut State, conn: u64, c: &mut Conn, now: Instant, now_ms: i64) {
    loop {
        let (req, first, deadline, injected, delay) = match c.parked.take() {
            Some((req, deadline, delay)) => (req, false, deadline, ErrorCode::NO_ERROR, delay),
            None => {
                let Some(frame) = c.frames.pop_front() else { return };
                let Ok(req) = Request::parse(frame) else {
                    c.closed = true;
                    return;
                };
                let (injected, delay) =
                    st.next_error(c.broker, req.api_key).unwrap_or((ErrorCode::NO_ERROR, 0));
                (req, true, now, injected, delay)
            }
        };
        if injected == ErrorCode::_TRANSPORT {
            c.closed = true;
            return;
        }
        let rtt = st.broker(c.broker).map_or(0, |b| b.rtt_ms) + delay;
        let ctx =
            Ctx { broker: c.broker, conn, first, expired: !first && now >= deadline, injected, now, now_ms };
        match serve(st, &req, &ctx) {
            Outcome::Respond(frame) => {
                let due = (now + Duration::from_millis(rtt)).max(c.out.back().map_or(now, |o| o.0));
                c.out.push_back((due, frame));
            }
            Outcome::Silent => {}
            Outcome::Close => {
                c.closed = true;
                return;
            }
            Outcome::Park(d) => {
                c.parked = Some((req, if first { d } else { deadline }, delay));
                return;
            }
        }
    }
}
