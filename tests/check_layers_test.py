#!/usr/bin/env python3
"""Tests for check_layers.py on small fixture crates.  Run: python3 tests/check_layers_test.py"""

import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import check_layers as cl  # noqa: E402

# A clean crate on the real layer table: each module uses only lower layers.
CLEAN = {
    "lib.rs": """
        //! root: may declare anything
        pub mod error;
        pub mod protocol;
        pub mod conf;
        pub mod message;
        pub mod producer;
        pub mod consumer;
        pub mod capi;
        pub const VERSION: i32 = 1;
    """,
    "error.rs": "pub struct ErrorCode(pub i32);\n",
    "protocol/mod.rs": """
        pub mod codec;
        use crate::error::ErrorCode;
        pub struct Frame;
    """,
    "protocol/codec.rs": "pub struct Enc; pub struct Dec;\n",
    "conf/mod.rs": """
        pub mod props;
        pub struct Conf;
        pub fn item() {}
    """,
    "conf/props.rs": "pub struct Prop;\n",
    "message.rs": """
        use crate::error::ErrorCode;
        pub struct Message { pub err: ErrorCode }
    """,
    "producer/mod.rs": """
        pub mod txn;
        use crate::message::Message;
        pub fn produce(m: Message) { txn::tick(); crate::conf::item(); }
    """,
    "producer/txn.rs": "pub fn tick() {}\n",
    "consumer/mod.rs": "use crate::{message::Message, protocol::Frame};\n",
    "capi/mod.rs": """
        pub mod foreign;
        use crate::producer::produce;
        use crate::consumer;
    """,
    "capi/foreign.rs": """
        pub struct ForeignBuf;
        pub fn f() { super::super::producer::txn::tick(); let _ = crate::VERSION; }
    """,
}


class Fixture:
    """A crate under a temp dir: CLEAN overlaid with `changes` (None deletes a file)."""

    def __init__(self, changes=None, base=CLEAN):
        self.tmp = tempfile.TemporaryDirectory()
        self.src = Path(self.tmp.name) / "src"
        files = dict(base)
        files.update(changes or {})
        for rel, text in files.items():
            if text is None:
                continue
            p = self.src / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(textwrap.dedent(text).lstrip("\n"))
        self.report = cl.Report(self.src)

    def edges(self, src):
        """{dst: sorted lines} of the file edges leaving src."""
        return {d: sorted({x.line for x in deps})
                for (s, d), deps in self.report.edges.items() if s == src}

    def violations(self):
        return [(k, s, d, sorted({x.line for x in deps}))
                for k, s, d, deps in self.report.violations]

    def run(self, *args):
        return subprocess.run([sys.executable, str(HERE / "check_layers.py"), "--root",
                               str(self.src), *args], capture_output=True, text=True)

    def close(self):
        self.tmp.cleanup()


