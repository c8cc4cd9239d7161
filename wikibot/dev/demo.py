"""`make demo`: install the templates, sync the sample data (list and statistics), print the URLs.

Runs the real scripts through ``pwb`` (as an admin would), reads their run reports and
prints the URL of every page they wrote. A second run makes no edit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path


def pwb(*args: str) -> None:
    """Run one pwb script from the repository root; stop the demo if it fails."""
    command = [str(Path(sys.executable).with_name("pwb")), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = (done.stdout + "\n" + done.stderr).splitlines()
        said = [line for line in lines if line.startswith(("error:", "refused:"))][:4]
        tail = said or [line for line in lines if line.strip()][-3:]
        if done.returncode == 3:  # refused by a safety check: most often a dev wiki holding other data
            tail.append("the dev wiki holds other pages than the demo's: `make devwiki-reset` starts over")
        print(
            f"demo: pwb {' '.join(args)} failed (exit {done.returncode}):", *tail, sep="\n  ", file=sys.stderr
        )
        raise SystemExit(1)


def url(title: str) -> str:
    """The dev wiki URL of a page."""
    port = os.environ.get("DEVWIKI_PORT") or "8181"
    return f"http://127.0.0.1:{port}/index.php?title={urllib.parse.quote(title.replace(' ', '_'))}"


def main() -> int:
    """Run the demo; return the exit code."""
    with tempfile.TemporaryDirectory() as tmp:
        templates_report = Path(tmp, "templates.json")
        sync_report = Path(tmp, "sync.json")
        pwb("install_templates", "-always", f"-report:{templates_report}")
        pwb("sync", "-always", f"-report:{sync_report}")
        templates = json.loads(templates_report.read_text())
        sync = json.loads(sync_report.read_text())
    source = sync["source"]
    print(f"demo: read {source['rows']} rows → {source['incidents']} incidents from {source['location']}")
    print("demo: list pages")
    for page in sync["pages"]:
        print(f"  {page['action']:>9}  {url(page['title'])}")
    stats = sync.get("stats")
    if stats:
        print("demo: statistics")
        countries = [stats["countries_page"]] if stats.get("countries_page") else []
        for title, action in (
            (stats["template"], stats["template_action"]),
            *((p["title"], p["action"]) for p in (stats["page"], *countries)),
            *((f["title"], f["action"]) for f in (stats["chart"], *stats.get("maps", []))),
        ):
            print(f"  {action:>9}  {url(title)}")
    print("demo: templates")
    for title, action in templates["templates"].items():
        print(f"  {action:>9}  {url(title)}")
    edits = sync["edits"] + templates["edits"]
    print(
        f"demo: {edits} edits, {sync.get('uploads', 0)} uploads"
        + (" (nothing had changed)" if edits == 0 else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
