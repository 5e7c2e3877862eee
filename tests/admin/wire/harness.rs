//! The differential part of the admin wire tests: finds genuine librdkafka 2.16 and
//! kafkars' compat library, builds tests/admin/admin_cli.c, runs one admin call on each
//! library against its own capture server, and compares what the two sent (decoded
//! with kafka-protocol, field by field) and what they printed.

use super::server::{self, Body, Captured, Handler, Meta, Reply, Server, ServerConf, TopicSpec};
use kafka_protocol::messages::ApiKey;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// How long past its own -t a run of admin_cli may take before it is killed.
const RUN_SLACK: Duration = Duration::from_secs(20);

/// Which library a run used.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lib {
    Genuine,
    Kafkars,
}

/// What a case compares of the two printed results.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Output {
    /// All of stdout (host:port normalized) and the exit status.
    Full,
    /// Only the `err=NAME` and `error=NAME` tokens and the exit status (error strings may
    /// differ).
    ErrNames,
}

type Select = Arc<dyn Fn(&Captured) -> bool + Send + Sync>;
type Normalize = Arc<dyn Fn(&mut Body) + Send + Sync>;
type Respond = Arc<dyn Fn(&Captured, usize) -> Reply + Send + Sync>;

/// One admin call made by both libraries.
#[derive(Clone)]
pub struct Case {
    pub name: String,
    /// admin_cli options before OP (-o, -X).
    pub opts: Vec<String>,
    /// OP and its arguments.
    pub op: Vec<String>,
    pub meta: Meta,
    pub versions: Vec<(i16, i16, i16)>,
    /// The API whose requests are compared.
    pub api: ApiKey,
    /// Which requests of `api` are compared (default: all).
    pub select: Option<Select>,
    /// Rewrites a decoded request before comparing (random fields).
    pub normalize: Option<Normalize>,
    /// Compare the distinct requests only (for Metadata, which clients also send on
    /// their own, as many times as they like).
    pub dedup: bool,
    pub respond: Option<Respond>,
    pub output: Output,
    /// admin_cli -t.
    pub wait_ms: u64,
    /// Genuine librdkafka must send at least one `api` request (false: it must send none).
    pub expect_request: bool,
    /// Genuine librdkafka's admin_cli must exit with this status.
    pub expect_exit: i32,
    /// Genuine librdkafka 2.16 crashes here (why): it must still die by a signal, and the
    /// library under test must not. Then, if genuine printed the result before dying,
    /// the printed results must be the same; if not, the library under test must print
    /// a result that carries an error.
    pub genuine_crash: Option<&'static str>,
    /// Genuine librdkafka's bugs this case shows, kept out of the comparison (why):
    /// its result is not compared, and the library under test must report the
    /// anomaly as an error on the result.
    pub genuine_wrong: Option<&'static str>,
    /// Genuine librdkafka writes stray bytes after this request's body (why).
    pub genuine_trailing: Option<&'static str>,
    /// Genuine librdkafka reads a byte past a string's end and prints it (why): its
    /// control characters are dropped before comparing.
    pub genuine_overread: Option<&'static str>,
}

impl Case {
    pub fn new(name: &str, api: ApiKey, op: &[&str]) -> Case {
        Case {
            name: name.to_string(),
            opts: Vec::new(),
            op: op.iter().map(|s| s.to_string()).collect(),
            meta: Meta::default(),
            versions: server::default_versions(),
            api,
            select: None,
            normalize: None,
            dedup: false,
            respond: None,
            output: Output::Full,
            wait_ms: 8000,
            expect_request: true,
            expect_exit: 0,
            genuine_crash: None,
            genuine_wrong: None,
            genuine_trailing: None,
            genuine_overread: None,
        }
    }

    /// Adds `-o k=v`.
    pub fn opt(mut self, kv: &str) -> Case {
        self.opts.push("-o".into());
        self.opts.push(kv.into());
        self
    }

    /// Adds topics (name, partition count) to the cluster's metadata.
    pub fn topics(mut self, topics: &[(&str, i32)]) -> Case {
        self.meta.topics.extend(topics.iter().map(|&(n, p)| TopicSpec::new(n, p)));
        self
    }

    pub fn topic(mut self, t: TopicSpec) -> Case {
        self.meta.topics.push(t);
        self
    }

