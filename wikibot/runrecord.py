"""What the last run left on each wiki, in one small JSON file beside the run lock.

    {"version": 1, "wikis": {"<site>|<index title>": {"key": …, "revisions": {title: revid}, "ids": {…}}}}

- ``key``: the digest of everything that decides what a run writes — the source's bytes and how
  they are read, the settings, the bot's code and shipped data, the versions of the libraries
  that shape its output (``run_key``).
- ``revisions``: the latest revision of every page the run read or saved, as it left them (a
  page that did not exist: null).  Written only after a run that ended well (exit 0, not
  simulated, not stopped).
- ``ids``: the incidents the wiki knows under another id than their content id
  (``identity.Identity.ids``), so that the next full run renders them under their wiki ids.

Never trusted over the pages: a run ends early ("nothing changed") only when the key is the
same and the wiki says, in one batched request, that every recorded page is still at its
recorded revision.  Anything else — a new revision by anyone, a new source, another version of
the bot or of a library — takes the full path.  An unreadable or foreign file is ignored with a
one-line warning; a file that cannot be written costs the next run its shortcut, nothing else.
JSON only: nothing in it is code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

VERSION = 1
# The libraries whose versions shape what the bot reads or writes.
LIBRARIES = (
    "babel",
    "pycountry",
    "rapidfuzz",
    "mwparserfromhell",
    "pywikibot",
    "PyYAML",
    "openpyxl",
    "matplotlib",
)
CODE_SUFFIXES = (".py", ".yaml", ".json", ".csv", ".wiki", ".lua")


@functools.cache
def code_digest() -> str:
    """The digest of the bot's code and shipped data, and of the versions of its libraries."""
    digest = hashlib.sha256(tree_digest(Path(__file__).resolve().parent).encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-;".encode())
    return digest.hexdigest()[:16]


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


def run_key(source_digest: str, *decided_by: object) -> str:
    """The key of a run: the source's bytes (digest), what else decides the output (the
    settings, how the source is read, what the run does), the bot's code and libraries."""
    digest = hashlib.sha256(source_digest.encode())
    digest.update(repr(decided_by).encode())
    digest.update(code_digest().encode())
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Entry:
    """One wiki's record."""

    key: str = ""
    revisions: Mapping[str, int | None] = field(default_factory=dict)
    ids: Mapping[str, str] = field(default_factory=dict)
    tracking: tuple[str, ...] = ()  # the wiki's tracking categories of the parser's limits


@dataclass(frozen=True)
class RunRecord:
    """The record of one wiki's list, in a JSON file shared by the wikis of a run lock."""

    path: Path
    wiki: str  # which wiki and list: "site|index title"

    @classmethod
    def at(cls, lock_file: str, wiki: str) -> RunRecord:
        """The record kept beside the run lock (``wikibot.lock`` → ``wikibot.run.json``)."""
        return cls(Path(lock_file).with_suffix(".run.json"), wiki)

    def _all(self) -> tuple[dict[str, object], str]:
        """Every wiki's entry, and a warning when the file is there but cannot be used."""
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}, ""
        except (OSError, ValueError) as exc:
            return {}, f"run record {self.path}: unreadable ({type(exc).__name__}); ignored"
        wikis = data.get("wikis") if isinstance(data, dict) else None
        if not isinstance(wikis, dict) or data.get("version") != VERSION:
            return {}, f"run record {self.path}: not a version {VERSION} run record; ignored"
        return dict(wikis), ""

    def load(self) -> tuple[Entry, str]:
        """This wiki's entry (empty when there is none) and a warning, if any."""
        wikis, warning = self._all()
        raw = wikis.get(self.wiki)
        if raw is None:
            return Entry(), warning
        try:
            assert isinstance(raw, dict)
            revisions = {str(t): (None if r is None else int(r)) for t, r in dict(raw["revisions"]).items()}
            ids = {str(k): str(v) for k, v in dict(raw.get("ids", {})).items()}
            tracking = tuple(str(name) for name in raw.get("tracking", []))
            return Entry(str(raw["key"]), revisions, ids, tracking), warning
        except (AssertionError, KeyError, TypeError, ValueError, AttributeError):
            return (
                Entry(),
                warning or f"run record {self.path}: the entry of {self.wiki} is malformed; ignored",
            )

    def save(self, entry: Entry) -> str:
        """Keep this wiki's entry (the others as they are); a warning when it cannot be written."""
        wikis, _ = self._all()
        wikis[self.wiki] = {
            "key": entry.key,
            "revisions": dict(sorted(entry.revisions.items())),
            "ids": {k: v for k, v in sorted(entry.ids.items()) if k != v},
            "tracking": sorted(entry.tracking),
        }
        text = json.dumps({"version": VERSION, "wikis": wikis}, ensure_ascii=False, indent=1, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(text + "\n", "utf-8")
            tmp.replace(self.path)
        except OSError as exc:
            name = type(exc).__name__
            return f"run record {self.path}: not written ({name}); the next run takes the full path"
        return ""


def unchanged(
    entry: Entry,
    key: str,
    now: Mapping[str, int | None],
    embedded: frozenset[str] | None = frozenset(),
    over_limits: frozenset[str] = frozenset(),
) -> bool:
    """True when nothing a run depends on changed since the recorded one: the same key, every
    recorded page still at its recorded revision (``now``: the wiki's answer for the recorded
    titles), no page transcluding the inline template that the record does not hold
    (``embedded``; None: the wiki could not list them all), and none of the pages in a tracking
    category of the parser's limits (``over_limits``: a template they use grew since, with no
    new revision of theirs)."""
    if not entry.key or entry.key != key or not entry.revisions or embedded is None or over_limits:
        return False
    if any(now.get(title, -1) != revid for title, revid in entry.revisions.items()):
        return False
    return embedded <= entry.revisions.keys()
