#!/usr/bin/env python3
"""The C boundary cannot be skipped: every function libkafkars.so exports is defined
through #[ffi_fn] (which catches panics and exports it) or is one of the C shim's variadic
functions, and nothing else in src/ can export a symbol.

Checks
  1. no `no_mangle` / `export_name` anywhere in src/: #[ffi_fn] is the only way to export
  2. every #[ffi_fn] function is exported by build/lib/libkafkars.so
  3. every symbol the library exports is an #[ffi_fn] function or a src/shim.c function
  4. include/kafkars.h declares exactly the exported functions
Needs `make build` first. Prints the counts and one "N passed, M failed" line.
Usage: tests/check_boundary.py [path/to/libkafkars.so]
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
LIB = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "lib", "libkafkars.so")
HEADER = os.path.join(ROOT, "include", "kafkars.h")

passed = failed = 0


def check(name, ok, details=()):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name}")
        for d in details:
            print(f"        {d}")


def rust_files():
    for d, _, files in os.walk(SRC):
        for f in sorted(files):
            if f.endswith(".rs"):
                yield os.path.join(d, f)


def without_test_modules(lines):
    """Drops `#[cfg(test)] mod x { ... }` blocks (rustfmt layout: the closing brace is
    alone on a line at the module's indentation): a test's #[ffi_fn] is never shipped."""
    out, skip_until = [], None
    for i, line in enumerate(lines):
        if skip_until is not None:
            if line.rstrip() == skip_until:
                skip_until = None
            continue
        if line.strip() == "#[cfg(test)]" and i + 1 < len(lines) and re.match(r"\s*(pub(\(\w+\))? )?mod \w+ \{$", lines[i + 1]):
            skip_until = re.match(r"\s*", line).group(0) + "}"
            continue
        out.append(line)
    return out


FFI_ATTR = re.compile(r"^\s*#\[ffi_fn(\(.*\))?\]\s*$")
FN_NAME = re.compile(r"^\s*pub unsafe extern \"C\" fn (\$?\w+)\s*\(")


def ffi_functions():
    """{name: file} of the functions defined through #[ffi_fn]; a macro_rules! that
    defines `fn $name` through it counts its invocations' first argument."""
    found, problems = {}, []
    for path in rust_files():
        rel = os.path.relpath(path, ROOT)
        lines = without_test_modules(open(path, encoding="utf-8").read().split("\n"))
        text = "\n".join(lines)
        for i, line in enumerate(lines):
            if not FFI_ATTR.match(line):
                continue
            # The attribute is followed by more attributes or the signature.
            j = i + 1
            while j < len(lines) and re.match(r"^\s*(#\[|///)", lines[j]):
                j += 1
            m = FN_NAME.match(lines[j]) if j < len(lines) else None
            if not m:
                problems.append(f"{rel}:{i + 1}: #[ffi_fn] not followed by `pub unsafe extern \"C\" fn`")
                continue
            name = m.group(1)
            if not name.startswith("$"):
                found[name] = rel
                continue
            # Defined by a macro_rules!: the closest one above names the macro.
            at = sum(len(l) + 1 for l in lines[:i])
            macros = [mm for mm in re.finditer(r"macro_rules!\s+(\w+)", text) if mm.start() < at]
            if not macros:
                problems.append(f"{rel}:{i + 1}: fn {name} outside a macro_rules!")
                continue
            mac = macros[-1].group(1)
            calls = re.findall(r"(?<![\w!])" + mac + r"!\(\s*(\w+)", text)
            if not calls:
                problems.append(f"{rel}: macro {mac}! defines #[ffi_fn] functions but is never invoked")
            for c in calls:
                found[c] = f"{rel} ({mac}!)"
    return found, problems


def shim_functions():
    """Functions defined (not declared) at file scope in src/shim.c."""
    names = set()
    src = open(os.path.join(SRC, "shim.c"), encoding="utf-8").read()
    for m in re.finditer(r"^(?!static\b|extern\b|typedef\b|#)[A-Za-z_][\w \t\*]*?\b(\w+)\s*\([^;{]*\)\s*\{", src, re.M):
        names.add(m.group(1))
    return names


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    return {f[2] for f in (l.split() for l in out.splitlines()) if len(f) == 3}


def declared(header):
    """Functions declared in the header (comments stripped; callback typedefs are
    `(*name)(`, not `name(`; function-type typedefs, as the interceptors', dropped)."""
    h = open(header, encoding="utf-8").read()
    h = re.sub(r"/\*.*?\*/", "", h, flags=re.S)
    h = re.sub(r"//[^\n]*", "", h)
    h = re.sub(r"^\s*#[^\n]*(\\\n[^\n]*)*", "", h, flags=re.M)
    h = re.sub(r"^typedef [^;]*;", "", h, flags=re.M)
    return set(re.findall(r"(?<!\w)((?:rd_kafka|kafkars)_\w+)\s*\(", h))


# 1. Nothing but #[ffi_fn] exports.
hits = []
for path in rust_files():
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if "no_mangle" in line or "export_name" in line:
            hits.append(f"{os.path.relpath(path, ROOT)}:{n}: {line.strip()}")
check("no no_mangle / export_name in src/ (#[ffi_fn] is the only export)", not hits, hits)

macro_fns, problems = ffi_functions()
shim = shim_functions()
check("every #[ffi_fn] is followed by a `pub unsafe extern \"C\" fn`", not problems, problems)

if not os.path.exists(LIB):
    check(f"{os.path.relpath(LIB, ROOT)} exists (run `make build`)", False)
else:
    syms = exported(LIB)
    print(f"{len(macro_fns)} functions defined through #[ffi_fn], {len(shim)} in src/shim.c "
          f"({', '.join(sorted(shim))}); {len(syms)} symbols exported by {os.path.relpath(LIB, ROOT)}")
    both = sorted(set(macro_fns) & shim)
    check("no function is defined both in Rust and in the shim", not both, both)
    # 2. Every #[ffi_fn] reaches the library.
    missing = sorted(set(macro_fns) - syms)
    check("every #[ffi_fn] function is exported", not missing,
          [f"{n} ({macro_fns[n]}) is not exported" for n in missing])
    # 3. Nothing is exported that bypasses the macro.
    stray = sorted(syms - set(macro_fns) - shim)
    check("every exported symbol is an #[ffi_fn] function or a shim function", not stray,
          [f"{n} is exported but not defined through #[ffi_fn]" for n in stray])
    # 4. The header and the library agree.
    decl = declared(HEADER)
    check("include/kafkars.h declares exactly the exported functions", decl == syms,
          [f"declared, not exported: {n}" for n in sorted(decl - syms)]
          + [f"exported, not declared: {n}" for n in sorted(syms - decl)])

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
