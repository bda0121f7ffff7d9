"""Browser tests drive Debian's chromium with Playwright against the running platform."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from portal.demo import DEMO_PASSWORD

CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium() -> str | None:
    found = next((path for path in CANDIDATES if os.path.exists(path)), None)
    return found or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system's chromium (Playwright's own download is not used)."""
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": executable, "args": FLAGS}


@pytest.fixture
def form_sign_in(gateway_url: str) -> Callable[[Page, str, str], None]:
    """Sign a page in through the portal's form, then land on ``next_path``.

    (The root ``sign_in`` fixture signs in through the API and returns Authorization headers.)
    """

    def go(page: Page, email: str, next_path: str) -> None:
        page.goto(f"{gateway_url}/login?next={next_path}")
        page.locator("#email").fill(email)
        page.locator("#password").fill(DEMO_PASSWORD)
        page.locator("form[action='/login'] button[type=submit]").click()
        page.wait_for_url(f"{gateway_url}{next_path}*")

    return go
