#!/usr/bin/env bash
# The C boundary check (see check_boundary.py): every symbol libkafkars.so exports is
# defined through #[ffi_fn] or in src/shim.c, and nothing in src/ exports around it.
# Needs `make build`. Prints one "N passed, M failed" line.
exec python3 "$(dirname "$0")/check_boundary.py" "$@"
