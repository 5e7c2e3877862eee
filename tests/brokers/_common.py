"""Shared helpers for the test-broker launchers (stdin/stdout line protocol).

Lifetime rule: a launcher must never outlive whoever started it. It exits when
its stdin reaches EOF and, as a backstop, when its parent process goes away
(a watchdog thread polls getppid(); PR_SET_PDEATHSIG is deliberately not used
for the launcher itself because it fires when the spawning *thread* exits,
which would kill a broker shared between Rust test threads).
"""

import ctypes
import glob
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
try:
    # Loaded up front: the child side of fork() (preexec_fn) must not dlopen.
    _LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


def log(msg):
    sys.stderr.write("[%s] %s\n" % (os.path.basename(sys.argv[0]), msg))
    sys.stderr.flush()


def reply(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def set_pdeathsig(sig=signal.SIGKILL):
    """Ask the kernel to send `sig` to this process when its parent thread dies.

    Used in children we spawn from our main thread (which lives as long as we do).
    """
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def start_parent_watchdog(on_orphan, interval=0.5):
    """Call on_orphan() once our original parent process has exited."""
    ppid = os.getppid()

    def run():
        while True:
            time.sleep(interval)
            if os.getppid() != ppid:
                log("parent %d went away, shutting down" % ppid)
                on_orphan()
                return

    t = threading.Thread(target=run, name="parent-watchdog", daemon=True)
    t.start()
    return t


def hard_exit_after(seconds, code=3):
    """Backstop: force the process down if a clean shutdown hangs."""

    def run():
        time.sleep(seconds)
        log("clean shutdown took longer than %ss, forcing exit" % seconds)
        os._exit(code)

    threading.Thread(target=run, name="exit-backstop", daemon=True).start()


def find_bundled_librdkafka():
    """Path of the librdkafka shipped inside the pip confluent-kafka wheel.

    Order: $KAFKARS_ORACLE_LIBRDKAFKA; the confluent_kafka importable from this
    interpreter (if it is a wheel with confluent_kafka.libs/); the site-packages
    of other likely interpreters (pyenv). Returns None if none is found.
    """
    env = os.environ.get("KAFKARS_ORACLE_LIBRDKAFKA")
    if env:
        return env
    roots = []
    try:
        import importlib.util

        spec = importlib.util.find_spec("confluent_kafka")
        if spec is not None and spec.origin:
            roots.append(os.path.dirname(os.path.dirname(spec.origin)))
    except Exception:
        pass
    home = os.path.expanduser("~")
    for pattern in (
        home + "/.pyenv/versions/*/lib/python3*/site-packages",
        "/usr/local/lib/python3*/site-packages",
        "/usr/local/lib/python3*/dist-packages",
        "/opt/*/lib/python3*/site-packages",
    ):
        roots.extend(sorted(glob.glob(pattern)))
    for root in roots:
        hits = sorted(glob.glob(os.path.join(root, "confluent_kafka.libs", "librdkafka*.so*")))
        if hits:
            return hits[0]
    return None


def serve_commands(handle, errors):
    """Answers control commands from stdin (one per line) with "OK [data]" or "ERR msg"
    until "quit" or EOF. `handle(argv)` returns optional data or raises one of `errors`."""
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        argv = line.split()
        if not argv:
            continue
        if argv[0] in ("quit", "exit"):
            reply("OK")
            break
        try:
            data = handle(argv)
            reply(("OK " + data) if data else "OK")
        except errors as e:
            reply("ERR " + str(e).replace("\n", " "))
        except ValueError as e:
            reply("ERR bad argument: %s" % e)
