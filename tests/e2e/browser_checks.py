"""What the browser tests share: axe-core's serious findings on a page, and screenshots for people.

Screenshots go to ``$PORTAL_SCREENSHOTS`` when it is set (a folder a person will look at, e.g.
after a change to the CSS); otherwise none are written.
"""
from __future__ import annotations

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on ``page``, a line each: rule, impact, help, first targets."""
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in violations if v.get("impact") in ("serious", "critical")]


def screenshot(page, name: str, full_page: bool = True) -> None:
    """Save ``page`` as ``<name>.png`` under ``$PORTAL_SCREENSHOTS``, when it is set."""
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)
