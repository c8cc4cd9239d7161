"""Look at the dev wikis' pages in a real browser (Debian's Chromium, driven by Playwright).

    python -m tests.screenshot                 (make screenshot: fr, en and ar)
    python -m tests.screenshot TITLE ...       (pages of the French dev wiki)

``make screenshot`` syncs the sample onto each dev wiki (fr, en, ar; a wiki holding other data
is shot as it is), then opens a year page and the statistics page of each at desktop width
(1400 px) and phone width (390 px).  For each: count the list's table rows in the DOM, check
that every image (the chart, the map) loaded, and save a PNG under screenshots/ (git-ignored).
Prints one line per page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from wikibot import settings

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


PHONE = {"width": 390, "height": 844}  # a phone's viewport (CSS pixels)
DESKTOP = {"width": 1400, "height": 900}
WIKIS = (("fr", "devwiki", "8181"), ("en", "devwiki-en", "8182"), ("ar", "devwiki-ar", "8183"))


def purge(title: str, port: str | None = None) -> None:
    """Ask the wiki to render a page again (the API's purge, as any reader may)."""
    import requests

    api = url(title, port).split("index.php")[0] + "api.php"
    requests.post(api, data={"action": "purge", "titles": title, "format": "json"}, timeout=120)


def look(
    titles: list[str], port: str | None = None, viewport: dict[str, int] | None = None, name: str = ""
) -> list[Look]:
    """Open each page in headless Chromium; count rows and loaded images; save a screenshot
    (the whole page, or its first 3,000 px for a long list)."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    looks = []
    viewport = viewport or DESKTOP
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport=viewport)
        for title in titles:
            purge(title, port)  # the page as its templates render it now, not an older cached copy
            page.goto(url(title, port), wait_until="load")
            rows = page.locator("table.wikitable tr[id]").count()
            images = page.locator("#mw-content-text img")
            loaded = page.evaluate(
                "() => [...document.querySelectorAll('#mw-content-text img')]"
                ".filter(i => i.complete && i.naturalWidth > 0).length"
            )
            stem = title.replace("/", "_").replace(" ", "_").replace("'", "")
            png = SHOTS / (f"{name}-{stem}.png" if name else f"{stem}.png")
            height = page.evaluate("() => document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": viewport["width"], "height": min(height, 3000)}
            page.screenshot(path=str(png), full_page=True, clip=clip)
            direction, right = page.evaluate(
                "() => { const t = document.querySelector('table.wikitable');"
                " if (!t) return ['', false];"
                " const cells = t.querySelector('tr').querySelectorAll('th');"
                " const first = cells[0].getBoundingClientRect(), last = cells[cells.length - 1]"
                ".getBoundingClientRect();"
                " return [getComputedStyle(t).direction, first.left > last.left]; }"
            )
            looks.append(Look(title, rows, images.count(), int(loaded), png, str(direction), bool(right)))
        browser.close()
    return looks


def sync_sample(profile: str) -> None:
    """Install the templates and sync the sample onto a dev wiki (a wiki holding other data stays)."""
    pwb = Path(sys.executable).with_name("pwb")
    for script in ("install_templates", "sync"):
        done = subprocess.run(
            [str(pwb), script, f"-settings:{profile}", "-always"], cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode not in (0, 3):
            print(f"screenshot: pwb {script} -settings:{profile} failed: {done.stderr.strip()[-300:]}")


def main(argv: list[str]) -> int:
    if not Path(CHROMIUM).exists():
        print("screenshot: Chromium is missing; run: apt-get install chromium", file=sys.stderr)
        return 1
    wanted = [("fr", "devwiki", "8181", argv)] if argv else []
    for lang, profile, default_port in () if argv else WIKIS:
        port = os.environ.get({"fr": "DEVWIKI_PORT", "en": "DEVWIKI_EN_PORT", "ar": "DEVWIKI_AR_PORT"}[lang])
        config = settings.load(profile)
        assert config.stats is not None
        sync_sample(profile)
        titles = [config.list.page_title(2024), config.stats.page]
        wanted.append((lang, profile, port or default_port, titles))
    for lang, _, port, titles in wanted:
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            for seen in look(titles, port, viewport, f"{lang}-{width}"):
                images = f"{seen.images_loaded}/{seen.images} images loaded"
                print(f"{lang} {width}: {seen.title}: {seen.rows} table rows, {images} → {seen.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