    /// Answers each selected `api` request with what `f` builds (`f` also gets how many
    /// such requests came before in this run).
    pub fn respond_nth(mut self, f: impl Fn(&Captured, usize) -> Reply + Send + Sync + 'static) -> Case {
        self.respond = Some(Arc::new(f));
        self
    }

    /// Answers every selected `api` request with what `f` builds.
    pub fn respond(self, f: impl Fn(&Captured) -> Reply + Send + Sync + 'static) -> Case {
        self.respond_nth(move |c, _| f(c))
    }

    /// Answers every selected `api` request with `body`.
    pub fn answer<T: kafka_protocol::protocol::Encodable + Clone + Send + Sync + 'static>(
        self,
        body: T,
    ) -> Case {
        self.respond(move |_| server::reply(body.clone()))
    }

    /// Never answers the selected `api` requests.
    pub fn silent(self) -> Case {
        self.respond(|_| Reply::Silent)
    }

    pub fn output(mut self, o: Output) -> Case {
        self.output = o;
        self
    }

    pub fn dedup(mut self) -> Case {
        self.dedup = true;
        self
    }

    /// Genuine librdkafka sends no `api` request (the call ends before that).
    pub fn no_request(mut self) -> Case {
        self.expect_request = false;
        self
    }

    /// Genuine librdkafka 2.16 crashes in this case, for the reason given.
    pub fn genuine_crashes(mut self, why: &'static str) -> Case {
        self.genuine_crash = Some(why);
        self
    }

    /// Genuine librdkafka 2.16 gets this case wrong without crashing (why).
    pub fn genuine_wrong(mut self, why: &'static str) -> Case {
        self.genuine_wrong = Some(why);
        self
    }

    /// Genuine librdkafka 2.16 sends stray bytes after this request's body (why).
    pub fn genuine_trailing(mut self, why: &'static str) -> Case {
        self.genuine_trailing = Some(why);
        self
    }

    /// Genuine librdkafka 2.16 prints a byte read past a string's end (why).
    pub fn genuine_overread(mut self, why: &'static str) -> Case {
        self.genuine_overread = Some(why);
        self
    }

    pub fn select(mut self, f: impl Fn(&Captured) -> bool + Send + Sync + 'static) -> Case {
        self.select = Some(Arc::new(f));
        self
    }

    pub fn normalize(mut self, f: impl Fn(&mut Body) + Send + Sync + 'static) -> Case {
        self.normalize = Some(Arc::new(f));
        self
    }

    /// Advertises `api` at [min, max] only (None: not at all).
    pub fn api_versions(mut self, api: ApiKey, range: Option<(i16, i16)>) -> Case {
        self.versions.retain(|v| v.0 != api as i16);
        if let Some((a, b)) = range {
            self.versions.push((api as i16, a, b));
        }
        self
    }

    /// The capture server's handler for this case.
    pub fn handler(&self) -> Handler {
        let api = self.api as i16;
        let respond = self.respond.clone();
        let select = self.select.clone();
        let seen = std::sync::atomic::AtomicUsize::new(0);
        Arc::new(move |cap: &Captured| match &respond {
            Some(f) if cap.api_key == api && select.as_ref().is_none_or(|s| s(cap)) => {
                f(cap, seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
            }
            _ => Reply::Default,
        })
    }
}

/// How admin_cli ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Exit {
    Code(i32),
    /// Killed by this signal (6 = SIGABRT: an assertion; 11 = SIGSEGV).
    Signal(i32),
    /// Still running past its -t plus slack; the harness killed it.
    Killed,
}

/// What one library did in one case.
pub struct Run {
    pub lib: Lib,
    pub port: u16,
    pub exit: Exit,
    pub stdout: String,
    pub stderr: String,
    pub requests: Vec<Captured>,
    pub server_log: Vec<String>,
    pub elapsed: Duration,
}

impl Run {
    pub fn label(&self) -> &'static str {
        match self.lib {
            Lib::Genuine => "genuine librdkafka",
            Lib::Kafkars => "kafkars",
        }
    }

    /// stdout with this run's host:port replaced by HOST:PORT (and a bare port by PORT).
    pub fn normalized_stdout(&self) -> String {
        let s = self.stdout.replace(&format!("127.0.0.1:{}", self.port), "HOST:PORT");
        replace_number(&s, &self.port.to_string(), "PORT")
    }
}

