"""Debian's headless Chromium, driven by selenium through Debian's chromedriver, for the tests
that look at a page (the Dagster UI, the weekly report)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # the graph draws only the nodes in view: show them all (the core group and every table
    # downstream of it: 2400 px high no longer held them at 54 tables)
    "--window-size=2400,4000",
]


def missing_browser() -> str | None:
    """Why headless Chromium cannot be driven here, or None when it can."""
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        return (
            "headless Chromium is not installed (Debian: apt-get install chromium "
            "chromium-driver; `make test` does this when run as root)"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@contextmanager
def chromium() -> Iterator:
    """Debian's headless Chromium, driven by selenium through Debian's chromedriver; quit, and
    its profile directory removed, afterwards (each left ~13 MB in /tmp)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors, for tests
    try:
        browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            yield browser
        finally:
            browser.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
