"""A real browser for tests: Debian's Chromium driven by Python Playwright.

Playwright cannot download its own browsers here, so tests drive /usr/bin/chromium
(CI installs Debian's ``chromium`` package). Without it, browser tests skip locally
and fail under CI=true, as PostgreSQL's do (tests/databases.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("WAYFINDER_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI and these machines run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> Path:
    """The browser, or a skip (locally) or failure (under CI) saying why there is none."""
    if not CHROMIUM.is_file():
        message = f"no Chromium at {CHROMIUM} (Debian's 'chromium' package; or set WAYFINDER_TEST_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run the browser tests")
        pytest.skip(message)
    return CHROMIUM


@contextmanager
def launched_browser() -> Iterator[object]:
    """A headless Chromium for a test session; close it on exit."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
