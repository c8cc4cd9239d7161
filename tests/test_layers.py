"""The shape of the code: the pure core loads no network code; only the shell imports pywikibot."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = [
    "wikibot.render",
    "wikibot.listpage",
    "wikibot.plan",
    "wikibot.stats",
    "wikibot.l10n",
    "wikibot.safety",
    "wikibot.checks",
    "wikibot.export",
    "wikibot.identity",
    "wikibot.runner",
    "wikibot.runreport",
    "wikibot.cli",
    "wikibot.settings",
    "wikibot.worldmap",
]
NETWORK = ("pywikibot", "requests", "cachecontrol", "tenacity", "urllib3", "mwclient")
SHELL = {"wikibot/bot.py", "wikibot/commands.py"}  # and the pywikibot family files


@pytest.mark.parametrize("module", PURE)
def test_importing_a_core_module_loads_no_network_code(module: str) -> None:
    code = f"import sys, {module}\nprint(sorted(m for m in sys.modules if m.split('.')[0] in {NETWORK!r}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_only_the_shell_imports_pywikibot() -> None:
    importers = set()
    for path in sorted((ROOT / "wikibot").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        if relative.startswith("wikibot/families/"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] == "pywikibot" for n in names):
                importers.add(relative)
    assert importers == SHELL
