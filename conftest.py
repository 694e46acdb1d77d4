"""Repository-wide pytest hooks (pytest-odoo runs the suite, see tools/run-tests.sh).

1. A skipped test fails the run. pytest-odoo skips every HttpCase when ``--odoo-http``
   is missing and Odoo skips browser tours when Chromium or websocket-client is missing:
   a green run that did not run them would lie. The reasons are listed at the end of the
   report.
2. The root ``tests/`` folder is not an addon. Odoo's test metaclass gives
   ``test_module`` and ``test_tags`` only to classes of
   ``odoo.addons.<addon>.tests...``, and ``BaseCase.__init__`` fails without
   ``test_tags``; so classes of the root ``tests`` package get them here, as if they
   belonged to an addon ``smartcall_tests`` (default tags: standard, post_install).
3. The HTTP server's map of static folders is built before the first browser test (see
   ``_warm_http_statics``).
4. The real-Asterisk tests (``tests/test_voip_asterisk.py``, ``tests/test_inbound_asterisk.py``)
   are collected only when Asterisk and sipp are installed; otherwise one line of the summary
   says that they did not run, and why.
"""

import pytest

ROOT_TESTS_MODULE = "smartcall_tests"

_skipped_reports = []


def _record_skip(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped_reports.append(report)


def pytest_runtest_logreport(report):
    _record_skip(report)


def pytest_collectreport(report):
    _record_skip(report)


def _skip_reason(report):
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return longrepr[2].removeprefix("Skipped: ")
    return str(longrepr)


def pytest_configure(config):
    from odoo.tests.common import MetaCase

    if getattr(MetaCase, "_smartcall_root_tests", False):
        return
    original_init = MetaCase.__init__

    def __init__(cls, name, bases, attrs):
        original_init(cls, name, bases, attrs)
        if cls.__module__.split(".")[0] == "tests":
            cls.test_module = ROOT_TESTS_MODULE
            cls.test_class = cls.__name__
            cls.test_sequence = 0
            if getattr(cls, "test_tags", None) is None:
                cls.test_tags = {"standard", "post_install"}

    MetaCase.__init__ = __init__
    MetaCase._smartcall_root_tests = True


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _REAL_PBX_MISSING:
        terminalreporter.write_line(
            f"Real-PBX tests ({', '.join(f'tests/{name}' for name in REAL_PBX_TESTS)}) did not "
            f"run: {_REAL_PBX_MISSING[0]} "
            "(README, Connecting an Asterisk: how to install it)."
        )
    if not _skipped_reports:
        return
    terminalreporter.section("skipped tests fail this run", red=True, bold=True)
    for report in _skipped_reports:
        terminalreporter.write_line(f"SKIPPED {report.nodeid}: {_skip_reason(report)}")
    terminalreporter.write_line(
        f"{len(_skipped_reports)} test(s) skipped: every test must run "
        "(tools/run-tests.sh passes --odoo-http to pytest and installs Chromium)."
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _skipped_reports and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def _warm_http_statics(load_http):
    """Build Odoo's map of static folders (``odoo.http.root.statics``) once, here, before any
    browser request.

    The map is built lazily by the first HTTP request, which parses the manifest of every
    module on the addons path. A tour's page asks for its CSS and JS bundles at the same time,
    so two server threads build it at once, and CPython 3.11's parser is not safe for that
    ("SystemError: AST constructor recursion depth mismatch", CPython gh-106905): one bundle
    answered 500 and the first tour of the run saw an unstyled or blank page at random.
    """
    import odoo.http

    assert odoo.http.root.statics, "no addon with static files on the addons path"


# ----------------------------------------------------------------------
# Real-PBX tests (tests/test_voip_asterisk.py, tests/test_inbound_asterisk.py): collected only
# when Asterisk and sipp are installed; otherwise one line of the summary says they did not
# run, and why.
# ----------------------------------------------------------------------
REAL_PBX_TESTS = ("test_voip_asterisk.py", "test_inbound_asterisk.py")
_REAL_PBX_MISSING = []


def pytest_ignore_collect(collection_path, config):
    if collection_path.name not in REAL_PBX_TESTS:
        return None
    from tests.tooling.asterisk_rig import why_not_available

    reason = why_not_available()
    if reason:
        if not _REAL_PBX_MISSING:
            _REAL_PBX_MISSING.append(reason)
        return True
    return None
