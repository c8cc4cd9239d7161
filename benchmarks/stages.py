"""One stage of a sync alone, in a fresh process, on the combined sheet: prints its CPU seconds.

    python -m benchmarks.stages STAGE SOURCE WORKDIR

Stages: read-cold (read and normalize, no cache, in a process that has loaded what a sync has
loaded when it reads the source: pywikibot and the bot), read-cold-bare (the same in a process
that loaded the source readers only: the imports they share with pywikibot are counted too),
reference (Python's csv module alone reading
the sheet: no bot code, a yardstick of how fast the machine was),
link (rows of several years joined, content ids), match (every incident matched to rows the wiki
knows under other ids, one in fifty corrected), render (every row), holds (every page checked
against its plan: the no-op path), parse-merge (every page parsed and merged: an editor's note
on each page keeps the no-op path from taking it).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from wikibot import identity, plan, settings
from wikibot.sources import SourceSpec, read_source

TODAY = dt.date(2026, 1, 1)


def cpu(work) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    work()
    return time.process_time() - start


def main(stage: str, source: str, workdir: str) -> float:
    if stage == "reference":  # no bot code: how fast the machine was when the stages ran
        import csv
        import io

        data = Path(source).read_bytes()
        return cpu(lambda: list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))))
    if stage in ("read-cold", "read-cold-bare"):
        if stage == "read-cold":
            import wikibot.commands  # noqa: F401  what a sync has loaded when it reads the source
        with tempfile.TemporaryDirectory() as empty:
            return cpu(lambda: read_source(SourceSpec(source, cache_dir=Path(empty) / "http")))
    cached = SourceSpec(source, cache_dir=Path(workdir) / "stages" / "http")
    if stage == "link":
        rows: list = []  # type: ignore[type-arg]
        original = identity.link_years
        identity.link_years = lambda r, apart=None: rows.extend(r) or original(r, apart)  # type: ignore[assignment,func-returns-value]
        with tempfile.TemporaryDirectory() as empty:
            read_source(SourceSpec(source, cache_dir=Path(empty) / "http"))
        identity.link_years = original
        return cpu(lambda: identity.content_ids(identity.link_years(rows), "kio-"))
    result = read_source(cached)
    config = settings.load("devwiki")
    if stage == "match":
        fields = plan.shown_fields(config)
        wiki = {f"w{n}": identity.Key.of(i, fields) for n, i in enumerate(result.incidents)}
        incidents = [
            replace(i, start=i.start + dt.timedelta(days=1)) if n % 50 == 0 else i
            for n, i in enumerate(result.incidents)
        ]
        return cpu(lambda: identity.match(incidents, wiki, wiki, None, fields))
    if stage == "render":
        return cpu(lambda: plan.rendered_rows(result, config))
    plans = [p for p in plan.plans(result, config, TODAY) if p.kind == "year"]
    texts = {p.title: p.new_text() for p in plans}
    if stage == "holds":
        return cpu(lambda: [p.holds(texts[p.title]) for p in plans])
    if stage == "parse-merge":
        noted = {t: text.replace("\n}}", "\n|note=x\n}}", 1) for t, text in texts.items()}
        return cpu(lambda: [p.apply(noted[p.title]) for p in plans])
    raise SystemExit(f"stages: unknown stage {stage!r}")


if __name__ == "__main__":
    print(f"{sys.argv[1]} {main(*sys.argv[1:4]):.4f}")
