#!/usr/bin/env python3
"""Enforce kafkars' layering from the source of src/.

Rules (see LAYERS below, bottom -> top):
  1. every top-level module of the crate is in the layer table;
  2. a file depends only on its own top-level module and on lower layers
     (modules listed in the same layer are peers and must not depend on each other);
  3. no import cycle among the files of src/.

A dependency of file F on file G is a path in F's code (not in comments or literals,
not in #[cfg(test)] code) that reaches a module defined in G: `use crate::a::{b, c::d}`,
`super::x`, `self::x`, inline `crate::a::f()`, `$crate::a::M`, or a name that is a child
module or a `use`-imported module in scope. The longest module prefix of the path picks G;
re-exports are not followed. Standard library only (Python 3.11).
"""

import argparse
import re
import sys
from collections import namedtuple
from pathlib import Path

# The layer table, bottom -> top. Edit here.
LAYERS = [
    ("leaf", ["error", "clock", "window"]),
    ("wire", ["protocol"]),
    ("config", ["conf"]),
    ("security", ["security"]),
    ("accounting", ["outq", "cursor"]),
    ("message", ["message"]),
    ("event", ["event"]),
    ("instance", ["instance"]),
    ("metadata", ["metadata"]),
    ("broker", ["broker"]),
    ("domain", ["producer", "consumer", "admin", "mock", "share"]),
    ("stats", ["stats"]),
    ("client", ["client"]),
    ("capi", ["capi"]),
]

# ---------------------------------------------------------------- tokens

Tok = namedtuple("Tok", "kind text line")  # kind: id, str, lit, life, punct

_RAW_STR = re.compile(r'[bc]?r(#*)"')
_PLAIN_STR = re.compile(r'[bc]?"')
_IDENT = re.compile(r"(?:r#)?[^\W\d]\w*")
_NUMBER = re.compile(r"\d[\w]*(?:\.\d[\w]*)?")


def tokenize(src):
    """Rust source -> tokens; comments dropped, literals kept as opaque tokens."""
    toks, i, n, line = [], 0, len(src), 1
    while i < n:
        c = src[i]
        if c == "\n":
            line, i = line + 1, i + 1
        elif c.isspace():
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):  # block comments nest in Rust
            depth = 0
            while i < n:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                    if depth == 0:
                        break
                else:
                    line += src[i] == "\n"
                    i += 1
        elif m := _RAW_STR.match(src, i):
            end = src.find('"' + m.group(1), m.end())
            end = n if end < 0 else end + 1 + len(m.group(1))
            toks.append(Tok("str", src[m.end():end - 1 - len(m.group(1))], line))
            line += src.count("\n", i, end)
            i = end
        elif m := _PLAIN_STR.match(src, i):
            j = m.end()
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            toks.append(Tok("str", src[m.end():j], line))
            line += src.count("\n", i, j)
            i = j + 1
        elif c == "'" or src.startswith("b'", i):
            q = i + (c == "b")
            if src[q + 1:q + 2] == "\\":  # escaped char literal: '\n', '\'', '\u{..}'
                i = src.find("'", q + 3) + 1 or n
                toks.append(Tok("lit", "'", line))
            elif src[q + 2:q + 3] == "'":  # plain char literal
                toks.append(Tok("lit", src[q:q + 3], line))
                i = q + 3
            else:  # lifetime or label
                m = _IDENT.match(src, q + 1)
                end = m.end() if m else q + 1
                toks.append(Tok("life", src[q:end], line))
                i = end
        elif c == "$" and (m := _IDENT.match(src, i + 1)):  # $crate, macro metavariables
            toks.append(Tok("id", "$" + m.group(), line))
            i = m.end()
        elif m := _IDENT.match(src, i):
            toks.append(Tok("id", m.group().removeprefix("r#"), line))
            i = m.end()
        elif m := _NUMBER.match(src, i):
            toks.append(Tok("lit", m.group(), line))
            i = m.end()
        elif src.startswith("::", i):
            toks.append(Tok("punct", "::", line))
            i += 2
        else:
            toks.append(Tok("punct", c, line))
            i += 1
    return toks