/// Replaces `num` where it stands as a whole number (not part of a longer one).
fn replace_number(s: &str, num: &str, with: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(num)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + num.len()).is_none_or(|c| !c.is_ascii_digit())
        {
            out.push_str(with);
            i += num.len();
        } else {
            let c = s[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The error names a printed result holds: `err=NAME` and `error=NAME[...]: text` tokens.
fn err_names(s: &str) -> Vec<String> {
    s.split_whitespace()
        .filter(|w| w.starts_with("err=") || w.starts_with("error="))
        .map(|w| w.trim_end_matches(':').to_string())
        .collect()
}

// ---- libraries and the admin_cli binary ----

struct Env {
    /// KAFKARS_WIRE_BOTH_GENUINE=1: the "kafkars" side runs genuine librdkafka too.
    both_genuine: bool,
    tmp: PathBuf,
    /// Genuine librdkafka's directory (an error says why there is none; only the cases
    /// that run it need it).
    genuine: Result<PathBuf, String>,
    /// The library under test's directory (an error says why there is none).
    kafkars: Result<PathBuf, String>,
    cli: PathBuf,
}

static ENV: OnceLock<Result<Env, String>> = OnceLock::new();

fn env() -> &'static Env {
    match ENV.get_or_init(setup) {
        Ok(e) => e,
        Err(msg) => panic!("{msg}"),
    }
}

/// The genuine librdkafka the confluent-kafka wheel bundles (as tests/brokers/_common.py's
/// find_bundled_librdkafka): $KAFKARS_ORACLE_LIBRDKAFKA, else the importable
/// confluent_kafka's confluent_kafka.libs/, else the usual site-packages.
fn find_genuine() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KAFKARS_ORACLE_LIBRDKAFKA") {
        return Some(PathBuf::from(p)).filter(|p| p.exists());
    }
    let mut roots: Vec<PathBuf> = Vec::new();
    let py = std::env::var("KAFKARS_PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = "import importlib.util,os\ns=importlib.util.find_spec('confluent_kafka')\n\
                 print(os.path.dirname(os.path.dirname(s.origin)) if s and s.origin else '')";
    if let Ok(out) = Command::new(&py).args(["-c", probe]).stderr(Stdio::null()).output() {
        let s = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !s.is_empty() {
            roots.push(PathBuf::from(s));
        }
    }
    let mut globbed = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        let versions = Path::new(&home).join(".pyenv/versions");
        for v in read_dir_sorted(&versions) {
            for lib in read_dir_sorted(&v.join("lib")) {
                if lib.file_name().is_some_and(|n| n.to_string_lossy().starts_with("python3")) {
                    globbed.push(lib.join("site-packages"));
                }
            }
        }
    }
    for base in ["/usr/local/lib"] {
        for lib in read_dir_sorted(Path::new(base)) {
            if lib.file_name().is_some_and(|n| n.to_string_lossy().starts_with("python3")) {
                globbed.push(lib.join("site-packages"));
                globbed.push(lib.join("dist-packages"));
            }
        }
    }
    roots.extend(globbed);
    for root in roots {
        let libs = root.join("confluent_kafka.libs");
        for f in read_dir_sorted(&libs) {
            if f.file_name().is_some_and(|n| n.to_string_lossy().starts_with("librdkafka")) {
                return Some(f);
            }
        }
    }
    None
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn gcc(args: &[&str]) -> Result<(), String> {
    let out = Command::new("gcc").args(args).output().map_err(|e| format!("cannot run gcc: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("gcc {} failed:\n{}", args.join(" "), String::from_utf8_lossy(&out.stderr)))
    }
}

fn setup() -> Result<Env, String> {
    // Directories of earlier runs whose process is gone are removed.
    for d in read_dir_sorted(&std::env::temp_dir()) {
        let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(pid) = name.strip_prefix("kafkars-admin-wire-") {
            if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(&d);
            }
        }
    }
    let tmp = std::env::temp_dir().join(format!("kafkars-admin-wire-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let genuine = setup_genuine(&tmp);

    // The library under test: kafkars' compat directory, unless asked to check the
    // harness by running genuine librdkafka on both sides.
    let both_genuine = std::env::var("KAFKARS_WIRE_BOTH_GENUINE").is_ok_and(|v| v == "1");
    let kafkars = if both_genuine {
        genuine.clone()
    } else {
        let dir = std::env::var_os("KAFKARS_COMPAT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(ROOT).join("build/compat"));
        if dir.join("librdkafka.so.1").exists() {
            Ok(dir)
        } else {
            Err(format!(
                "{}/librdkafka.so.1 missing: run `make compat` (make test does), or set KAFKARS_COMPAT_DIR",
                dir.display()
            ))
        }
    };

    // admin_cli, built against our rdkafka.h and linked with the system -lrdkafka (it
    // references what is newer than that weakly); LD_LIBRARY_PATH picks the library.
    let src = std::env::var_os("KAFKARS_ADMIN_CLI_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(ROOT).join("tests/admin/admin_cli.c"));
    if !src.exists() {
        return Err(format!("{} missing", src.display()));
    }
    let cli = tmp.join("admin_cli");
    let inc = format!("-I{ROOT}/include");
    gcc(&[
        "-O1",
        "-g",
        "-Wall",
        "-Wextra",
        "-Wno-unused-parameter",
        &inc,
        "-o",
        &cli.to_string_lossy(),
        &src.to_string_lossy(),
        "-lrdkafka",
    ])?;
    Ok(Env { both_genuine, tmp, genuine, kafkars, cli })
}

/// Genuine librdkafka 2.16 in a directory of its own (under `tmp`), as librdkafka.so.1.
fn setup_genuine(tmp: &Path) -> Result<PathBuf, String> {
    let lib = find_genuine().ok_or(
        "genuine librdkafka 2.16 not found: these tests compare kafkars with it. Install the \
         confluent-kafka 2.16 wheel (pip install confluent-kafka==2.16.0, which bundles it in \
         confluent_kafka.libs/) or point KAFKARS_ORACLE_LIBRDKAFKA at a librdkafka.so.1 of 2.16",
    )?;
    let genuine = tmp.join("genuine");
    std::fs::create_dir_all(&genuine).map_err(|e| e.to_string())?;
    for name in ["librdkafka.so.1", "librdkafka.so"] {
        let link = genuine.join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&lib, &link).map_err(|e| format!("symlink {}: {e}", link.display()))?;
    }
    let gdir = genuine.to_string_lossy().to_string();

    // Check it is 2.16.
    let vsrc = tmp.join("version.c");
    std::fs::write(
        &vsrc,
        "#include <stdio.h>\nextern const char *rd_kafka_version_str(void);\n\
                           int main(void) { puts(rd_kafka_version_str()); return 0; }\n",
    )
    .map_err(|e| e.to_string())?;
    let vexe = tmp.join("version");
    // Linked with the system -lrdkafka for its SONAME (librdkafka.so.1; the wheel's copy
    // has a hashed one), so LD_LIBRARY_PATH picks the library at run time.
    gcc(&["-o", &vexe.to_string_lossy(), &vsrc.to_string_lossy(), "-lrdkafka"])?;
    let out = Command::new(&vexe).env("LD_LIBRARY_PATH", &gdir).output().map_err(|e| e.to_string())?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !version.starts_with("2.16") {
        return Err(format!(
            "{} is librdkafka {version:?}, not 2.16: these tests compare kafkars with genuine \
             librdkafka 2.16 (set KAFKARS_ORACLE_LIBRDKAFKA to a 2.16 librdkafka.so.1){}",
            lib.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(genuine)
}

/// Runs admin_cli once with `lib` against `bootstrap`; every wait bounded.
fn run_cli(lib: &Path, bootstrap: &str, case: &Case) -> (Exit, String, String, Duration) {
    let e = env();
    let mut args: Vec<String> = vec!["-b".into(), bootstrap.into(), "-t".into(), case.wait_ms.to_string()];
    args.extend(case.opts.iter().cloned());
    args.extend(case.op.iter().cloned());
    let start = Instant::now();
    // KAFKARS_WIRE_WRAPPER runs admin_cli under a tool, e.g. "valgrind -q" or
    // "gdb -batch -ex run -ex bt --args".
    let wrapper = std::env::var("KAFKARS_WIRE_WRAPPER").unwrap_or_default();
    let mut argv: Vec<String> = wrapper.split_whitespace().map(str::to_string).collect();
    argv.push(e.cli.to_string_lossy().into_owned());
    argv.extend(args);
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..]).env("LD_LIBRARY_PATH", lib).current_dir(&e.tmp);
    run_bounded(cmd, start + Duration::from_millis(case.wait_ms) + RUN_SLACK)
}

/// The directory admin_cli runs in (the harness's scratch directory).
#[allow(dead_code)] // tests/admin_ext_wire.rs runs its peer there
pub fn work_dir() -> &'static Path {
    &env().tmp
}

/// Runs `cmd` (no stdin, output captured), killing it at `deadline`.
pub fn run_bounded(mut cmd: Command, deadline: Instant) -> (Exit, String, String, Duration) {
    let start = Instant::now();
    let argv0 = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot run {argv0}: {err}"));
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            String::from_utf8_lossy(&v).into_owned()
        })
    };
    let out = reader(Box::new(child.stdout.take().unwrap()));
    let err = reader(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => {
                use std::os::unix::process::ExitStatusExt;
                break match (st.code(), st.signal()) {
                    (Some(c), _) => Exit::Code(c),
                    (None, Some(sig)) => Exit::Signal(sig),
                    _ => Exit::Killed,
                };
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break Exit::Killed;
            }
        }
    };
    let elapsed = start.elapsed();
    (status, out.join().unwrap_or_default(), err.join().unwrap_or_default(), elapsed)
}

