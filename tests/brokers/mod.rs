//! Test brokers for integration tests: librdkafka's mock cluster and Tansu,
//! each run by a small Python launcher (tests/brokers/*.py) that speaks a
//! line protocol: it prints `BOOTSTRAP <servers>`, then answers each command
//! line on stdin with `OK [data]` or `ERR <msg>`, and exits on stdin EOF.
//!
//! Use from an integration test with `#[path = "brokers/mod.rs"] mod brokers;`.
//! Python: `$KAFKARS_PYTHON`, else `python3`. Set `KAFKARS_BROKER_LOG=1` to
//! echo the launcher's stderr (librdkafka / tansu logs) live.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const START_TIMEOUT: Duration = Duration::from_secs(20);
const CMD_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
const STDERR_KEEP: usize = 64 * 1024;

struct Ctl {
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

/// A running launcher process; stopped (and its broker with it) on drop.
pub struct BrokerProc {
    what: &'static str,
    child: Mutex<Child>,
    ctl: Mutex<Ctl>,
    stderr: Arc<Mutex<String>>,
    bootstrap: String,
}

fn python() -> String {
    std::env::var("KAFKARS_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("brokers").join(name)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking test thread must not wedge every other user of a shared broker.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl BrokerProc {
    fn spawn(what: &'static str, script_name: &str, args: &[String]) -> Result<BrokerProc, String> {
        let mut child = Command::new(python())
            .arg(script(script_name))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{what}: cannot run {} {}: {e}", python(), script_name))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().ok_or("no stdout pipe")?;
        let mut err_pipe = child.stderr.take().ok_or("no stderr pipe")?;

        let (tx, rx) = mpsc::channel();
        thread::Builder::new()
            .name(format!("{what}-stdout"))
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| e.to_string())?;

        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let echo = std::env::var_os("KAFKARS_BROKER_LOG").is_some();
        thread::Builder::new()
            .name(format!("{what}-stderr"))
            .spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    let n = match err_pipe.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let s = String::from_utf8_lossy(&buf[..n]);
                    if echo {
                        eprint!("{s}");
                    }
                    let mut keep = lock(&sink);
                    keep.push_str(&s);
                    if keep.len() > STDERR_KEEP {
                        let mut cut = keep.len() - STDERR_KEEP / 2;
                        while !keep.is_char_boundary(cut) {
                            cut += 1;
                        }
                        keep.drain(..cut);
                    }
                }
            })
            .map_err(|e| e.to_string())?;

        let mut p = BrokerProc {
            what,
            child: Mutex::new(child),
            ctl: Mutex::new(Ctl { stdin, lines: rx }),
            stderr,
            bootstrap: String::new(),
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let got = lock(&p.ctl).lines.recv_timeout(left);
            match got {
                Ok(line) => {
                    if let Some(bs) = line.strip_prefix("BOOTSTRAP ") {
                        p.bootstrap = bs.trim().to_string();
                        return Ok(p);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "{what}: no BOOTSTRAP line within {START_TIMEOUT:?}; stderr:\n{}",
                        p.stderr()
                    ))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    // Give the stderr reader a moment to collect the reason.
                    thread::sleep(Duration::from_millis(200));
                    let status = lock(&p.child).try_wait().ok().flatten();
                    return Err(format!(
                        "{what}: launcher exited ({status:?}) before BOOTSTRAP; stderr:\n{}",
                        p.stderr()
                    ));
                }
            }
        }
    }

    /// bootstrap.servers for clients, e.g. "127.0.0.1:41234,127.0.0.1:39871".
    pub fn bootstrap(&self) -> &str {
        &self.bootstrap
    }

    /// Sends one control line; Ok(data after "OK"), Err(message) on ERR/timeout.
    pub fn cmd_data(&self, line: &str) -> Result<String, String> {
        let mut ctl = lock(&self.ctl);
        while ctl.lines.try_recv().is_ok() {} // drop stale answers of timed-out commands
        let stdin = ctl.stdin.as_mut().ok_or("launcher stdin already closed")?;
        writeln!(stdin, "{}", line.trim())
            .and_then(|_| stdin.flush())
            .map_err(|e| format!("{}: write {line:?}: {e}", self.what))?;
        match ctl.lines.recv_timeout(CMD_TIMEOUT) {
            Ok(resp) => {
                if resp == "OK" {
                    Ok(String::new())
                } else if let Some(d) = resp.strip_prefix("OK ") {
                    Ok(d.to_string())
                } else if let Some(e) = resp.strip_prefix("ERR ") {
                    Err(e.to_string())
                } else {
                    Err(format!("unexpected reply {resp:?}"))
                }
            }
            Err(e) => Err(format!("{}: no reply to {line:?}: {e:?}", self.what)),
        }
    }

    /// Whether the cluster is kafkars' own mock (KAFKARS_MOCK_LIB), which checks what a
    /// Kafka broker checks where librdkafka's mock does not (idempotent sequences).
    pub fn is_kafkars_mock(&self) -> bool {
        self.cmd_data("version").is_ok_and(|v| v.contains("kafkars"))
    }

    /// Sends one control line, e.g. `cmd("broker_down 1")`.
    pub fn cmd(&self, line: &str) -> Result<(), String> {
        self.cmd_data(line).map(|_| ())
    }

    /// The launcher's stderr so far (last 32-64 KiB).
    pub fn stderr(&self) -> String {
        lock(&self.stderr).clone()
    }

    /// Stops the broker now (bounded); also done by Drop.
    pub fn stop(&self) {
        lock(&self.ctl).stdin.take(); // EOF: the launcher tears down and exits
        let mut child = lock(&self.child);
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            match child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) => thread::sleep(Duration::from_millis(20)),
                Err(_) => break,
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for BrokerProc {
    fn drop(&mut self) {
        self.stop();
    }
}

