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
if ! "$ENV/bin/python" -c "import maturin" >/dev/null 2>&1; then
  "$ENV/bin/python" -m pip install -q --disable-pip-version-check 'maturin>=1.5,<2'
fi
rm -rf build/wheels
"$ENV/bin/python" -m maturin build --release --quiet -m bindings/python/Cargo.toml -o build/wheels \
  -i "$ENV/bin/python" >/dev/null
wheel=$(ls build/wheels/kafkars-*.whl)
"$ENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
echo "$wheel"