/// Runs the case on one library against a fresh capture server.
pub fn run_one(case: &Case, lib: Lib) -> Run {
    let e = env();
    let dir = match (lib, &e.kafkars) {
        (Lib::Genuine, _) => e.genuine.as_ref().unwrap_or_else(|msg| panic!("{msg}")),
        (Lib::Kafkars, Ok(dir)) => dir,
        (Lib::Kafkars, Err(msg)) => panic!("{msg}"),
    };
    let mut srv = Server::start(ServerConf {
        meta: case.meta.clone(),
        versions: case.versions.clone(),
        handler: case.handler(),
    });
    let (exit, stdout, stderr, elapsed) = run_cli(dir, &srv.bootstrap(), case);
    // Give requests still in flight a moment to land, then stop the server.
    std::thread::sleep(Duration::from_millis(50));
    srv.stop();
    let (requests, server_log) = srv.take();
    Run { lib, port: srv.port(), exit, stdout, stderr, requests, server_log, elapsed }
}

/// The requests of a run that the case compares, normalized, in a stable order.
fn compared(case: &Case, run: &Run) -> Vec<Captured> {
    let mut v: Vec<Captured> = run
        .requests
        .iter()
        .filter(|c| c.api_key == case.api as i16 && case.select.as_ref().is_none_or(|s| s(c)))
        .cloned()
        .collect();
    if let Some(n) = &case.normalize {
        for c in &mut v {
            n(&mut c.body);
        }
    }
    v.sort_by_key(|c| format!("{:?}", c.body));
    if case.dedup {
        v.dedup_by(|x, y| x.version == y.version && x.client_id == y.client_id && x.body == y.body);
    }
    v
}

