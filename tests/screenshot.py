"""Look at the dev wiki's pages in a real browser (Debian's Chromium, driven by Playwright).

    python -m tests.screenshot [TITLE ...]     (make screenshot)

For each page: count the list's table rows in the DOM, check that every image (the chart)
loaded, and save a full-page PNG under screenshots/ (git-ignored). Prints one line per page.
"""

from __future__ import annotations

import os
import shutil
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Look:
    """What the browser saw on one page."""

    title: str
    rows: int
    images: int
    images_loaded: int
    png: Path
    direction: str = ""  # the computed direction of the first table ("rtl" on an Arabic wiki)
    first_column_on_the_right: bool = False


def url(title: str, port: str | None = None) -> str:
    port = port or os.environ.get("DEVWIKI_PORT") or "8181"
    return f"http://127.0.0.1:{port}/index.php?title={urllib.parse.quote(title.replace(' ', '_'))}"


def look(titles: list[str], port: str | None = None) -> list[Look]:
    """Open each page in headless Chromium; count rows and loaded images; save a screenshot."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    looks = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for title in titles:
            page.goto(url(title, port), wait_until="load")
            rows = page.locator("table.wikitable tr[id]").count()
            images = page.locator("#mw-content-text img")
            loaded = page.evaluate(
                "() => [...document.querySelectorAll('#mw-content-text img')]"
                ".filter(i => i.complete && i.naturalWidth > 0).length"
            )
            png = SHOTS / (title.replace("/", "_").replace(" ", "_").replace("'", "") + ".png")
            page.screenshot(path=str(png), full_page=True)
            direction, right = page.evaluate(
                "() => { const t = document.querySelector('table.wikitable');"
                " if (!t) return ['', false];"
                " const cells = t.querySelectorAll('tr:first-child > th');"
                " const first = cells[0].getBoundingClientRect(), last = cells[cells.length - 1]"
                ".getBoundingClientRect();"
                " return [getComputedStyle(t).direction, first.left > last.left]; }"
            )
            looks.append(Look(title, rows, images.count(), int(loaded), png, str(direction), bool(right)))
        browser.close()
    return looks


def main(argv: list[str]) -> int:
    titles = argv or ["Liste des coupures d'Internet en 2024", "Statistiques des coupures d'Internet"]
    if not Path(CHROMIUM).exists():
        print("screenshot: Chromium is missing; run: apt-get install chromium", file=sys.stderr)
        return 1
    for seen in look(titles):
        images = f"{seen.images_loaded}/{seen.images} images loaded"
        print(f"{seen.title}: {seen.rows} table rows, {images} → {seen.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
