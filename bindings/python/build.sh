#!/usr/bin/env bash
# Builds the kafkars Python package (a wheel carrying libkafkars, built by maturin from
# this directory) into build/wheels and installs it into the virtualenv build/pyenv,
# which also sees the system's site packages (confluent-kafka and kafka-python, the
# originals the tests compare with). Prints the wheel's path.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
ENV=build/pyenv
if [ ! -x "$ENV/bin/python" ]; then
  "$PY" -m venv --system-site-packages "$ENV"
fi
# maturin in the venv itself (a system one's module would not find its script).
if [ ! -x "$ENV/bin/maturin" ]; then
  "$ENV/bin/python" -m pip install -q --disable-pip-version-check --ignore-installed 'maturin>=1.5,<2'
fi
rm -rf build/wheels
if ! "$ENV/bin/maturin" build --release --quiet --compatibility linux --auditwheel skip \
  -m bindings/python/Cargo.toml -o build/wheels \
  -i "$ENV/bin/python" > build/maturin.log 2>&1; then
  cat build/maturin.log >&2
  exit 1
fi
wheel=$(ls build/wheels/kafkars-*.whl)
"$ENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
echo "$wheel"