/// API keys a run sent besides ApiVersions and Metadata.
fn other_apis(run: &Run) -> BTreeSet<String> {
    run.requests
        .iter()
        .filter(|c| !matches!(c.key(), Some(ApiKey::ApiVersions) | Some(ApiKey::Metadata)))
        .map(|c| format!("{} v{}", c.api_name(), c.version))
        .collect()
}

/// A line diff (LCS) of two texts: `-` lines only in `a`, `+` only in `b`, with context.
pub fn diff(a: &str, b: &str, la: &str, lb: &str) -> String {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = ops.iter().enumerate().filter(|(_, o)| o.0 != ' ').map(|(k, _)| k).collect();
    let mut out = format!("--- {la}\n+++ {lb}\n");
    let mut last: Option<usize> = None;
    for (k, (tag, line)) in ops.iter().enumerate() {
        let near = changed.iter().any(|&c| c.abs_diff(k) <= CONTEXT);
        if !near {
            continue;
        }
        if last.is_some_and(|l| l + 1 != k) {
            out.push_str("  ...\n");
        }
        out.push_str(&format!("{tag} {line}\n"));
        last = Some(k);
    }
    out
}

fn dump_requests(v: &[Captured]) -> String {
    v.iter()
        .map(|c| format!("{} v{} client_id={:?}: {:#?}\n", c.api_name(), c.version, c.client_id, c.body))
        .collect()
}