class CheckLayersTest(unittest.TestCase):
    def fixture(self, changes=None, **kw):
        fx = Fixture(changes, **kw)
        self.addCleanup(fx.close)
        return fx

    def test_clean_crate_passes(self):
        fx = self.fixture()
        r = fx.report
        self.assertEqual(r.errors, [])
        self.assertEqual(r.violations, [])
        self.assertEqual(r.cycles, [])
        self.assertTrue(all(ok for _, ok in r.results))
        # table modules absent from the tree are warnings only
        self.assertIn("layer-table module clock does not exist in the tree", r.warnings)
        # `mod x;` is not a dependency; lib.rs has no edges
        self.assertEqual(fx.edges("lib.rs"), {})
        self.assertEqual(fx.edges("capi/foreign.rs"),
                         {"producer/txn.rs": [2], "lib.rs": [2]})
        p = fx.run()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(p.stdout.splitlines()[-1], "3 passed, 0 failed")
        self.assertIn("domain      producer (2 files), consumer (1 file), admin (missing)",
                      p.stdout)

    def test_upward_via_use(self):
        fx = self.fixture({"message.rs": """
            use crate::error::ErrorCode;
            use crate::capi::foreign::ForeignBuf;
            pub struct Message;
        """})
        self.assertEqual(fx.violations(), [("upward", "message.rs", "capi/foreign.rs", [2])])
        p = fx.run()
        self.assertEqual(p.returncode, 1)
        self.assertIn("upward: src/message.rs (message) -> src/capi/foreign.rs (capi) at line 2",
                      p.stdout)
        self.assertEqual(p.stdout.splitlines()[-1], "2 passed, 1 failed")

    def test_upward_via_inline_path(self):
        fx = self.fixture({"message.rs": """
            pub struct Message;
            pub fn f(c: u8) {
                crate::producer::txn::tick(&c);
                let _ = crate::capi::foreign::ForeignBuf;
            }
        """})
        self.assertEqual(fx.violations(), [
            ("upward", "message.rs", "capi/foreign.rs", [4]),
            ("upward", "message.rs", "producer/txn.rs", [3]),
        ])

    def test_upward_via_super_super(self):
        fx = self.fixture({
            "error.rs": None,
            "error/mod.rs": "pub mod detail;\npub struct ErrorCode(pub i32);\n",
            "error/detail.rs": "fn f() {\n    super::super::conf::props::Prop;\n}\n",
        })
        self.assertEqual(fx.violations(), [("upward", "error/detail.rs", "conf/props.rs", [2])])

    def test_upward_via_macro_and_dollar_crate(self):
        fx = self.fixture({"message.rs": """
            macro_rules! m {
                () => { $crate::capi::foreign::f() };
            }
            pub fn g() { println!("{}", crate::producer::txn::tick()); }
        """})
        self.assertEqual(fx.violations(), [
            ("upward", "message.rs", "capi/foreign.rs", [2]),
            ("upward", "message.rs", "producer/txn.rs", [4]),
        ])

    def test_sideways_between_peers(self):
        fx = self.fixture({"producer/mod.rs": """
            pub mod txn;
            use crate::consumer as c;
            fn f() { c::poll(); }
        """})
        self.assertEqual(fx.violations(),
                         [("sideways", "producer/mod.rs", "consumer/mod.rs", [2, 3])])
        self.assertIn("sideways: src/producer/mod.rs (domain/producer) -> "
                      "src/consumer/mod.rs (domain/consumer) at lines 2, 3", fx.run().stdout)

    def test_cycle_inside_one_module(self):
        fx = self.fixture({
            "consumer/mod.rs": "mod group;\npub use group::Group;\npub struct Settings;\n",
            "consumer/group.rs": "use super::Settings;\npub struct Group(Settings);\n",
        })
        r = fx.report
        self.assertEqual(r.violations, [])
        self.assertEqual(r.cycles, [["consumer/group.rs", "consumer/mod.rs"]])
        self.assertEqual(fx.edges("consumer/mod.rs"), {"consumer/group.rs": [2]})
        self.assertEqual(fx.edges("consumer/group.rs"), {"consumer/mod.rs": [1]})
        p = fx.run()
        self.assertEqual(p.returncode, 1)
        self.assertIn("cycle 1 (2 files): src/consumer/group.rs, src/consumer/mod.rs", p.stdout)
        self.assertIn("  src/consumer/group.rs imports src/consumer/mod.rs (1)", p.stdout)
        self.assertEqual(p.stdout.splitlines()[-1], "2 passed, 1 failed")

    def test_comments_strings_and_test_code_ignored(self):
        fx = self.fixture({
            "message.rs": r'''
                //! Docs may say crate::capi::foreign::f().
                /// use crate::capi::foreign;
                /* outer /* nested crate::capi */ still comment crate::capi::foreign */
                pub const S: &str = "use crate::capi::foreign; \" crate::capi";
                pub const R: &str = r#"crate::capi::foreign "quoted" "#;
                pub const Q: char = '"';
                pub const B: &[u8] = b"crate::capi";
                pub fn life<'a>(x: &'a str) -> &'a str { x }
                #[cfg(test)]
                mod tests {
                    use crate::capi::foreign::ForeignBuf;
                    fn t() { crate::producer::txn::tick(); }
                }
                #[cfg(test)]
                mod more_tests;
                #[cfg(all(test, feature = "x"))]
                fn helper() { crate::consumer::poll(); }
                #[cfg(not(test))]
                fn real() { crate::error::ErrorCode(0); }
            ''',
            "message/more_tests.rs": "use crate::capi::foreign::ForeignBuf;\n",
        })
        self.assertEqual(fx.edges("message.rs"), {"error.rs": [19]})
        self.assertEqual(fx.report.violations, [])
        self.assertEqual([f.rel for f in fx.report.test_files], ["message/more_tests.rs"])

    def test_nested_use_trees(self):
        fx = self.fixture({"consumer/mod.rs": """
            use crate::{
                conf::{self, props::Prop as P},
                error::*,
                protocol::{codec::{Enc, Dec}, Frame},
            };
            use self::super::message::Message;
        """})
        self.assertEqual(fx.edges("consumer/mod.rs"), {
            "conf/mod.rs": [2], "conf/props.rs": [2], "error.rs": [3],
            "protocol/codec.rs": [4], "protocol/mod.rs": [4], "message.rs": [6]})
        self.assertEqual(fx.report.violations, [])

    def test_item_path_resolves_to_module_file(self):
        fx = self.fixture({
            "lib.rs": CLEAN["lib.rs"] + "pub mod stats;\n",
            "stats/mod.rs": "mod emit;\npub mod report;\npub use emit::emit;\npub fn report() {}\n",
            "stats/emit.rs": "pub fn emit() {}\n",
            "stats/report.rs": "pub struct Report;\n",
            # conf::item is an item of conf/mod.rs; stats::emit is the re-exported function,
            # its module being private to stats; a call's last segment is never a module
            "capi/mod.rs": """
                fn f() { crate::conf::item(); crate::stats::emit(); crate::stats::report(); }
                use crate::stats::emit as e;
                fn g() -> crate::stats::report::Report { todo!() }
            """,
        })
        self.assertEqual(fx.edges("capi/mod.rs"), {
            "conf/mod.rs": [1], "stats/mod.rs": [1, 2], "stats/report.rs": [3]})
        self.assertEqual(fx.edges("stats/mod.rs"), {"stats/emit.rs": [3]})

    def test_use_imported_module_names(self):
        fx = self.fixture({"capi/mod.rs": """
            use crate::producer;
            use crate::protocol::*;
            fn f() { producer::txn::tick(); codec::Enc; x.collect::<Vec<_>>(); }
        """})
        self.assertEqual(fx.edges("capi/mod.rs"), {
            "producer/mod.rs": [1], "producer/txn.rs": [3],
            "protocol/mod.rs": [2], "protocol/codec.rs": [3]})

    def test_module_not_in_table_and_path_attribute(self):
        fx = self.fixture({
            "lib.rs": CLEAN["lib.rs"] + "mod util;\n",
            # outside inline modules, #[path] is relative to the declaring file's directory
            "util.rs": '#[path = "util/helpers_impl.rs"]\nmod helpers;\n',
            "util/helpers_impl.rs": "use crate::capi::foreign::f;\n",
        })
        r = fx.report
        self.assertEqual(r.errors, ["not in the layer table: module util "
                                    f"({fx.src.name}/util.rs, {fx.src.name}/util/helpers_impl.rs)"])
        self.assertEqual(fx.edges("util/helpers_impl.rs"), {"capi/foreign.rs": [1]})
        self.assertEqual(r.violations, [])  # a module outside the table is only that error
        p = fx.run("--quiet")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout.splitlines()[-1], "2 passed, 1 failed")
        self.assertNotIn("Layers", p.stdout)

    def test_include_and_unreachable_files(self):
        fx = self.fixture({
            "error.rs": 'mod table {\n    include!("error_table.rs");\n}\npub struct ErrorCode;\n',
            "error_table.rs": """
                pub const T: &[i32] = &[];
                fn f() { super::super::capi::foreign::f(); }
            """,
            "stray.rs": "use crate::capi::foreign::f;\n",
        })
        r = fx.report
        # the included file is part of error::table, so of the leaf layer
        self.assertEqual(r.top["error_table.rs"], "error")
        self.assertEqual(fx.violations(), [("upward", "error_table.rs", "capi/foreign.rs", [2])])
        self.assertIn(f"{fx.src.name}/stray.rs is not reachable from lib.rs (not compiled?): "
                      "skipped", r.warnings)
        self.assertNotIn("stray.rs", r.top)

    def test_dot_output(self):
        fx = self.fixture({"message.rs": "use crate::capi::foreign::ForeignBuf;\n"})
        out = Path(fx.tmp.name) / "g.dot"
        fx.run("--dot", str(out))
        dot = out.read_text()
        self.assertTrue(dot.startswith("digraph layers {"))
        self.assertIn('"message" -> "capi" [label="1" color=red];', dot)
        self.assertIn('"producer" -> "message" [label="1"];', dot)


if __name__ == "__main__":
    unittest.main()
