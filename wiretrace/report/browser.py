"""How wiretrace drives a headless Chromium: the Debian browser, never a downloaded build.

One place for the executable path and launch flags shared by the end-to-end tests and the UI
benchmark, so both measure and check the same browser configuration.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

# Debian's `chromium` package; `playwright install` is never used (no browser downloads).
CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no update checks or other traffic leaving the machine
    "--disable-component-update",
    "--disable-sync",
)


def chromium_available() -> bool:
    """True when the Debian Chromium binary and Playwright for Python are both installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists()


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from a started `sync_playwright()` (close it when done)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
