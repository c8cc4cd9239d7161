"""benchmarks/README.md, written from benchmarks/results/latest.json and nothing else.

    python -m benchmarks.report [results.json]     (make bench runs it after measuring)

Every figure in the README comes from the JSON `make bench` wrote: the date, the machine, each
scenario's runs (min / median / max), the targets and whether they hold.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 1.0  # a whole-process no-op within the wall time of a whole-process bare batched read
BYTES_LIMIT = 0.05  # and receiving at most 5 % of the bytes that read receives
READ_LIMIT = 0.15  # CPU seconds to read and normalize the combined sheet
MATCH_LIMIT = 0.1  # CPU seconds to link and match it

PREFACE = """# Benchmarks

`make bench` (not part of `make test`; about half an hour) syncs the combined STOP sheet from
`../shared/data` (2,102 rows, ten year pages and the index) onto the dev wiki, runs every
scenario {runs} times and writes `benchmarks/results/latest.json`; this page is generated from that
file by `benchmarks/report.py` — no figure here is typed by hand. Every wiki request goes through
a counting proxy on 127.0.0.1 (`tests/faultproxy.py`, no fault); every process is measured whole
(`os.wait4`: wall clock, its CPU time, peak RSS), start-up, imports and reading the source
included, as a cron run pays them — each started by a small process of its own
(`benchmarks/measured.py`), since Linux reports a child's peak RSS as at least its parent's.
The bot's byte-code is compiled first, as an installation has it after its first run (this
machine sets PYTHONDONTWRITEBYTECODE: no run would write it).

- **first sync**: `pwb sync_incidents` into pages that do not exist yet (a new set each run).
- **no-op sync**: the same again; nothing changed (the run record answers: one request for the
  pages' latest revisions, no page read). Run side by side ({pair_runs} times each: their
  ratio and the bytes each receives from the wiki are the targets) with
- **bare batched read (the limit)**: `benchmarks/bare_read.py`, a Python process that imports
  pywikibot, logs in and reads the same pages in one batch, nothing else.
- **one changed incident**: one incident's end date moved by a day, then back, alternately.
- **naive bot** (`benchmarks/naive_bot.py`): regenerates every page whole, reads it, saves it
  when the text differs — the best simple bot (editors' additions would be lost, but it does
  not save an unchanged page).
- **stages, each in a fresh process**: reading and normalizing the sheet with no cache (a
  changed sheet) — in a process that has loaded what a sync has loaded when it reads (pywikibot
  and the bot), and in one that loaded the source readers only, so that the imports the readers
  share with pywikibot are counted too —, linking its rows across years,
  matching every incident to rows the wiki knows under other ids, rendering every row, checking
  every page against its plan (the no-op path), and parsing and merging every page (a page the
  no-op path cannot take). Beside them a yardstick with no bot code in it (Python's csv module
  parsing the sheet): on this shared machine the same code took up to 1.5 times as long from one
  hour to the next, and the yardstick shows how fast it was when the stages ran.
- **growth**: the sheet ×1, ×2, ×5, ×10 (copy k shifted 10·k years: more year pages of the
  same size, as the list grows).
"""


def figures(values: list[float]) -> tuple[float, float, float]:
    """Min, median, max."""
    return min(values), statistics.median(values), max(values)


def cell(values: list[float], digits: int = 2) -> str:
    low, mid, high = figures(values)
    return f"{mid:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def scenario_rows(data: dict[str, Any]) -> list[str]:
    rows = [
        "| scenario | runs | wall s | CPU s | peak RSS MB | requests | kB received | edits |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in data["scenarios"].items():
        walls, cpus = [r["wall_s"] for r in runs], [r["cpu_s"] for r in runs]
        rss = max(r["peak_rss_mb"] for r in runs)
        requests = sorted({r["requests"] for r in runs})
        edits = sorted({r["edits"] for r in runs})
        rows.append(
            f"| {name} | {len(runs)} | {cell(walls)} | {cell(cpus)} | {rss:.0f} | "
            f"{'–'.join(map(str, requests[:1] + requests[-1:] if len(requests) > 1 else requests))} | "
            f"{statistics.median(r.get('received', 0) for r in runs) / 1000:,.0f} | "
            f"{'–'.join(map(str, edits[:1] + edits[-1:] if len(edits) > 1 else edits))} |"
        )
    return rows


def ratio(data: dict[str, Any]) -> float:
    """Median whole-process no-op wall over median bare read wall."""
    noop = statistics.median(r["wall_s"] for r in data["scenarios"]["no-op sync"])
    bare = statistics.median(r["wall_s"] for r in data["scenarios"]["bare batched read (the limit)"])
    return float(noop / bare)


def targets(data: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, what was measured, holds?)."""
    stages = data["in_process_cpu_s"]
    noop = data["scenarios"]["no-op sync"]
    bare = data["scenarios"]["bare batched read (the limit)"]
    first = data["scenarios"]["first sync (empty wiki)"]
    naive_idle = data["scenarios"]["naive bot, nothing changed"]
    noop_requests = max(r["requests"] for r in noop)
    bare_requests = max(r["requests"] for r in bare)
    noop_bytes = statistics.median(r.get("received", 0) for r in noop)
    bare_bytes = statistics.median(r.get("received", 0) for r in bare) or 1
    read_cold = statistics.median(stages["read-cold"])
    read_bare = statistics.median(stages["read-cold-bare"]) if "read-cold-bare" in stages else read_cold
    link_match = statistics.median(stages["link"]) + statistics.median(stages["match"])
    pages = {len(p) for p in data["one_change"]["pages_edited"]}
    growth = data["growth"]
    linear = growth_linearity(growth)
    return [
        (
            f"whole-process no-op ≤ {LIMIT} × bare batched read (medians)",
            f"{ratio(data):.2f} ({statistics.median(r['wall_s'] for r in noop):.2f} s against "
            f"{statistics.median(r['wall_s'] for r in bare):.2f} s)",
            ratio(data) <= LIMIT,
        ),
        (
            "no-op: 0 edits",
            f"{max(r['edits'] for r in noop)} edits at most",
            max(r["edits"] for r in noop) == 0,
        ),
        (
            "no-op: no request beyond the batched read",
            f"{noop_requests} requests at most, the bare read {bare_requests}",
            noop_requests <= bare_requests,
        ),
        (
            f"no-op: ≤ {BYTES_LIMIT:.0%} of the bytes the bare read receives from the wiki (medians)",
            f"{noop_bytes:,.0f} bytes against {bare_bytes:,.0f} ({noop_bytes / bare_bytes:.2%})",
            noop_bytes <= BYTES_LIMIT * bare_bytes,
        ),
        (
            f"source read ≤ {READ_LIMIT} s CPU for a changed sheet",
            f"{read_cold:.3f} s as a sync reads it; {read_bare:.3f} s in a process that loaded the "
            "readers only",
            max(read_cold, read_bare) <= READ_LIMIT,
        ),
        (f"linking + matching ≤ {MATCH_LIMIT} s CPU", f"{link_match:.3f} s", link_match <= MATCH_LIMIT),
        ("one changed incident: exactly 1 page edited", f"{sorted(pages)} pages", pages == {1}),
        (
            "first sync: every page created",
            f"{sorted({r['edits'] for r in first})} edits",
            len({r["edits"] for r in first}) == 1,
        ),
        (
            "naive bot, nothing changed: saves counted",
            f"{sorted({r['edits'] for r in naive_idle})} saves",
            True,
        ),
        ("cost grows linearly with the data (×10)", linear[0], linear[1]),
    ]