/// Compares run `b` with genuine librdkafka's run `a`; returns the differences found.
pub fn compare(case: &Case, a: &Run, b: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    let (ra, rb) = (compared(case, a), compared(case, b));
    let (la, lb) = (a.label(), b.label());
    if ra.len() != rb.len() {
        problems.push(format!(
            "{} sent {} {:?} request(s), {} sent {}:\n{}",
            la,
            ra.len(),
            case.api,
            lb,
            rb.len(),
            diff(&dump_requests(&ra), &dump_requests(&rb), la, lb)
        ));
    } else {
        for (x, y) in ra.iter().zip(&rb) {
            if x.version != y.version {
                problems.push(format!(
                    "{:?} request version differs: {la} sent v{}, {lb} sent v{}",
                    case.api, x.version, y.version
                ));
                continue;
            }
            if x.client_id != y.client_id {
                problems.push(format!("client_id differs: {la} {:?}, {lb} {:?}", x.client_id, y.client_id));
            }
            if x.trailing != y.trailing && case.genuine_trailing.is_none() {
                problems.push(format!(
                    "bytes after the {:?} body: {la} {}, {lb} {}",
                    case.api, x.trailing, y.trailing
                ));
            }
            if x.body != y.body {
                problems.push(format!(
                    "{:?} v{} request differs:\n{}",
                    case.api,
                    x.version,
                    diff(&format!("{:#?}", x.body), &format!("{:#?}", y.body), la, lb)
                ));
            }
        }
    }
    let (oa, ob) = (other_apis(a), other_apis(b));
    if oa != ob {
        problems.push(format!("other requests differ: {la} sent {oa:?}, {lb} sent {ob:?}"));
    }
    if case.genuine_crash.is_some() && env().both_genuine {
        // (Which signal may vary: a heap corruption can end in SIGABRT or SIGSEGV.)
        if !matches!(a.exit, Exit::Signal(_)) || !matches!(b.exit, Exit::Signal(_)) {
            problems.push(format!("admin_cli exit status: {la} {:?}, {lb} {:?}", a.exit, b.exit));
        }
        if a.normalized_stdout() != b.normalized_stdout() {
            problems.push(format!(
                "printed result differs:\n{}",
                diff(&a.normalized_stdout(), &b.normalized_stdout(), la, lb)
            ));
        }
        return problems;
    }
    if case.genuine_wrong.is_some() {
        if b.exit != Exit::Code(0) {
            problems.push(format!("{lb}'s admin_cli exited {:?}", b.exit));
        }
        if !has_event(b)
            || !err_names(&b.stdout).iter().any(|e| !e.ends_with("=NO_ERROR") && !e.ends_with("=(null)"))
        {
            problems
                .push(format!("{lb} printed no result carrying an error (genuine librdkafka is wrong here)"));
        }
        return problems;
    }
    if case.genuine_crash.is_some() {
        if b.exit != Exit::Code(0) {
            problems.push(format!(
                "{lb}'s admin_cli exited {:?} (genuine librdkafka crashes here; it must not)",
                b.exit
            ));
        }
        if has_event(a) {
            let (sa, sb) = (a.normalized_stdout(), b.normalized_stdout());
            if sa != sb {
                problems.push(format!("printed result differs:\n{}", diff(&sa, &sb, la, lb)));
            }
        } else if !has_event(b)
            || !err_names(&b.stdout).iter().any(|e| !e.ends_with("=NO_ERROR") && !e.ends_with("=(null)"))
        {
            problems
                .push(format!("{lb} printed no result carrying an error (genuine librdkafka crashes here)"));
        }
        return problems;
    }
    if a.exit != b.exit {
        problems.push(format!("admin_cli exit status: {la} {:?}, {lb} {:?}", a.exit, b.exit));
    }
    match case.output {
        Output::Full => {
            let (mut sa, sb) = (a.normalized_stdout(), b.normalized_stdout());
            if case.genuine_overread.is_some() {
                sa.retain(|c| c == '\n' || !c.is_control());
            }
            if sa != sb {
                problems.push(format!("printed result differs:\n{}", diff(&sa, &sb, la, lb)));
            }
        }
        Output::ErrNames => {
            let (ea, eb) = (err_names(&a.stdout), err_names(&b.stdout));
            if ea != eb {
                problems.push(format!("error names differ: {la} {ea:?}, {lb} {eb:?}"));
            }
        }
    }
    problems
}

