"""pytest plugin (-p upstream_report): appends one JSON line per event to $UPSTREAM_REPORT as it
happens, so a run that crashes or is killed still tells which test it was in.

  {"ev": "start", "id": nodeid}                       a test began
  {"ev": "result", "id": nodeid, "outcome": o, "reason": r}   o: passed failed skipped xfailed xpassed
  {"ev": "collect_error", "id": nodeid, "reason": r}  a module (or class) did not collect
  {"ev": "fallback", "mods": [...]}                   genuine internals the alias loaded (kafka)
"""
import json
import os
import sys

_path = os.environ.get("UPSTREAM_REPORT")
_state = {}


def _emit(**kw):
    if not _path:
        return
    with open(_path, "a") as f:
        f.write(json.dumps(kw) + "\n")
        f.flush()


def _reason(report):
    lr = report.longrepr
    if lr is None:
        return ""
    if isinstance(lr, tuple):  # skip: (path, line, message)
        return str(lr[2])[:400]
    crash = getattr(lr, "reprcrash", None)
    if crash is not None and getattr(crash, "message", None):
        return crash.message.strip().replace("\n", " | ")[:400]
    text = str(lr).strip().splitlines()
    for line in reversed(text):
        if line.startswith("E "):
            return line[1:].strip()[:400]
    return (text[-1] if text else "")[:400]


def pytest_runtest_logstart(nodeid, location):
    _state[nodeid] = None
    _emit(ev="start", id=nodeid)


def pytest_runtest_logreport(report):
    if _state.get(report.nodeid) is not None:
        return  # the first non-pass phase decides
    if hasattr(report, "wasxfail"):
        _state[report.nodeid] = ("xfailed" if report.skipped else "xpassed", report.wasxfail)
    elif report.failed:
        what = "" if report.when == "call" else "(in %s) " % report.when
        _state[report.nodeid] = ("failed", what + _reason(report))
    elif report.skipped:
        _state[report.nodeid] = ("skipped", _reason(report))


def pytest_runtest_logfinish(nodeid, location):
    outcome, reason = _state.get(nodeid) or ("passed", "")
    _emit(ev="result", id=nodeid, outcome=outcome, reason=reason)


def pytest_collectreport(report):
    if report.failed:
        _emit(ev="collect_error", id=report.nodeid, reason=_reason(report))


def pytest_sessionfinish(session, exitstatus):
    alias = sys.modules.get("kafkars_alias")
    if alias is not None and alias.FALLBACK_LOADED:
        _emit(ev="fallback", mods=sorted(set(m.split(".")[0] + "." + m.split(".")[1]
                                             for m in alias.FALLBACK_LOADED if "." in m)))
    if alias is not None and alias.STUBBED:
        _emit(ev="stubs", names=sorted(alias.STUBBED))
