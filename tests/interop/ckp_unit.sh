#!/usr/bin/env bash
# ckp_unit.sh - run confluent-kafka-python's own unit tests (tests/test_*.py)
# twice: once on the librdkafka the Python package normally loads ("genuine")
# and once with kafkars substituted ("kafkars"), then print pass/fail/skip
# counts for both and every test whose outcome differs.  Every test that passes
# on genuine must pass on kafkars: the others are listed as REGRESSION and the
# exit status is 1.
#
# A developer tool; tests/run_all.sh runs it (test_Admin.py only) when CKP_SRC
# is set.  Needs network only if pytest & friends must still be installed (it
# never installs anything itself).
#
# Usage:
#   tests/interop/ckp_unit.sh <confluent-kafka-python checkout or git dir> [out-dir]
#
# A checkout (a directory with tests/) must be the one matching the installed
# confluent_kafka.  A git directory (a bare clone, or a clone's .git) is
# exported instead: tests/ and tools/ at CKP_REF (default: the tag
# v<installed confluent_kafka version> if the repository has it, else HEAD,
# with a note) into <out-dir>/ckp-src.  Only tests/ (and tools/ for
# test_unasync.py) are used; the package under test is whatever
# `$PYTHON -c 'import confluent_kafka'` imports.
#
# Exit status: 0 if every test that passed on genuine passed on kafkars too
# (only modules run on kafkars are judged), 1 if not, 2 on a usage or setup
# error.  The last line is "N passed, M failed" over the tests that passed on
# genuine, for tests/run_all.sh to count.
#
# Environment:
#   PYTHON        interpreter (default python3).  Needs pytest, pytest-timeout
#                 and the test deps: pip install pytest pytest-timeout
#                 pytest-asyncio requests-mock respx async-timeout avro
#                 fastavro requests httpx attrs cachetools authlib
#   KAFKARS_SO    kafkars shared library (default: <repo>/build/lib/libkafkars.so;
#                 it is copied to out-dir first so a rebuild cannot change it
#                 under a running test)
#   KAFKARS_MODE  preload (default): LD_PRELOAD=libkafkars.so.  For the PyPI
#                 wheel, whose cimpl links a private bundled librdkafka; any
#                 rd_kafka_* symbol kafkars lacks still resolves to that
#                 bundled copy (mixing two implementations on one handle).
#                 libpath: LD_LIBRARY_PATH=<dir with librdkafka.so.1 -> kafkars>,
#                 for a cimpl linked against the system librdkafka.so.1
#                 (e.g. Debian's python3-confluent-kafka); kafkars must then
#                 define every symbol cimpl needs or the import fails.
#   TEST_TIMEOUT  per-test timeout in seconds (default 60, pytest-timeout,
#                 thread method so tests blocked in C are caught too)
#   MODULE_TIMEOUT hard bound for one pytest process (default 900)
#   MODULES       space-separated test module basenames to run (default: all
#                 tests/test_*.py minus SKIP_MODULES)
#   SKIP_MODULES  module basenames to leave out (default: none)
#   CKP_REF       the tag or commit to export when given a git directory
#   MODES         which runs to do (default "genuine kafkars"); a run not
#                 redone keeps its previous results in out-dir
#
# How it copes with crashes and hangs: each module runs in its own pytest
# process with a small plugin that logs every test outcome as it happens.  If
# the process dies (signal) or is stopped by the timeout, the test that was
# running is recorded as crash:<SIG> / timeout / hang, and the module is
# restarted with every test already accounted for deselected, until all of its
# tests have an outcome.
set -u

