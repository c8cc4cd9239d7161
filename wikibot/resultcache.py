"""A small on-disk cache of results the bot can compute again, keyed by what they depend on.

Only a speed-up: a miss, an unreadable file or a file from another version of the bot costs the
computation it saves, never a wrong result — every key includes ``code_digest()``, the digest of
the bot's own code and data files, so a new version of the bot never reads an old result.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEEP = 8  # results kept per cache folder (the oldest go)


CODE_SUFFIXES = (".py", ".yaml", ".json", ".csv", ".wiki")


@functools.cache
def code_digest() -> str:
    """The digest of the bot's code and shipped data (what a cached result was computed by)."""
    return tree_digest(Path(__file__).resolve().parent)


def tree_digest(root: Path) -> str:
    """The digest of a folder's code and data files (names and contents; byte-code left out)."""
    found: list[str] = []  # paths relative to the package, "/"-separated
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        inside = Path(folder).relative_to(root).as_posix()
        found.extend(f"{inside}/{name}" for name in names if name.endswith(CODE_SUFFIXES))
    digest = hashlib.sha256()
    for relative in sorted(found):
        digest.update(relative.encode())
        with open(root / relative, "rb") as handle:
            digest.update(handle.read())
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
