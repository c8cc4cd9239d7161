"""What the last run learnt of the wiki's ids, kept in a local file to spare the next run a parse.

The wiki is the memory of ids; this file only remembers which source incident the wiki knows
under another id than its content id (``identity.Identity.ids``), so that the next run can
render those rows under their wiki ids and find, by plain comparison, that nothing changed.
It is never trusted: a page that does not hold what the remembered ids render is parsed and
matched again.  A missing or unreadable file costs one parse, nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IdMemory:
    """The remembered ids of one wiki's list, in a JSON file shared by the wikis of a run lock."""

    path: Path
    key: str  # which wiki and list: "site|index title"

    @classmethod
    def at(cls, lock_file: str, key: str) -> IdMemory:
        """The memory kept beside the run lock (``wikibot.lock`` → ``wikibot.ids.json``)."""
        return cls(Path(lock_file).with_suffix(".ids.json"), key)

    def _all(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self) -> dict[str, str]:
        """Content id → wiki id, for the incidents the wiki knows under another id."""
        entry = self._all().get(self.key, {})
        return {str(k): str(v) for k, v in entry.items()} if isinstance(entry, dict) else {}

    def save(self, ids: Mapping[str, str]) -> None:
        """Remember the ids that differ from the content ids (the file is left alone when unchanged)."""
        differing = {k: v for k, v in sorted(ids.items()) if k != v}
        data = self._all()
        if data.get(self.key, {}) == differing:
            return
        data[self.key] = differing
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
            tmp.replace(self.path)
        except OSError:
            pass  # only a speed-up: the next run matches again