CKP=${1:?usage: $0 <confluent-kafka-python checkout or git dir> [out-dir]}
CKP=$(cd "$CKP" && pwd) || exit 2
OUT=${2:-$(mktemp -d /tmp/ckp_unit.XXXXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PYTHON=${PYTHON:-python3}
KAFKARS_SO=${KAFKARS_SO:-$REPO/build/lib/libkafkars.so}
KAFKARS_MODE=${KAFKARS_MODE:-preload}
TEST_TIMEOUT=${TEST_TIMEOUT:-60}
MODULE_TIMEOUT=${MODULE_TIMEOUT:-900}
SKIP_MODULES=${SKIP_MODULES:-}

# A git directory: export tests/ and tools/ of the matching tag (else HEAD).
if [ ! -d "$CKP/tests" ] && git --git-dir="$CKP" rev-parse -q --verify HEAD >/dev/null 2>&1; then
    gitdir=$CKP
    ref=${CKP_REF:-}
    if [ -z "$ref" ]; then
        ver=$("$PYTHON" -c 'import confluent_kafka as c; v = c.version(); print(v[0] if isinstance(v, tuple) else v)' 2>/dev/null)
        if [ -n "$ver" ] && git --git-dir="$gitdir" rev-parse -q --verify "refs/tags/v$ver^{commit}" >/dev/null; then
            ref=v$ver
        else
            ref=HEAD
            echo "note: no tag v${ver:-?} (the installed confluent_kafka) in $gitdir; using HEAD ($(git --git-dir="$gitdir" describe --tags --always HEAD 2>/dev/null))" >&2
        fi
    fi
    paths=(tests)
    git --git-dir="$gitdir" cat-file -e "$ref:tools" 2>/dev/null && paths+=(tools)
    rm -rf "$OUT/ckp-src"
    mkdir -p "$OUT/ckp-src"
    git --git-dir="$gitdir" archive "$ref" "${paths[@]}" | tar -x -C "$OUT/ckp-src" ||
        { echo "cannot export ${paths[*]} at $ref from $gitdir" >&2; exit 2; }
    echo "confluent-kafka-python tests: $gitdir at $ref ($(git --git-dir="$gitdir" rev-parse --short "$ref^{commit}"))"
    CKP=$OUT/ckp-src
fi

[ -d "$CKP/tests" ] || { echo "no tests/ in $CKP (neither a checkout nor a git directory)" >&2; exit 2; }
[ -f "$KAFKARS_SO" ] || { echo "no kafkars library at $KAFKARS_SO" >&2; exit 2; }
"$PYTHON" -c 'import pytest, pytest_timeout' 2>/dev/null ||
    { echo "$PYTHON lacks pytest/pytest-timeout (pip install pytest pytest-timeout)" >&2; exit 2; }

mkdir -p "$OUT/lib"
cp "$KAFKARS_SO" "$OUT/lib/libkafkars.so"
ln -sf libkafkars.so "$OUT/lib/librdkafka.so.1"
ln -sf libkafkars.so "$OUT/lib/librdkafka.so"

# --- the outcome-logging pytest plugin ---------------------------------------
cat >"$OUT/ckp_reclog.py" <<'EOF'
import os

_path = os.environ["CKP_RECLOG"]
_fh = open(_path, "a", buffering=1)
_state = {}


def _w(*cols):
    _fh.write("\t".join(cols) + "\n")
    _fh.flush()
    os.fsync(_fh.fileno())


def pytest_runtest_logstart(nodeid, location):
    _state[nodeid] = "passed"
    _w("START", nodeid)


def pytest_runtest_logreport(report):
    cur = _state.get(report.nodeid, "passed")
    if report.when == "call":
        if hasattr(report, "wasxfail"):
            cur = "xfailed" if report.skipped else "xpassed"
        elif report.failed:
            cur = "failed"
        elif report.skipped:
            cur = "skipped"
    else:
        if report.failed and cur in ("passed", "skipped"):
            cur = "error"
        elif report.skipped and report.when == "setup":
            cur = "skipped"
    _state[report.nodeid] = cur


def pytest_runtest_logfinish(nodeid, location):
    _w("DONE", nodeid, _state.get(nodeid, "passed"))


def pytest_collectreport(report):
    if report.failed:
        _w("DONE", report.nodeid + "::<collect>", "error")


def pytest_sessionfinish(session, exitstatus):
    _w("SESSIONFINISH", str(int(exitstatus)))
EOF

if [ -n "${MODULES:-}" ]; then
    mods=$MODULES
else
    mods=$(cd "$CKP/tests" && ls test_*.py)
fi

run_mode() { # mode
    local mode=$1 mod base log rc pass
    mkdir -p "$OUT/$mode"
    for mod in $mods; do
        base=${mod%.py}
        case " $SKIP_MODULES " in *" $mod "* | *" $base "*) continue ;; esac
        log=$OUT/$mode/$base.rec
        : >"$log"
        : >"$OUT/$mode/$base.out"
        pass=0
        while :; do
            pass=$((pass + 1))
            # deselect everything that already has an outcome
            local desel=()
            while IFS=$'\t' read -r kind node _; do
                [ "$kind" = DONE ] && desel+=(--deselect "$node")
            done <"$log"
            echo "PASS $pass" >>"$log"
            { (
                cd "$CKP" || exit 99
                export CKP_RECLOG=$log PYTHONPATH=$OUT${PYTHONPATH:+:$PYTHONPATH}
                if [ "$mode" = kafkars ]; then
                    if [ "$KAFKARS_MODE" = preload ]; then
                        export LD_PRELOAD=$OUT/lib/libkafkars.so
                    else
                        export LD_LIBRARY_PATH=$OUT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
                    fi
                fi
                exec timeout -k 10 "$MODULE_TIMEOUT" "$PYTHON" -m pytest "tests/$mod" \
                    -p ckp_reclog -p no:cacheprovider -q -rA \
                    --timeout="$TEST_TIMEOUT" --timeout-method=thread "${desel[@]}"
            ) >>"$OUT/$mode/$base.out" 2>&1; } 2>/dev/null # no "Segmentation fault" chatter
            rc=$?
            echo "RC $rc" >>"$log"
            grep -q '^SESSIONFINISH' "$log" && break
            # the process died: blame the test that was running
            local last
            last=$(awk -F'\t' '$1=="START"{s=$2} $1=="DONE"{if($2==s)s=""} END{print s}' "$log")
            if [ -z "$last" ]; then
                # died outside any test (import, collection, teardown of session)
                local why="crash(rc=$rc)"
                [ "$rc" = 124 ] || [ "$rc" = 137 ] && why=hang
                printf 'DONE\t%s\t%s\n' "tests/$mod::<module>" "$why" >>"$log"
                break
            fi
            local why
            if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
                why=hang
            elif [ "$rc" -gt 128 ]; then
                why="crash:$(kill -l $((rc - 128)) 2>/dev/null || echo $rc)"
            elif tail -n 200 "$OUT/$mode/$base.out" | grep -q '+++ Timeout +++'; then
                why=timeout
            else
                why="crash(rc=$rc)"
            fi
            printf 'DONE\t%s\t%s\n' "$last" "$why" >>"$log"
            [ "$pass" -ge 200 ] && break
        done
        awk -F'\t' '$1=="DONE"{print $2"\t"$3}' "$log" >>"$OUT/$mode.tsv"
        echo "[$mode] $mod: $(awk -F'\t' '$1=="DONE"{print $3}' "$log" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')" >&2
    done
}

MODES=${MODES:-genuine kafkars}
"$PYTHON" -c 'import confluent_kafka as c; print("confluent_kafka", c.version(), "libversion", c.libversion(), "from", c.__file__)'
echo "checkout: $CKP   kafkars: $KAFKARS_SO ($KAFKARS_MODE)   results: $OUT"
for m in $MODES; do
    : >"$OUT/$m.tsv"
    run_mode "$m"
done
touch "$OUT/genuine.tsv" "$OUT/kafkars.tsv"

"$PYTHON" - "$OUT" <<'EOF'
import collections, sys
out = sys.argv[1]
res = {}
for mode in ("genuine", "kafkars"):
    d = {}
    for line in open(f"{out}/{mode}.tsv"):
        node, outcome = line.rstrip("\n").split("\t")
        d[node] = outcome
    res[mode] = d
for mode in ("genuine", "kafkars"):
    c = collections.Counter(res[mode].values())
    print(f"{mode:8s} total={sum(c.values())} " + " ".join(f"{k}={v}" for k, v in sorted(c.items())))
nodes = sorted(set(res["genuine"]) | set(res["kafkars"]))
diff = [(n, res["genuine"].get(n, "-"), res["kafkars"].get(n, "-")) for n in nodes
        if res["genuine"].get(n, "-") != res["kafkars"].get(n, "-")]
print(f"\n{len(diff)} test(s) differ (genuine -> kafkars):")
for n, g, k in diff:
    print(f"  {g:>10s} -> {k:<12s} {n}")
with open(f"{out}/diff.tsv", "w") as f:
    for n, g, k in diff:
        f.write(f"{n}\t{g}\t{k}\n")
print(f"\nper-module pytest output: {out}/<genuine|kafkars>/<module>.out")

# The gate: every test that passed on genuine passes on kafkars.  Only modules
# kafkars ran are judged (MODES=genuine alone judges nothing); a test missing
# from a module kafkars ran (the module died outside any test) counts against it.
module = lambda n: n.split("::")[0]
k_modules = {module(n) for n in res["kafkars"]}
judged = [n for n, o in res["genuine"].items() if o == "passed" and module(n) in k_modules]
regressions = [n for n in judged if res["kafkars"].get(n, "-") != "passed"]
if regressions:
    print(f"\n{len(regressions)} test(s) pass on genuine but not on kafkars:")
    for n in regressions:
        print(f"  REGRESSION {res['kafkars'].get(n, '-'):<12s} {n}")
print(f"\n{len(judged) - len(regressions)} passed, {len(regressions)} failed")
sys.exit(1 if regressions else 0)
EOF