def growth_linearity(growth: dict[str, Any]) -> tuple[str, bool]:
    """Median wall per factor, relative to ×1; linear when no stage grows faster than the data."""
    base = growth.get("1")
    if not base or len(growth) < 2:  # ×1 alone says nothing about growth
        return "not measured in this run (--growth gave ×1 only)", False
    parts, holds = [], True
    for factor, runs in growth.items():
        scale = int(factor)
        ratios = []
        for kind in ("first", "noop", "change"):
            value = statistics.median(r["wall_s"] for r in runs[kind])
            reference = statistics.median(r["wall_s"] for r in base[kind])
            ratios.append(value / reference)
            holds = holds and value / reference <= scale * 1.25
        parts.append(f"×{factor}: " + " / ".join(f"{r:.1f}" for r in ratios))
    return "first / no-op / change relative to ×1 — " + "; ".join(parts), holds


def growth_rows(growth: dict[str, Any]) -> list[str]:
    rows = [
        "| data | first sync wall s | CPU s | requests | no-op wall s | CPU s | one change wall s | CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for factor, runs in growth.items():
        f, n, c = runs["first"], runs["noop"], runs["change"]
        rows.append(
            f"| ×{factor} | {cell([r['wall_s'] for r in f])} | {cell([r['cpu_s'] for r in f])} | "
            f"{statistics.median(r['requests'] for r in f):.0f} | {cell([r['wall_s'] for r in n])} | "
            f"{cell([r['cpu_s'] for r in n])} | {cell([r['wall_s'] for r in c])} | "
            f"{cell([r['cpu_s'] for r in c])} |"
        )
    return rows


def stage_rows(stages: dict[str, list[float]]) -> list[str]:
    names = {
        "reference": "yardstick, no bot code: Python's csv module alone parses the sheet",
        "read-cold": "read and normalize the sheet, no cache (a changed sheet), as a sync reads it",
        "read-cold-bare": "the same in a process that loaded the source readers only",
        "link": "link rows across years, content ids",
        "match": "match every incident to the wiki's rows (1 in 50 corrected)",
        "render": "render every row",
        "holds": "check every page against its plan (the no-op path)",
        "parse-merge": "parse and merge every page",
    }
    rows = ["| stage (fresh process) | CPU s: median (min–max) |", "|---|---:|"]
    rows += [f"| {names.get(k, k)} | {cell(v, 3)} |" for k, v in stages.items()]
    return rows


def readme(data: dict[str, Any]) -> str:
    """The whole benchmarks README."""
    change = data["one_change"]
    lines = [
        PREFACE.format(runs=data["runs"], pair_runs=data.get("pair_runs", data["runs"])).rstrip(),
        "",
        f"## Latest figures — {data['date']}",
        "",
        f"Machine: {data['machine']}. Source: `{Path(data['source']).name}`. Each cell: median (min–max) "
        f"of the scenario's runs ({data['runs']} for the stages and the growth).",
        "",
        *scenario_rows(data),
        "",
        f"One changed incident: {change['bytes_changed']} bytes changed on the page of {change['year']} "
        "(the lines that differ between its last two revisions).",
        "",
        *stage_rows(data["in_process_cpu_s"]),
        "",
        "### Growth",
        "",
        *growth_rows(data["growth"]),
        "",
        "## Targets",
        "",
        "| target | measured | holds? |",
        "|---|---|---|",
    ]
    lines += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in targets(data)]
    return "\n".join(lines) + "\n"


def summary(data: dict[str, Any]) -> str:
    """A few lines for the terminal."""
    return "\n".join(f"{'ok ' if ok else 'NO '} {t}: {m}" for t, m, ok in targets(data))


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else ROOT / "benchmarks" / "results" / "latest.json"
    data = json.loads(source.read_text("utf-8"))
    (ROOT / "benchmarks" / "README.md").write_text(readme(data), "utf-8")
    print(summary(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
