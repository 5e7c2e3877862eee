# Shared by the benchmark scripts (run.sh, instr.sh, scale.sh); sourced, not run.
# The caller sets ROOT (the repository, current directory), OUT (build/bench), PY
# (python with confluent-kafka), CC, RDKAFKA_SO and RDKAFKA216_SO (may be empty), and
# defines die().

# bench_refs <dir>: the three libraries, each as librdkafka.so.1 in a directory of its
# own under <dir>, so that every one is chosen the same way (LD_LIBRARY_PATH=<dir>/x):
# symlinks to Debian's 2.0.2 and to the pip wheel's 2.16, and a copy of kafkars taken
# now (a rebuild while the runs go on cannot mix two builds). Sets LIBS (the libraries
# found), RDKAFKA216_SO (empty when the wheel's library is missing), KAFKARS_SO (the
# copied file) and KAFKARS_SHA; lib_dir <lib> prints a library's directory.
bench_refs() {
    REF_DIR=$1
    [ -e build/compat/librdkafka.so.1 ] || die "build/compat/librdkafka.so.1 missing: run 'make compat'"
    [ -f "$RDKAFKA_SO" ] || die "$RDKAFKA_SO missing (Debian librdkafka1)"
    rm -rf "$REF_DIR"
    mkdir -p "$REF_DIR/2.0.2" "$REF_DIR/kafkars"
    ln -s "$(realpath "$RDKAFKA_SO")" "$REF_DIR/2.0.2/librdkafka.so.1"
    if [ -n "$RDKAFKA216_SO" ]; then
        [ -f "$RDKAFKA216_SO" ] || die "BENCH_RDKAFKA216=$RDKAFKA216_SO: no such file"
    else
        RDKAFKA216_SO=$("$PY" -c 'import sys; sys.dont_write_bytecode = True; sys.path.insert(0, "tests/brokers")
from _common import find_bundled_librdkafka
print(find_bundled_librdkafka() or "")' 2>/dev/null || true)
    fi
    LIBS=(librdkafka-2.16 librdkafka-2.0.2 kafkars)
    if [ -n "$RDKAFKA216_SO" ] && [ -f "$RDKAFKA216_SO" ]; then
        mkdir -p "$REF_DIR/2.16"
        ln -s "$(realpath "$RDKAFKA216_SO")" "$REF_DIR/2.16/librdkafka.so.1"
    else
        echo "bench: librdkafka 2.16 (pip confluent-kafka wheel) not found with $PY" \
            "(set BENCH_RDKAFKA216): comparing with librdkafka 2.0.2 only" >&2
        RDKAFKA216_SO=
        LIBS=(librdkafka-2.0.2 kafkars)
    fi
    cp "$(realpath build/compat/librdkafka.so.1)" "$REF_DIR/kafkars/librdkafka.so.1"
    KAFKARS_SO=$ROOT/$REF_DIR/kafkars/librdkafka.so.1
    KAFKARS_SHA=$(sha256sum "$KAFKARS_SO" | cut -c1-16)
}

lib_dir() {
    case $1 in
    librdkafka-2.16) echo "$ROOT/$REF_DIR/2.16" ;;
    librdkafka-2.0.2) echo "$ROOT/$REF_DIR/2.0.2" ;;
    kafkars) echo "$ROOT/$REF_DIR/kafkars" ;;
    *) die "unknown library $1" ;;
    esac
}

# bench_build <binary> <sources...>: compiles against librdkafka's header when a source
# (or a header of tests/bench, this file, or the caller) is newer; to a temporary name
# first, so a failed build never leaves a stale binary looking fresh. Lazy binding: a
# library lacking a call still runs the modes that do not use it.
bench_build() {
    local bin=$1 stale=0 f
    shift
    for f in "$@" tests/bench/*.h tests/bench/lib.sh "$0"; do
        [ -f "$f" ] && [ "$f" -nt "$bin" ] && stale=1
    done
    [ -x "$bin" ] && [ $stale = 0 ] && return 0
    "$CC" -O2 -g -Wall -Wextra -I/usr/include -Wl,-z,lazy -o "$bin.tmp" "$@" -lrdkafka -ldl -lm -lpthread \
        || die "building $bin from $* failed"
    mv -f "$bin.tmp" "$bin"
}

# mock_start <brokers> <log>: one librdkafka mock cluster for all runs (its stdin must
# stay open: a coprocess); sets BOOTSTRAP and MOCK_VERSION, stops it on exit.
BROKER_PID=
MOCK_IN=
MOCK_OUT=
mock_start() {
    local line=
    coproc MOCK { exec "$PY" tests/brokers/mock_cluster.py --brokers "$1" 2>"$2"; }
    BROKER_PID=${MOCK_PID:-}
    [ -n "${MOCK[1]:-}" ] || { cat "$2" >&2; die "mock cluster exited at once"; }
    # Stable copies: bash drops the MOCK array when the coprocess exits.
    exec {MOCK_IN}>&"${MOCK[1]}" {MOCK_OUT}<&"${MOCK[0]}"
    eval "exec ${MOCK[1]}>&- ${MOCK[0]}<&-"
    trap mock_stop EXIT
    trap 'exit 130' INT TERM
    read -r -t 30 -u "$MOCK_OUT" line || true
    [[ $line == BOOTSTRAP\ * ]] || { cat "$2" >&2; die "mock cluster did not start (got '$line')"; }
    BOOTSTRAP=${line#BOOTSTRAP }
    mock_cmd version || die "mock cluster does not answer"
    MOCK_VERSION=$REPLY_DATA
}

mock_stop() {
    [ -n "$BROKER_PID" ] || return 0
    local pid=$BROKER_PID
    BROKER_PID=
    { echo quit >&"$MOCK_IN"; } 2>/dev/null || true
    { exec {MOCK_IN}>&- {MOCK_OUT}<&-; } 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        sleep 1
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# mock_cmd <command...>: sets REPLY_DATA; returns 1 on ERR; no answer is fatal.
mock_cmd() {
    local reply=
    echo "$*" >&"$MOCK_IN" || die "mock cluster: cannot send '$*'"
    read -r -t 15 -u "$MOCK_OUT" reply || die "mock cluster: no answer to '$*'"
    if [[ $reply != OK* ]]; then
        echo "bench: mock cluster: '$*' -> $reply" >&2
        return 1
    fi
    REPLY_DATA=${reply#OK}
    REPLY_DATA=${REPLY_DATA# }
}