def close_of(toks, i):
    """Index of the bracket closing the one at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j].text if toks[j].kind == "punct" else ""
        if t in ("(", "[", "{"):
            depth += 1
        elif t in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


# ------------------------------------------------------- attributes, test code

def cfg_is_test(toks):
    """True if a cfg(...) predicate (tokens inside the parens) holds only under test."""
    def expr(i):  # -> (test_only, next index)
        name = toks[i].text
        if i + 1 < len(toks) and toks[i + 1].text == "(":
            end, kids, j = close_of(toks, i + 1), [], i + 2
            while j < end:
                ok, j = expr(j)
                kids.append(ok)
                j += toks[j].text == ","
            if name == "all":
                return any(kids), end + 1
            if name == "any":
                return bool(kids) and all(kids), end + 1
            return False, end + 1  # not(...) and friends
        j = i + 1
        while j < len(toks) and toks[j].text not in (",", ")"):
            j += 1  # feature = "x"
        return name == "test" and j == i + 1, j
    return bool(toks) and expr(0)[0]


# Items that end at their `;` even if they contain a `{ ... }` (use trees, initialisers).
_SEMI_ITEMS = {"use", "const", "static", "type", "let"}
_ITEM_KW = _SEMI_ITEMS | {"fn", "struct", "enum", "union", "trait", "impl", "mod", "extern",
                          "unsafe", "async", "macro_rules", "pub"}


def item_end(toks, i):
    """Index of the last token of the item/statement/field starting at toks[i]."""
    kw, depth = toks[i].text, 0
    for j in range(i, len(toks)):
        t = toks[j].text if toks[j].kind == "punct" else ""
        if t in ("(", "[", "{"):
            depth += 1
        elif t in (")", "]", "}"):
            if depth == 0:
                return j - 1  # closer of the enclosing block
            depth -= 1
            if depth == 0 and t == "}" and kw not in _SEMI_ITEMS:
                return j
        elif depth == 0 and (t == ";" or (t == "," and kw not in _ITEM_KW)):
            return j
    return len(toks) - 1


def scan_attributes(toks):
    """-> (attrs per item start index, test mask, whole file is test code)."""
    attrs, mask, pending, file_test = {}, [False] * len(toks), [], False
    i, at_top = 0, True  # inner attributes before any item apply to the whole file
    while i < len(toks):
        t = toks[i]
        if t.text == "#" and i + 1 < len(toks) and toks[i + 1].text in ("[", "!"):
            inner = toks[i + 1].text == "!"
            open_ = i + 1 + inner
            end = close_of(toks, open_)
            body = toks[open_ + 1:end]
            is_test = (len(body) > 2 and body[0].text == "cfg" and body[1].text == "("
                       and cfg_is_test(body[2:close_of(body, 1)]))
            if inner:
                file_test |= is_test and at_top
            else:
                pending.append((i, body, is_test))
            i = end + 1
            continue
        at_top = False
        if pending:
            start = i  # skip visibility: pub, pub(crate), pub(in a::b)
            if toks[start].text == "pub":
                start += 1
                if start < len(toks) and toks[start].text == "(":
                    start = close_of(toks, start) + 1
            start = min(start, len(toks) - 1)
            attrs[start] = [body for _, body, _ in pending]
            if any(test for _, _, test in pending):
                for j in range(pending[0][0], item_end(toks, start) + 1):
                    mask[j] = True
            pending = []
        i += 1
    return attrs, mask, file_test


# ------------------------------------------------------------ module tree

class Module:
    def __init__(self, name, parent, file, test, public=True):
        self.name, self.parent, self.file, self.test = name, parent, file, test
        self.public = public  # a private module can only be named from inside its parent
        self.children = {}
        self.path = parent.path + (name,) if parent else ()

    def visible_from(self, ctx):
        while ctx is not None and not self.public:
            if ctx is self.parent:
                return True
            ctx = ctx.parent
        return self.public

    def top(self):
        return self.path[0] if self.path else None


class SrcFile:
    def __init__(self, rel, module, toks, mask, test):
        self.rel, self.module, self.toks, self.mask, self.test = rel, module, toks, mask, test
        self.where = []  # per token: the (inline) module it is in, filled by Crate._load


class Crate:
    """The module tree of src/, walked from lib.rs along `mod x;` declarations."""

    def __init__(self, root):
        self.root_dir = Path(root)
        self.files = {}  # rel path -> SrcFile, in discovery order
        self.warnings = []
        self.root = Module("crate", None, "lib.rs", False)
        self._load(self.root_dir / "lib.rs", self.root, self.root_dir, False)
        every = sorted(str(p.relative_to(self.root_dir)) for p in self.root_dir.rglob("*.rs"))
        self.orphans = [f for f in every if f not in self.files]
        for f in self.orphans:
            self.warnings.append(f"{self.show(f)} is not reachable from lib.rs (not compiled?): "
                                 "skipped")

    def show(self, rel):
        return f"{self.root_dir.name}/{rel}"

    def _rel(self, path):
        return str(path.resolve().relative_to(self.root_dir.resolve()))

    def _load(self, path, module, child_dir, test):
        """Read one file defining `module`; child_dir is where its `mod x;` files live."""
        rel = self._rel(path)
        if rel in self.files:
            return
        toks = tokenize(path.read_text(encoding="utf-8", errors="replace"))
        attrs, mask, file_test = scan_attributes(toks)
        test = test or file_test
        f = self.files[rel] = SrcFile(rel, module, toks, mask, test)
        ctx = [(module, child_dir)]  # innermost inline module and its directory
        braces, opening = [], None  # per open brace: does it open an inline module?
        for i, t in enumerate(toks):
            f.where.append(ctx[-1][0])
            if t.kind == "punct" and t.text == "{":
                braces.append(opening is not None)
                if opening:
                    ctx.append(opening)
                opening = None
            elif t.kind == "punct" and t.text == "}" and braces:
                if braces.pop():
                    ctx.pop()
            elif (t.kind == "id" and t.text == "mod" and i + 2 < len(toks)
                  and toks[i + 1].kind == "id" and toks[i + 2].text in (";", "{")):
                cur, cur_dir = ctx[-1]
                name = toks[i + 1].text
                path_attr = next((b[2].text for b in attrs.get(i, []) if len(b) >= 3
                                  and b[0].text == "path" and b[2].kind == "str"), None)
                sub_test = test or cur.test or mask[i]
                public = i > 0 and toks[i - 1].text in ("pub", ")") and not (
                    i > 1 and toks[i - 2].text == "self")  # pub(self) is private
                if toks[i + 2].text == "{":  # inline: its items belong to this file
                    child = cur.children.setdefault(
                        name, Module(name, cur, rel, sub_test, public))
                    opening = (child, cur_dir / (path_attr or name))
                else:  # #[path] is relative to this file's directory outside inline mods
                    base = path.parent if len(ctx) == 1 else cur_dir
                    self._declare(rel, cur, name, path_attr, base, cur_dir, sub_test, public,
                                  t.line)
            elif (t.kind == "id" and t.text == "include" and i + 4 < len(toks)
                  and toks[i + 1].text == "!" and toks[i + 3].kind == "str"
                  and toks[i + 4].text == ")"):
                inc = path.parent / toks[i + 3].text
                if inc.is_file():  # its text is part of the current (inline) module
                    cur, cur_dir = ctx[-1]
                    self._load(inc, cur, cur_dir, test or cur.test or mask[i])

    def _declare(self, rel, parent, name, path_attr, attr_base, child_dir, test, public,
                 line):
        if path_attr:
            cands = [attr_base / path_attr]
        else:
            cands = [child_dir / f"{name}.rs", child_dir / name / "mod.rs"]
        found = next((c for c in cands if c.is_file()), None)
        if found is None or not found.resolve().is_relative_to(self.root_dir.resolve()):
            self.warnings.append(f"{self.show(rel)}:{line}: mod {name}: no file under the root "
                                 f"({' or '.join(map(str, cands))})")
            return
        child = Module(name, parent, self._rel(found), test, public)
        parent.children[name] = child
        # mod.rs and #[path] files keep their children beside them; a.rs keeps them in a/
        mod_rs = bool(path_attr) or found.name == "mod.rs"
        self._load(found, child, found.parent if mod_rs else found.parent / found.stem, test)


# ------------------------------------------------------------ dependencies

Dep = namedtuple("Dep", "src dst line text")  # file -> file, line in src, the path as written


def parse_use(toks, i, end):
    """The use-tree in toks[i:end] -> [(path names, alias or '*', line of the leaf)]."""
    leaves = []

    def tree(i, prefix):
        names = list(prefix)
        if toks[i].text == "::":  # `use ::x` names an extern crate
            names.append("::")
            i += 1
        while i < end:
            t = toks[i]
            if t.text == "{":
                close = min(close_of(toks, i), end)
                i += 1
                while i < close:
                    j = tree(i, names)
                    i = j + (toks[j].text == ",") if j > i else i + 1
                return close + 1
            if t.text == "*":
                leaves.append((names, "*", t.line))
                return i + 1
            if t.kind != "id":
                return i
            i += 1
            if i < end and toks[i].text == "::":
                names = names + [t.text]
                i += 1
                continue
            leaf, alias = names + [t.text], t.text
            if t.text == "self" and names:  # `a::{self, ..}` imports `a` itself
                leaf, alias = names, names[-1]
            if i + 1 < end and toks[i].text == "as":
                alias, i = toks[i + 1].text, i + 2
            leaves.append((leaf, alias, t.line))
            return i
        return i

    tree(i, [])
    return leaves


def resolve(crate, names, ctx, lookup, last_is_item=False):
    """-> (deepest module the path reaches, whether the whole path is modules) or (None, _).

    A module that is private to elsewhere cannot be named, so a segment naming one is an
    item of its parent (`pub use emit::emit` re-exports a function over a private module).
    In an expression or type the last segment is never a module (last_is_item)."""
    first = names[0]
    if first in ("crate", "$crate"):
        node, k = crate.root, 1
    elif first in ("self", "super"):
        node, k = ctx, 0
        while k < len(names) and names[k] in ("self", "super"):
            if names[k] == "super":
                node = node.parent
                if node is None:
                    return None, False
            k += 1
    else:  # a child module or a module brought in by `use`; anything else is not ours
        node, k = lookup(ctx, first), 1
        if node is None:
            return None, False
    stop = len(names) - last_is_item
    while k < stop and names[k] in node.children and node.children[names[k]].visible_from(ctx):
        node, k = node.children[names[k]], k + 1
    return node, k == len(names)


def file_deps(crate, f):
    """Every path in f's non-test code that reaches a module of the crate."""
    toks, mask = f.toks, f.mask
    where = f.where
    imported, globbed = {}, {}  # module -> {name: Module} brought in by use / use ::*

    def lookup(ctx, name):
        return (imported.get(ctx, {}).get(name) or ctx.children.get(name)
                or globbed.get(ctx, {}).get(name))

    deps, in_use = [], [False] * len(toks)
    for i, t in enumerate(toks):  # pass 1: use declarations (they define the names in scope)
        if t.kind != "id" or t.text != "use" or mask[i]:
            continue
        end = item_end(toks, i)
        for j in range(i, end + 1):
            in_use[j] = True
        ctx = where[i]
        for names, alias, line in parse_use(toks, i + 1, end):
            node, whole = resolve(crate, names, ctx, lookup)
            if node is None:
                continue
            text = "use " + "::".join(names + ["*"] * (alias == "*"))
            deps.append(Dep(f.rel, node.file, line, text))
            if whole and alias == "*":
                globbed.setdefault(ctx, {}).update(
                    (n, m) for n, m in node.children.items() if m.visible_from(ctx))
            elif whole and alias != "_":
                imported.setdefault(ctx, {})[alias] = node
    for i, t in enumerate(toks):  # pass 2: qualified paths anywhere else
        if t.kind != "id" or mask[i] or in_use[i]:
            continue
        if not (i + 2 < len(toks) and toks[i + 1].text == "::" and toks[i + 2].kind == "id"):
            continue
        prev = toks[i - 1].text if i else ""
        if prev in ("::", ".") or (prev == "in" and i >= 3 and toks[i - 3].text == "pub"):
            continue  # middle of a path, a method turbofish, or pub(in path)
        if t.text not in ("crate", "$crate", "self", "super") and lookup(where[i], t.text) is None:
            continue
        names, j = [t.text], i + 1
        while j + 1 < len(toks) and toks[j].text == "::" and toks[j + 1].kind == "id":
            names.append(toks[j + 1].text)
            j += 2
        node, _ = resolve(crate, names, where[i], lookup, last_is_item=True)
        if node is not None:
            deps.append(Dep(f.rel, node.file, t.line, "::".join(names)))
    return [d for d in deps if d.dst != d.src and d.dst in crate.files]


