"""A human editor on the dev wiki, through the plain MediaWiki API (the admin account).

The bot is tested through real pywikibot; this client plays the *other* side — a person
editing pages between two bot runs — and reads rendered HTML with action=parse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]


class Editor:
    """Logged in as the dev wiki's admin, a different user from the bot."""

    def __init__(self, api: str, wiki_dir: str = ".devwiki") -> None:
        self.api = api
        self.http = requests.Session()
        accounts = json.loads((ROOT / wiki_dir / "accounts.json").read_text())
        token = self.get(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        result = self.post(
            action="clientlogin",
            username=accounts["admin"]["user"],
            password=accounts["admin"]["password"],
            logintoken=token,
            loginreturnurl="http://127.0.0.1/",
        )
        assert result["clientlogin"]["status"] == "PASS", result

    def get(self, **params: Any) -> dict[str, Any]:
        response = self.http.get(
            self.api, params={**params, "format": "json", "formatversion": 2}, timeout=60
        )
        response.raise_for_status()
        return dict(response.json())

    def post(self, **data: Any) -> dict[str, Any]:
        response = self.http.post(self.api, data={**data, "format": "json", "formatversion": 2}, timeout=120)
        response.raise_for_status()
        return dict(response.json())

    def text(self, title: str) -> str:
        """The current wikitext of a page ('' if missing)."""
        page = self.get(action="query", prop="revisions", titles=title, rvprop="content", rvslots="main")
        page = page["query"]["pages"][0]
        return "" if page.get("missing") else str(page["revisions"][0]["slots"]["main"]["content"])

    def latest(self, title: str) -> dict[str, Any]:
        """The latest revision's id and user."""
        page = self.get(action="query", prop="revisions", titles=title, rvprop="ids|user")["query"]["pages"][
            0
        ]
        return dict(page["revisions"][0])

    def edit(self, title: str, text: str, summary: str = "editor's change") -> None:
        """Save a page as the editor."""
        token = self.get(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        result = self.post(action="edit", title=title, text=text, summary=summary, token=token)
        assert result.get("edit", {}).get("result") == "Success", result

    def html(self, title: str) -> str:
        """The rendered HTML of a page."""
        return str(self.get(action="parse", page=title, prop="text")["parse"]["text"])

    def rendered(self, title: str) -> tuple[str, dict[str, tuple[float, float]], set[str]]:
        """A page parsed afresh (purged first, its links and categories updated): its HTML, its
        limit report (name → (used, limit)) and its categories (hidden ones included)."""
        self.post(action="purge", titles=title, forcelinkupdate=1)
        parsed = self.post(action="parse", page=title, prop="text|limitreportdata|categories")["parse"]
        limits = {
            str(item["name"]): (float(item["0"]), float(item["1"]))
            for item in parsed["limitreportdata"]
            if isinstance(item.get("1"), int | float | str) and str(item.get("1")).replace(".", "").isdigit()
        }
        categories = {str(c["category"]).replace("_", " ") for c in parsed["categories"]}
        return str(parsed["text"]), limits, categories
