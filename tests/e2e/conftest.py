"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Chromium is never downloaded: the tests use /usr/bin/chromium (or $ASPA_CHROMIUM). Without it the whole
package is skipped, and the run says so in its header, its skip reasons and its closing summary.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread while it is started; Django
# refuses ORM calls from such a thread unless told that this is deliberate (the tests only touch the ORM
# synchronously). Set only while Playwright runs, i.e. during this package: a process-wide setting would
# leak into other tests' subprocesses (`check --deploy` rightly refuses it).
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

E2E_DIR = Path(__file__).parent
CHROMIUM = os.environ.get("ASPA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FOUND = shutil.which(CHROMIUM) is not None
NOTICE = f"NOTICE: Chromium not found at {CHROMIUM} — browser tests skipped (apt-get install chromium)"
# CI sets this: there a missing browser is a failure, never a quiet skip.
REQUIRED = os.environ.get("ASPA_E2E_REQUIRED", "") not in ("", "0")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Auto-waiting assertions give up after this long; a healthy page answers in well under a second.
EXPECT_TIMEOUT_MS = 10_000


def _in_package(item: pytest.Item) -> bool:
    return E2E_DIR in Path(str(item.path)).parents


def pytest_report_header(config: pytest.Config) -> str | None:
    # Only seen when this conftest is loaded early (e.g. `pytest tests/e2e`); the summary line always is.
    return None if CHROMIUM_FOUND else NOTICE


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM_FOUND or REQUIRED:
        return
    skip = pytest.mark.skip(reason=NOTICE)
    for item in items:
        if _in_package(item):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not CHROMIUM_FOUND:
        terminalreporter.write_sep("-", NOTICE, yellow=True, bold=True)


# Package scope: Playwright (and its running loop) stops when the last browser test is done.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM_FOUND:
        if REQUIRED:
            pytest.fail(f"ASPA_E2E_REQUIRED is set but Chromium is missing at {CHROMIUM}")
        pytest.skip(NOTICE)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        # launch() gives every run a new, empty user-data-dir; nothing of a desktop profile leaks in.
        with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="aspa-e2e-") as downloads:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, downloads_path=downloads, timeout=60_000
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Iterator[Any]:
    """new_context(**options) -> a fresh, isolated browser context (own cookies) on the live server."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("locale", "fi-FI")
        options.setdefault("timezone_id", "Europe/Helsinki")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Any) -> Any:
    return new_context().new_page()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    # The live server runs in this process, so it shares the local-memory cache that counts login failures.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="package")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Any, Any]]:
    """Seed the demo once; on SQLite also keep a page-level copy of the seeded database.

    The live server makes every test transactional (the database is flushed after each one), and the
    full demo (a year of contact history, forecasts, ...) takes seconds to build: restoring the copy
    takes milliseconds. Other databases are seeded again for each test.
    """
    from django.db import connection

    from aspa.core.demo import demo_seed

    with django_db_blocker.unblock():
        context = demo_seed(seed=1)
        snapshot = None
        if connection.vendor == "sqlite":
            snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(snapshot)
        yield context, snapshot
        if snapshot is not None:
            snapshot.close()


@pytest.fixture
def demo(_seeded: tuple[Any, Any], transactional_db: None) -> Any:
    """The demo organisation of `make demo`, in the test database the live server reads."""
    from django.db import connection

    from aspa.core.demo import demo_seed

    context, snapshot = _seeded
    if snapshot is None:
        return context if _has_demo() else demo_seed(seed=1)
    if not _has_demo():
        snapshot.backup(connection.connection)
    return context


def _has_demo() -> bool:
    from aspa.org.models import Organisation

    return Organisation.objects.filter(slug="demo").exists()
