"""Make an upstream package name load kafkars instead, for running the originals' own tests.

    install("confluent_kafka")   # import confluent_kafka[.x.y] -> kafkars[.x.y]
    install("kafka")             # import kafka[.x.y]           -> kafkars.kafka[.x.y]

A meta-path finder placed first on sys.meta_path answers for the alias name and every
submodule of it: it imports the kafkars module of the same dotted path and hands back that
very module object (so `confluent_kafka.Producer is kafkars.Producer`, and mock.patch on
`confluent_kafka.x` patches kafkars). A name kafkars has no module for is a
ModuleNotFoundError, as it would be for a user switching packages, with these exceptions:

- RENAMES: confluent_kafka.cimpl (the C extension) is kafkars._native (the PyO3 extension).
- FALLBACK (env UPSTREAM_ALIAS_FALLBACK, space-separated dotted names): test-support
  internals the suite's fixtures import that kafkars does not offer (kafka-python's
  kafka.util, kafka.protocol, ...). These load from the genuine package's files, under the
  alias name; what they import from the alias name in turn is kafkars. Each one loaded is
  noted in `FALLBACK_LOADED` (the report names them).

- STUBS (env UPSTREAM_ALIAS_STUBS, space-separated top-level names): names kafkars lacks
  that a suite's shared test helper imports (confluent-kafka-python's tests/common imports
  ShareConsumer, so without them test_Consumer.py would not even collect). Each becomes a
  placeholder class whose construction raises NotImplementedError, so only the tests that
  use it fail. Noted in `STUBBED` (the report names them).

sitecustomize.py (same directory) installs it at interpreter start when UPSTREAM_ALIAS is
set, so subprocesses the tests start get it too.
"""
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

TARGETS = {"confluent_kafka": "kafkars", "kafka": "kafkars.kafka"}
RENAMES = {"confluent_kafka.cimpl": "kafkars._native"}
FALLBACK_LOADED = []
STUBBED = []


def _stub(name):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("%s: not in kafkars (a test-harness placeholder)" % name)
    base = RuntimeError if name.endswith(("Exception", "Error")) else object
    # A docstring (with a ':' tag) so that test_docs judges kafkars' own names, not this.
    doc = ("Test-harness placeholder: kafkars has no %s.\n\n"
           ":raises NotImplementedError: when constructed." % name)
    return type(name, (base,), {"__init__": __init__, "__upstream_stub__": True, "__doc__": doc})


class _AliasLoader(importlib.abc.Loader):
    """Hands back an already imported module; keeps its own __spec__ (module_from_spec
    overwrites it with the alias spec)."""

    def __init__(self, module):
        self.module = module
        self.spec = getattr(module, "__spec__", None)

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        if self.spec is not None:
            module.__spec__ = self.spec


class AliasFinder(importlib.abc.MetaPathFinder):
    def __init__(self, alias, target, fallback=(), genuine_paths=None):
        self.alias = alias
        self.target = target
        self.fallback = tuple(fallback)
        self.genuine_paths = genuine_paths  # the genuine package's __path__ (for FALLBACK)

    def _mapped(self, fullname):
        if fullname in RENAMES:
            return RENAMES[fullname]
        return self.target + fullname[len(self.alias):]

    def _is_fallback(self, fullname):
        return any(fullname == f or fullname.startswith(f + ".") for f in self.fallback)

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.alias and not fullname.startswith(self.alias + "."):
            return None
        parent = fullname.rpartition(".")[0]
        parent_mod = sys.modules.get(parent) if parent else None
        if parent_mod is not None and parent in FALLBACK_LOADED:
            # a submodule of a genuine fallback package: the genuine one, found on its path
            spec = importlib.machinery.PathFinder.find_spec(fullname, parent_mod.__path__)
            return self._mark(spec)
        mapped = self._mapped(fullname)
        try:
            module = importlib.import_module(mapped)
        except ModuleNotFoundError as e:
            if e.name != mapped and not mapped.startswith((e.name or "") + "."):
                raise  # something kafkars itself imports is missing: a real error
            if self._is_fallback(fullname) and self.genuine_paths:
                rel = fullname[len(self.alias) + 1:].split(".")
                paths = self.genuine_paths
                for part in rel[:-1]:
                    paths = [os.path.join(p, part) for p in paths]
                spec = importlib.machinery.PathFinder.find_spec(fullname, paths)
                return self._mark(spec)
            raise ModuleNotFoundError(
                "No module named %r (aliased to %r, which kafkars does not have)"
                % (fullname, mapped), name=fullname) from None
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(module), is_package=hasattr(module, "__path__"))

    @staticmethod
    def _mark(spec):
        if spec is not None:
            FALLBACK_LOADED.append(spec.name)
        return spec


def install(alias, fallback=None):
    target = TARGETS[alias]
    if fallback is None:
        fallback = os.environ.get("UPSTREAM_ALIAS_FALLBACK", "").split()
    for name in list(sys.modules):  # drop a genuine copy imported before us
        if name == alias or name.startswith(alias + "."):
            del sys.modules[name]
    genuine_paths = None
    if fallback:
        spec = importlib.machinery.PathFinder.find_spec(alias)
        genuine_paths = list(spec.submodule_search_locations or []) if spec else None
    finder = AliasFinder(alias, target, ["%s.%s" % (alias, f) if not f.startswith(alias + ".")
                                         else f for f in fallback], genuine_paths)
    sys.meta_path.insert(0, finder)
    module = importlib.import_module(alias)
    for name in os.environ.get("UPSTREAM_ALIAS_STUBS", "").split():
        if not hasattr(module, name):
            setattr(module, name, _stub(name))
            STUBBED.append(name)
    return finder