fn unwrap_or_panic<T>(r: Result<T, String>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

/// librdkafka's mock cluster (genuine librdkafka 2.x from the pip wheel).
/// Broker ids are 1..=n; controller id 1; group initial rebalance delay 0.
pub struct MockCluster(BrokerProc);

impl MockCluster {
    /// Starts `brokers` mock brokers with the given (topic, partitions);
    /// replication factor is min(brokers, 3). Panics (with stderr) on failure.
    pub fn start(brokers: usize, topics: &[(&str, i32)]) -> MockCluster {
        unwrap_or_panic(Self::try_start(brokers, topics))
    }

    pub fn try_start(brokers: usize, topics: &[(&str, i32)]) -> Result<MockCluster, String> {
        let mut args = vec!["--brokers".to_string(), brokers.to_string()];
        for (t, p) in topics {
            args.push("--topic".into());
            args.push(format!("{t}:{p}"));
        }
        Self::start_args(&args)
    }

    /// Full control over the launcher's arguments (see mock_cluster.py --help).
    pub fn start_args(args: &[String]) -> Result<MockCluster, String> {
        BrokerProc::spawn("mock_cluster", "mock_cluster.py", args).map(MockCluster)
    }
}

impl std::ops::Deref for MockCluster {
    type Target = BrokerProc;
    fn deref(&self) -> &BrokerProc {
        &self.0
    }
}

/// Tansu 0.6 (single broker, node id 111, memory storage) on 127.0.0.1.
pub struct Tansu(BrokerProc);

impl Tansu {
    /// Panics (with stderr) if tansu cannot be started.
    pub fn start() -> Tansu {
        unwrap_or_panic(Self::try_start(&[]))
    }

    /// Starts tansu and creates the given (topic, partitions).
    pub fn start_with_topics(topics: &[(&str, i32)]) -> Tansu {
        unwrap_or_panic(Self::try_start(topics))
    }

    pub fn try_start(topics: &[(&str, i32)]) -> Result<Tansu, String> {
        let mut args = Vec::new();
        for (t, p) in topics {
            args.push("--topic".to_string());
            args.push(format!("{t}:{p}"));
        }
        BrokerProc::spawn("tansu", "tansu.py", &args).map(Tansu)
    }
}

impl std::ops::Deref for Tansu {
    type Target = BrokerProc;
    fn deref(&self) -> &BrokerProc {
        &self.0
    }
}