# ------------------------------------------------------------ analysis

def sccs(nodes, succ):
    """Tarjan's strongly connected components, iteratively."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(succ.get(root, ()))))]
        index[root] = low[root] = n
        n += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = n
                    n += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(succ.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def shortest_cycle(start, members, succ):
    """A shortest cycle through start inside one component (breadth-first)."""
    prev, queue = {start: None}, [start]
    for v in queue:
        for w in sorted(succ.get(v, ())):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return path[::-1] + [start]
            if w in members and w not in prev:
                prev[w] = v
                queue.append(w)
    return [start]


class Report:
    """Runs the three checks on a crate; plain data for tests and printing."""

    def __init__(self, root, layers=LAYERS):
        self.layers = layers
        self.crate = crate = Crate(root)
        self.errors = []  # "layer table covers every module"
        self.warnings = list(crate.warnings)
        self.layer_of = {}
        for idx, (layer, mods) in enumerate(layers):
            for m in mods:
                if m in self.layer_of:
                    self.errors.append(f"module {m} is listed twice in the layer table")
                self.layer_of.setdefault(m, (idx, layer))
        self.checked = [f for f in crate.files.values() if not f.test]
        self.test_files = [f for f in crate.files.values() if f.test]
        self.top = {f.rel: f.module.top() for f in self.checked}
        present = sorted({t for t in self.top.values() if t})
        for m in present:
            if m not in self.layer_of:
                files = ", ".join(crate.show(r) for r, t in self.top.items() if t == m)
                self.errors.append(f"not in the layer table: module {m} ({files})")
        for _, mods in layers:
            for m in mods:
                if m not in present:
                    self.warnings.append(f"layer-table module {m} does not exist in the tree")

        # file graph: (src, dst) -> [Dep], test files excluded at both ends
        self.edges = {}
        for f in self.checked:
            for d in file_deps(crate, f):
                if d.dst in self.top:
                    self.edges.setdefault((d.src, d.dst), []).append(d)
        self.succ = {}
        for s, d in self.edges:
            self.succ.setdefault(s, set()).add(d)

        self.violations = []  # (kind, src, dst, [Dep])
        for (s, d), deps in sorted(self.edges.items()):
            ts, td = self.top[s], self.top[d]
            if ts is None or td is None or ts == td:
                continue  # lib.rs is the root; a module may use itself
            if ts not in self.layer_of or td not in self.layer_of:
                continue  # reported by the coverage check
            ls, ld = self.layer_of[ts][0], self.layer_of[td][0]
            if ld > ls:
                self.violations.append(("upward", s, d, deps))
            elif ld == ls:
                self.violations.append(("sideways", s, d, deps))

        self.cycles = [c for c in sccs(list(self.top), self.succ) if len(c) > 1]
        self.cycles.sort(key=lambda c: (-len(c), c))
        self.results = [
            ("layer table covers every module", not self.errors),
            ("no upward or sideways import", not self.violations),
            ("no import cycle", not self.cycles),
        ]

    def label(self, rel):
        m = self.top[rel]
        if m is None:
            return "root"
        layer = self.layer_of.get(m, (None, "?"))[1]
        return m if layer == m else f"{layer}/{m}"

    def lines(self, s, d, sep=", "):
        return sep.join(str(n) for n in sorted({x.line for x in self.edges[s, d]}))

    def dep_text(self, kind, s, d, deps):
        show, n = self.crate.show, len({x.line for x in deps})
        return (f"{kind}: {show(s)} ({self.label(s)}) -> {show(d)} ({self.label(d)}) "
                f"at line{'s' * (n > 1)} {self.lines(s, d)}  [{deps[0].text}]")

    def print(self, out, quiet=False):
        show = self.crate.show
        w = lambda s="": print(s, file=out)
        if not quiet:
            w("Layers, bottom -> top:")
            for idx, (layer, mods) in enumerate(self.layers):
                cells = []
                for m in mods:
                    n = sum(1 for t in self.top.values() if t == m)
                    cells.append(f"{m} ({n} file{'s' * (n != 1)})" if n else f"{m} (missing)")
                w(f"  {idx + 1:2} {layer:<11} {', '.join(cells)}")
            w(f"{len(self.checked)} files checked ({len(self.test_files)} test files exempt, "
              f"{len(self.crate.orphans)} unreachable), {len(self.edges)} dependency edges")
            for msg in self.warnings:
                w(f"warning: {msg}")
        for msg in self.errors:
            w(f"error: {msg}")
        for v in self.violations:
            w(self.dep_text(*v))
        for n, comp in enumerate(self.cycles, 1):
            members = set(comp)
            w(f"cycle {n} ({len(comp)} files): {', '.join(show(f) for f in comp)}")
            loop = shortest_cycle(comp[0], members, self.succ)
            w("  e.g. " + " -> ".join(map(show, loop)))
            for f in comp:
                outs = sorted(members & self.succ.get(f, set()))
                w(f"  {show(f)} imports "
                  + ", ".join(f"{show(d)} ({self.lines(f, d, ',')})" for d in outs))
        passed = sum(ok for _, ok in self.results)
        if not quiet:
            for name, ok in self.results:
                w(f"{'PASS' if ok else 'FAIL'}: {name}")
        w(f"{passed} passed, {len(self.results) - passed} failed")

    def dot(self):
        """Module-level graph: one cluster per layer, red edges break the layering."""
        bad = {(self.top[s], self.top[d]) for _, s, d, _ in self.violations}
        count = {}
        for s, d in self.edges:
            ts, td = self.top[s], self.top[d]
            if ts and td and ts != td:
                count[ts, td] = count.get((ts, td), 0) + 1
        lines = ["digraph layers {", "  rankdir=BT; node [shape=box];"]
        present = set(self.top.values())
        for idx, (layer, mods) in enumerate(self.layers):
            names = [m for m in mods if m in present]
            if names:
                lines.append(f'  subgraph cluster_{idx} {{ label="{layer}"; rank=same; '
                             + " ".join(f'"{m}";' for m in names) + " }")
        for m in sorted(present - set(self.layer_of) - {None}):
            lines.append(f'  "{m}" [color=red];')
        for (a, b), n in sorted(count.items()):
            style = ' color=red' if (a, b) in bad else ""
            lines.append(f'  "{a}" -> "{b}" [label="{n}"{style}];')
        lines.append("}")
        return "\n".join(lines) + "\n"


def main(argv=None):
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=str(here.parent / "src"),
                    help="the crate's src/ (default: %(default)s)")
    ap.add_argument("--dot", metavar="FILE", help="write the module-level graph (Graphviz)")
    ap.add_argument("--quiet", action="store_true", help="only the summary and violations")
    args = ap.parse_args(argv)
    if not (Path(args.root) / "lib.rs").is_file():
        print(f"error: {args.root}/lib.rs not found", file=sys.stderr)
        return 2
    report = Report(args.root)
    report.print(sys.stdout, quiet=args.quiet)
    if args.dot:
        Path(args.dot).write_text(report.dot())
    return 0 if all(ok for _, ok in report.results) else 1


if __name__ == "__main__":
    sys.exit(main())