fn has_event(run: &Run) -> bool {
    run.stdout.lines().any(|l| l.starts_with("event "))
}

fn tail(s: &str, lines: usize) -> String {
    let v: Vec<&str> = s.lines().collect();
    v[v.len().saturating_sub(lines)..].join("\n")
}

fn describe(run: &Run) -> String {
    format!(
        "--- {} (exit {:?}, {:.1}s) stdout:\n{}\n--- stderr (tail):\n{}\n--- requests: {}\n--- server notes: {:?}\n",
        run.label(),
        run.exit,
        run.elapsed.as_secs_f64(),
        run.stdout.trim_end(),
        tail(&run.stderr, 15),
        run.requests
            .iter()
            .map(|c| format!("{} v{} (conn {})", c.api_name(), c.version, c.conn))
            .collect::<Vec<_>>()
            .join(", "),
        run.server_log
    )
}

/// Checks what genuine librdkafka did against the case's expectations (so a case that
/// no longer exercises what it means to fails instead of comparing two idle runs).
pub fn check_genuine(case: &Case, a: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    let sent = compared(case, a);
    if case.expect_request && sent.is_empty() {
        problems.push(format!("genuine librdkafka sent no {:?} request", case.api));
    }
    if !case.expect_request && !sent.is_empty() {
        problems.push(format!("genuine librdkafka sent a {:?} request; the case expects none", case.api));
    }
    for c in &sent {
        if let Body::Undecodable(e) = &c.body {
            problems.push(format!(
                "genuine librdkafka's {} v{} did not decode: {e}",
                c.api_name(),
                c.version
            ));
        }
    }
    match case.genuine_crash {
        None => {
            if a.exit != Exit::Code(case.expect_exit) {
                problems.push(format!(
                    "genuine librdkafka's admin_cli exited {:?}, the case expects {}",
                    a.exit, case.expect_exit
                ));
            }
            if !has_event(a) && case.expect_exit == 0 {
                problems.push("genuine librdkafka's admin_cli printed no event line".into());
            }
        }
        Some(why) => {
            if !matches!(a.exit, Exit::Signal(_)) {
                problems.push(format!(
                    "genuine librdkafka was expected to crash ({why}) but exited {:?}: revisit the case",
                    a.exit
                ));
            }
        }
    }
    problems
}

/// Runs the case on genuine librdkafka and on the library under test; Err describes
/// every difference (and both runs).
pub fn check(case: &Case) -> Result<(), String> {
    let a = run_one(case, Lib::Genuine);
    let b = run_one(case, Lib::Kafkars);
    let mut problems = check_genuine(case, &a);
    problems.extend(compare(case, &a, &b));
    if problems.is_empty() {
        if std::env::var_os("KAFKARS_WIRE_VERBOSE").is_some() {
            eprintln!("== {}: same\n{}{}", case.name, describe(&a), dump_requests(&compared(case, &a)));
        }
        return Ok(());
    }
    Err(format!(
        "== case {}: {}\n{}\n{}{}",
        case.name,
        problems.join("\n"),
        describe(&a),
        describe(&b),
        if std::env::var_os("KAFKARS_WIRE_VERBOSE").is_some() {
            dump_requests(&compared(case, &a))
        } else {
            String::new()
        }
    ))
}

/// For checking the harness itself: runs `a` and `b` both on genuine librdkafka and
/// returns the differences compare() finds (with `a`'s comparison settings).
pub fn differences_between(a: &Case, b: &Case) -> Vec<String> {
    let ra = run_one(a, Lib::Genuine);
    let rb = run_one(b, Lib::Genuine);
    let mut problems = check_genuine(a, &ra);
    problems.extend(check_genuine(b, &rb));
    assert!(
        problems.is_empty(),
        "genuine librdkafka did not do what the harness check expects: {problems:?}"
    );
    compare(a, &ra, &rb)
}

/// Runs cases; panics naming every failing one.
pub fn check_all(cases: Vec<Case>) {
    let filter = std::env::var("KAFKARS_WIRE_CASE").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in cases {
        if filter.as_ref().is_some_and(|f| !case.name.contains(f.as_str())) {
            continue;
        }
        ran += 1;
        if let Err(e) = check(&case) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} of {ran} case(s) differ:\n{}", failures.len(), failures.join("\n"));
}
