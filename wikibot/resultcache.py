"""A small on-disk cache of results the bot can compute again, keyed by what they depend on.

Only a speed-up: a miss, an unreadable file or a file from another version of the bot costs the
computation it saves, never a wrong result — every key includes ``code_digest()``, the digest of
the bot's own code and data files, so a new version of the bot never reads an old result.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEEP = 8  # results kept per cache folder (the oldest go)


@functools.cache
def code_digest() -> str:
    """The digest of the bot's code and shipped data (what a cached result was computed by)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json", ".csv", ".wiki") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ResultCache:
    """Pickled results in one folder, one file per key (written by the bot for the bot only)."""

    folder: Path

    def get(self, key: str) -> Any:
        """The result stored under the key, or None."""
        try:
            with (self.folder / f"{key}.pickle").open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
            return None

    def put(self, key: str, value: Any) -> None:
        """Store a result (best effort: a cache that cannot be written is no cache)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f"{key}.tmp"
            with tmp.open("wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(self.folder / f"{key}.pickle")
            for old in sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
                old.unlink(missing_ok=True)
        except OSError:
            pass
