"""The soak: months of cron in minutes, on a dev wiki of its own, with every invariant checked each cycle.

    .venv/bin/python -m tests.soak --seed N --cycles N [--years 2023-2025|all] [--out DIR]
                                   [--missing keep|mark|remove] [--faults 0.5] [--port 8190]
                                   [--bot-dir DIR] [--no-cold] [--reset] [--sabotage KIND]
    make soak [SEED=1] [CYCLES=20] [YEARS=2023-2025|all]

Seeded and replayable: one ``random.Random(seed)`` draws every operation, and the same seed draws
the same operations (the seed and each cycle's operations are printed).  The bot runs as cron
runs it — ``pwb sync -always`` subprocesses in a working folder of their own — against the soak's
dev wiki (``.devwiki-soak/``, port 8190: never the integration tests' 8181–8183), reading a sheet
the soak serves over HTTP from the combined STOP sheet in ../shared/data (its three latest years
by default).  Cycle 0 syncs the sheet as it is; then each cycle:

a. 1–3 evolutions of the sheet (``tests.soak_source``): rows shuffled, an ongoing shutdown's area
   reworded in a later year, a start date moved by a day, an area respelled, a multi-country cell
   reordered, a twin inserted, a new shutdown, an ongoing one ended, a row removed, a carry-over
   row added — most often on the shutdowns whose rows editors removed or corrected;
b. 0–3 editors' actions on the year pages as the wiki's admin (``tests.soak_editors``): a note
   parameter, a corrected value, a paragraph, a hand row, a removed bot row, a <ref>, or a burst of
   12–16 paragraph edits on one page;
c. now and then one fault, with a sync under it: the bot killed at a random moment, the run record
   or the HTTP cache spoiled, .cache deleted or made a plain file, 503s or timeouts through
   ``tests/faultproxy.py``, an edit conflict (an editor saving the page the bot is saving);

then two clean syncs and a third one "cold" (the run record deleted: the full path, which must
find nothing to do either), all through a counting proxy, and the invariants of
``tests.soak_checks``.  Each cycle's log goes to ``--out`` (``cycle-NNN.json``), the run's summary
to ``summary.json`` and, between ``<!-- soak:begin -->`` and ``<!-- soak:end -->``, to README.md.
Exit 1 when any invariant was broken.

``--sabotage KIND`` (``tests.soak_sabotage``) breaks one invariant by hand in the last cycle, as a
misbehaving bot would, and exits 0 only when the checks report it: each check can fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import mwparserfromhell
import yaml

from tests.faultproxy import FaultProxy
from tests.soak_checks import (
    Figures,
    Seen,
    Violation,
    YearPage,
    check_figures,
    check_pages,
    check_syncs,
    check_talk,
    expected_rows,
    read_year_page,
)
from tests.soak_editors import EditorOp, EditorRecord, Editors, Templates, choose_kind, template_key
from tests.soak_sabotage import SABOTAGES, Sabotage
from tests.soak_source import EVOLUTIONS, Evolution, Sheet, first_reading, read_years
from tests.soak_wiki import (
    FAST_RETRIES,
    ROOT,
    SOAK_DIR,
    WIKI_DIR,
    Bot,
    SourceServer,
    SyncRun,
    cache_as_file,
    delete_cache,
    spoil_http_cache,
    spoil_record,
    start_wiki,
    write_profile,
    write_user_config,
)
from tests.wikiclient import Editor

SHEET = ROOT.parent / "shared" / "data" / "keepiton_stop" / "keepiton_stop_combined_2016-2025.derived.csv"
FAULTS = ("kill", "spoil_record", "spoil_http", "delete_cache", "cache_file", "503", "timeout", "conflict")
BEGIN, END = "<!-- soak:begin -->", "<!-- soak:end -->"


@dataclass(frozen=True)
class Fault:
    """The cycle's fault, what it did, and the sync that ran under it."""

    kind: str
    detail: str
    run: SyncRun | None


@dataclass
class Cycle:
    """One cycle's log."""

    number: int
    operations: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # "source:move_start", "editor:remove_row", …
    fault: Fault | None = None
    syncs: list[SyncRun] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    rows: dict[int, int] = field(default_factory=dict)  # bot rows per year page
    wall: float = 0.0

    def log(self) -> dict[str, Any]:
        return {
            "cycle": self.number,
            "operations": self.operations,
            "fault": None
            if self.fault is None
            else {
                "kind": self.fault.kind,
                "detail": self.fault.detail,
                "sync": self.fault.run.summary() if self.fault.run else None,
            },
            "syncs": [run.summary() for run in self.syncs],
            "violations": [asdict(v) for v in self.violations],
            "bot_rows": self.rows,
            "wall_s": round(self.wall, 1),
        }


class Soak:
    """The soak's state: the sheet, the editors, what it has seen, the bot and its wiki."""

    def __init__(
        self, args: argparse.Namespace, header: list[str], rows: list[dict[str, str]], years: list[int]
    ) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.sheet = Sheet(header, first_reading(rows), years)
        self.record = EditorRecord()
        self.seen = Seen()
        self.bot_dir = Path(args.bot_dir).resolve()
        api = start_wiki(args.port, reset=args.reset)
        write_user_config(self.bot_dir)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        self.prefix = f"Soak {args.seed} {stamp}"
        self.work = SOAK_DIR / f"run-{args.seed}-{stamp}"
        self.work.mkdir(parents=True)
        for old in sorted(SOAK_DIR.glob("run-*"), key=lambda p: p.stat().st_mtime)[:-5]:
            shutil.rmtree(old, ignore_errors=True)  # the working folders of older runs (their .cache)
        self.server = SourceServer()
        self.server.publish(self.sheet.csv_bytes())
        profile = write_profile(self.work, self.prefix, self.server.url, args.missing)
        self.proxy = FaultProxy(f"http://127.0.0.1:{args.port}")
        # a client that gave up on an answer (a fault, a kill) is no news: no traceback from the proxy
        self.proxy.server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.bot = Bot(self.work, profile, self.proxy, self.bot_dir)
        self.bot.install_templates(args.port)
        self.client = Editor(api, str(WIKI_DIR.relative_to(ROOT)))
        settings = yaml.safe_load(profile.read_text("utf-8"))
        lst = settings["list"]
        self.names = Templates(
            row=lst["templates"]["row"],
            header=lst["templates"]["header"],
            footer=lst["templates"]["footer"],
            id_param=lst["params"]["id"],
            description=lst["params"]["description"],
            missing=lst["params"]["missing"],
        )
        self.index_row, self.index_header = lst["templates"]["index_row"], lst["templates"]["index_header"]
        self.index_params: dict[str, str] = lst["index_params"]
        self.stats_template = settings["stats"]["template"]
        # what list.missing: mark writes on a row gone from the source
        messages = ROOT / "wikibot" / "i18n" / "keepiton" / f"{settings['language']}.json"
        self.missing_value = json.loads(messages.read_text("utf-8"))["keepiton-missing-yes"]
        self.titles = {year: lst["page"].format(year=year) for year in years}
        self.index_title = lst["index"]
        self.editors = Editors(self.client, self.titles, self.names, self.record)
        self.cycles: list[Cycle] = []
        self.sabotage = Sabotage(args.sabotage, self) if args.sabotage else None

    # ------------------------------------------------------------------ one cycle

    def cycle(self, number: int) -> Cycle:
        started = time.monotonic()
        cycle = Cycle(number)
        sabotage = self.sabotage if number == self.args.cycles else None
        if number:
            self.evolve(cycle)
            self.edit(cycle)
            if self.rng.random() < self.args.faults:
                cycle.fault = fault = self.fault(self.rng.choice(FAULTS), number)
                ended = "killed" if fault.run is None or fault.run.killed else f"exit {fault.run.code}"
                print(f"  fault {fault.kind}: {fault.detail} (its sync: {ended})", flush=True)
        if sabotage is not None:
            for line in sabotage.prepare():
                cycle.operations.append(line)
                print(f"  {line}", flush=True)
        first = self.sync(f"c{number}-1")
        if sabotage is not None and (done := sabotage.between()):
            print(f"  {done}", flush=True)
        second = self.sync(f"c{number}-2")
        cold = None
        if not self.args.no_cold:
            (self.work / ".cache" / "wikibot.run.json").unlink(missing_ok=True)
            cold = self.sync(f"c{number}-3-cold")
        cycle.syncs = [r for r in (first, second, cold) if r is not None]
        if sabotage is not None and (done := sabotage.tamper()):
            print(f"  {done}", flush=True)
        cycle.violations = check_syncs(cycle.fault.run if cycle.fault else None, first, second, cold)
        cycle.violations += self.fault_violations(cycle.fault)
        cycle.violations += self.check(cycle)
        self.seen.settle(self.sheet)
        cycle.wall = time.monotonic() - started
        return cycle

    def evolve(self, cycle: Cycle) -> None:
        for _ in range(self.rng.randint(1, 3)):
            kinds = list(EVOLUTIONS)
            self.rng.shuffle(kinds)
            done: Evolution | None = None
            for kind in kinds:  # the first kind the sheet allows
                done = self.sheet.evolve(kind, self.rng, self.record.hunted())
                if done is not None:
                    break
            if done is not None:
                cycle.operations.append(done.line())
                cycle.kinds.append(f"source:{done.kind}")
                print(f"  {done.line()}", flush=True)
        self.server.publish(self.sheet.csv_bytes())

    def present(self) -> dict[int, list[str]]:
        """The shutdowns each page shows now (the truth as of the last syncs)."""
        return {
            year: [
                r
                for r in expected_rows(self.sheet, self.record, self.seen, self.args.missing, year)
                if r in self.seen.placed.get(year, set())
            ]
            for year in self.sheet.years
        }

    def edit(self, cycle: Cycle) -> None:
        for _ in range(self.rng.randint(0, 3)):
            kind = choose_kind(self.rng)
            try:
                ops = self.editors.act(kind, self.rng, self.present(), self.row_id)
            except (AssertionError, LookupError, OSError, ValueError) as exc:  # the wiki refused it
                ops = [EditorOp(kind, 0, "", f"failed: {type(exc).__name__}: {str(exc)[:200]}")]
            for op in ops:
                cycle.operations.append(op.line())
                cycle.kinds.append(f"editor:{op.kind}" + (":skipped" if "skipped" in op.detail else ""))
                print(f"  {op.line()}", flush=True)

    def row_id(self, year: int, real: str) -> str | None:
        """The id of a shutdown's row on a year page, as the soak last saw it."""
        return self.seen.page_ids.get((year, real))

    def typical(self, what: str, default: float) -> float:
        """The median wall time or request count of the last cycles' first syncs."""
        values = [getattr(c.syncs[0], what) for c in self.cycles[-5:] if c.syncs and c.number]
        return float(statistics.median(values)) if values else default

    def fault(self, kind: str, number: int) -> Fault:
        name = f"c{number}-fault-{kind}"
        if kind == "kill":
            delay = round(self.rng.uniform(0.3, max(1.0, self.typical("wall", 8.0))), 2)
            self.proxy.inject(None)
            return Fault(kind, f"killed after {delay} s", self.bot.sync(name, kill_after=delay))
        if kind in ("503", "timeout"):
            at = self.rng.randint(1, max(2, int(self.typical("requests", 30))))
            times = self.rng.choice((1, 2, None))
            self.proxy.inject(kind, at=at, times=times)
            run = self.bot.sync(name, extra_env=FAST_RETRIES)
            self.proxy.inject(None)
            return Fault(kind, f"from request {at}, {'for good' if times is None else f'{times} times'}", run)
        if kind == "conflict":
            return self.conflict(name)
        if kind == "cache_file":
            with cache_as_file(self.work) as detail:
                return Fault(kind, detail, self.bot.sync(name))
        detail = {
            "spoil_record": lambda: spoil_record(self.work, self.rng),
            "spoil_http": lambda: spoil_http_cache(self.work, self.rng),
            "delete_cache": lambda: delete_cache(self.work),
        }[kind]()
        return Fault(kind, detail, self.bot.sync(name))

    def conflict(self, name: str) -> Fault:
        """An editor saves the year page the bot is about to save (pages of other kinds pass)."""
        by_title = {title: year for year, title in self.titles.items()}
        hit: list[EditorOp] = []

        def editor_saves(title: str) -> None:
            year = by_title.get(title.replace("_", " "))
            if year is None:
                self.proxy.before_edit = editor_saves  # not a year page: wait for one
                return
            try:
                hit.append(self.editors.add_paragraph(year, before=False, kind="conflict"))
            except Exception as exc:
                hit.append(EditorOp("conflict", year, "", f"the editor's save failed: {exc}"))

        self.proxy.inject(None)
        self.proxy.before_edit = editor_saves
        run = self.bot.sync(name)
        self.proxy.before_edit = None
        detail = "; ".join(op.line() for op in hit) or "no year page saved: no conflict made"
        return Fault("conflict", detail, run)

    def fault_violations(self, fault: Fault | None) -> list[Violation]:
        """What a fault's own sync must do: a spoiled or deleted cache is harmless (exit 0), an edit
        conflict is merged (exit 0), a .cache that is a file is a local error, not the wiki's."""
        if fault is None or fault.run is None or fault.run.killed:
            return []
        run = fault.run
        found = []
        if fault.kind in ("spoil_record", "spoil_http", "delete_cache", "conflict") and run.code != 0:
            found.append(
                Violation(
                    1, run.name, f"exit {run.code} after {fault.detail}: {' | '.join(run.errors)[:300]}"
                )
            )
        if fault.kind == "cache_file" and any("the wiki failed" in line for line in run.errors):
            found.append(
                Violation(1, run.name, f"a local file error blamed on the wiki: {run.errors[0][:200]}")
            )
        return found

    def sync(self, name: str) -> SyncRun:
        self.proxy.inject(None)
        return self.bot.sync(name)

    # ------------------------------------------------------------------ checks

    def texts(self, titles: list[str]) -> dict[str, str]:
        """The current text of pages ('' when missing), in batches."""
        found: dict[str, str] = {}
        for start in range(0, len(titles), 40):
            batch = titles[start : start + 40]
            data = self.client.post(
                action="query", prop="revisions", titles="|".join(batch), rvprop="content", rvslots="main"
            )["query"]
            names = {n["from"]: n["to"] for n in data.get("normalized", [])}
            pages = {p["title"]: p for p in data["pages"]}
            for title in batch:
                page = pages.get(names.get(title, title), {})
                revisions = page.get("revisions") or [{}]
                found[title] = str(revisions[0].get("slots", {}).get("main", {}).get("content", ""))
        return found

    def check(self, cycle: Cycle) -> list[Violation]:
        years = self.sheet.years
        talk = {year: f"Discussion:{title}" for year, title in self.titles.items()}
        texts = self.texts([*self.titles.values(), self.index_title, *talk.values()])
        pages: dict[int, YearPage] = {
            year: read_year_page(year, title, texts[title], self.names) for year, title in self.titles.items()
        }
        cycle.rows = {year: len(page.rows) for year, page in pages.items()}
        found = check_pages(
            self.sheet, self.record, self.seen, pages, self.names, self.args.missing, self.missing_value
        )
        found += check_figures(self.sheet, self.figures(texts[self.index_title], years))
        found += check_talk({year: texts[t] for year, t in talk.items()})
        return found

    def figures(self, index_text: str, years: list[int]) -> dict[int, Figures]:
        row_name, params = self.index_row, self.index_params
        index: dict[str, dict[str, str]] = {}
        for template in mwparserfromhell.parse(index_text, skip_style_tags=True).filter_templates(
            recursive=False
        ):
            if template_key(str(template.name)) == template_key(row_name):
                values = {str(p.name).strip(): str(p.value).strip() for p in template.params}
                index[values.get(params["year"], "")] = values
        calls = "\n".join(
            f"{{{{{self.stats_template}|coupures|{y}}}}}\n{{{{{self.stats_template}|pays|{y}}}}}"
            for y in years
        )
        expanded = self.client.post(action="expandtemplates", text=calls, prop="wikitext")["expandtemplates"]
        shown = str(expanded["wikitext"]).split("\n")
        return {
            year: Figures(
                index.get(str(year), {}).get(params["incidents"]),
                index.get(str(year), {}).get(params["countries"]),
                shown[2 * n] if 2 * n < len(shown) else "",
                shown[2 * n + 1] if 2 * n + 1 < len(shown) else "",
            )
            for n, year in enumerate(years)
        }

    # ------------------------------------------------------------------ the run

    def run(self) -> int:
        out = Path(self.args.out)
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("cycle-*.json"):
            old.unlink()
        print(
            f"soak: seed {self.args.seed}, {self.args.cycles} cycles, "
            f"years {self.sheet.years[0]}-{self.sheet.years[-1]} "
            f"({len(self.sheet.rows)} rows), list.missing {self.args.missing}, pages '{self.prefix}/…' on "
            f"port {self.args.port}, bot from {self.bot_dir}",
            flush=True,
        )
        try:
            for number in range(self.args.cycles + 1):
                print(f"cycle {number}{' (the sheet as it is)' if not number else ''}", flush=True)
                cycle = self.cycle(number)
                self.cycles.append(cycle)
                (out / f"cycle-{number:03d}.json").write_text(
                    json.dumps(cycle.log(), ensure_ascii=False, indent=1) + "\n", "utf-8"
                )
                costs = "; ".join(
                    f"{r.name.split('-', 1)[1]}: exit {r.code} {r.wall:.1f} s {r.requests} req "
                    f"{r.received / 1000:.0f} kB {r.edits} edits{' (no-op)' if r.noop else ''}"
                    for r in cycle.syncs
                )
                print(f"  {costs}", flush=True)
                for violation in cycle.violations:
                    print(f"  VIOLATION {violation.line()}", flush=True)
        finally:
            self.proxy.close()
            self.server.close()
        summary = self.summary()
        (out / "source-last.csv").write_bytes(self.sheet.csv_bytes())  # the sheet as the last cycle served it
        if self.sabotage is not None:
            return self.sabotage_verdict(summary)
        (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", "utf-8")
        write_readme(markdown(summary))
        count = len(summary["violations"])
        print(
            f"soak: {count} distinct violations in {self.args.cycles} cycles "
            f"(seed {self.args.seed}); logs in {out}/"
        )
        return 1 if count else 0

    def sabotage_verdict(self, summary: dict[str, Any]) -> int:
        """With --sabotage: 0 when the last cycle reported the sabotaged invariant (README untouched)."""
        assert self.sabotage is not None
        wanted = self.sabotage.invariant
        last = self.cycles[-1].violations
        caught = [v for v in last if v.invariant == wanted]
        earlier = [v for c in self.cycles[:-1] for v in c.violations]
        print(
            f"soak: sabotage {self.sabotage.kind}: invariant {wanted} "
            f"{'reported' if caught else 'NOT reported'} in the last cycle"
            f" ({len(last)} violations there, {len(earlier)} before it)"
        )
        return 0 if caught else 1

    def summary(self) -> dict[str, Any]:
        kinds = Counter(k for c in self.cycles for k in c.kinds)
        faults = Counter(c.fault.kind for c in self.cycles if c.fault)
        distinct: dict[tuple[int, str, str], dict[str, Any]] = {}
        for cycle in self.cycles:
            for v in cycle.violations:
                entry = distinct.setdefault((v.invariant, v.where, v.what), {**asdict(v), "cycles": []})
                entry["cycles"].append(cycle.number)
        return {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
            "seed": self.args.seed,
            "cycles": self.args.cycles,
            "years": f"{self.sheet.years[0]}-{self.sheet.years[-1]}",
            "rows": len(self.sheet.rows),
            "missing": self.args.missing,
            "cold": not self.args.no_cold,
            "bot": commit_of(self.bot_dir),
            "machine": f"{platform.machine()}, {platform.python_version()}",
            "operations": dict(sorted(kinds.items())),
            "faults": dict(sorted(faults.items())),
            "violations": list(distinct.values()),
            "ids_seen": len(self.seen.ids),
            "editor_removed_rows": len(self.record.removed),
            "editor_kept_values": len(self.record.kept),
            "cost": [
                {
                    "cycle": c.number,
                    "fault": None if c.fault is None or c.fault.run is None else cost_of(c.fault.run),
                    "syncs": [cost_of(r) for r in c.syncs],
                }
                for c in self.cycles
            ],
        }


def cost_of(run: SyncRun) -> dict[str, Any]:
    """What one sync cost."""
    return {
        "name": run.name.split("-", 1)[1],
        "wall_s": round(run.wall, 2),
        "requests": run.requests,
        "kB": round(run.received / 1000, 1),
        "edits": run.edits,
        "killed": run.killed,
    }


def commit_of(folder: Path) -> str:
    """Which bot ran: the folder's commit, '+ changes' when its tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=folder, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "wikibot", "scripts"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(folder)
    return f"{head}{' + uncommitted changes' if dirty else ''}"


def markdown(summary: dict[str, Any]) -> str:
    """The README's short account of the last soak."""

    def counts(items: dict[str, int], prefix: str = "") -> str:
        chosen = {k.removeprefix(prefix): v for k, v in items.items() if k.startswith(prefix)}
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in chosen.items()) or "none"

    lines = [
        f"Last soak ({summary['date']}): seed {summary['seed']}, {summary['cycles']} cycles on the "
        f"{summary['years']} rows of the combined sheet ({summary['rows']} rows at the end), "
        f"`list.missing: {summary['missing']}`, bot {summary['bot']}. "
        f"Replay: `make soak SEED={summary['seed']} CYCLES={summary['cycles']} YEARS={summary['years']}"
        f"{'' if summary.get('cold', True) else ' NO_COLD=1'}`.",
        "",
        f"- source evolutions: {counts(summary['operations'], 'source:')}",
        f"- editors: {counts(summary['operations'], 'editor:')}",
        f"- faults: {counts(summary['faults'])}",
    ]
    violations = summary["violations"]
    if not violations:
        lines.append("- violations: **0**")
    else:
        lines.append(f"- violations: **{len(violations)}** distinct (invariant, where, what; first cycle):")
        for v in violations[:15]:
            lines.append(f"  - [{v['invariant']}] cycle {v['cycles'][0]}, {v['where']}: {v['what'][:160]}")
        if len(violations) > 15:
            lines.append(f"  - … {len(violations) - 15} more in `soak-results/summary.json`")
    lines += [
        "",
        "Cost per cycle (each sync: wall s / requests / kB received from the wiki; a fault's sync "
        "first when there was one, then sync 1 applies the cycle's changes, sync 2 should be a "
        "no-op, sync 3 runs cold, without the run record"
        f"{'' if summary.get('cold', True) else ' — not in this run, `NO_COLD=1`'}):",
        "",
        "| cycle | fault's sync | sync 1 | sync 2 | sync 3 | edits |",
        "|---|---|---|---|---|---|",
    ]

    def cell(run: dict[str, Any] | None) -> str:
        if run is None:
            return ""
        killed = " (killed)" if run.get("killed") else ""
        return f"{run['wall_s']:.1f} / {run['requests']} / {run['kB']:.0f}{killed}"

    cost = summary["cost"]
    shown = cost if len(cost) <= 6 else [*cost[:3], None, *cost[-3:]]
    for entry in shown:
        if entry is None:
            lines.append("| … | | | | | |")
            continue
        fault = entry.get("fault")
        cells = [f"{fault['name'].split('fault-')[-1]}: {cell(fault)}" if fault else ""]
        cells += [cell(s) for s in entry["syncs"]] + [""] * (3 - len(entry["syncs"]))
        runs = ([fault] if fault else []) + entry["syncs"]
        edits = "+".join(str(s["edits"] if s["edits"] is not None else "–") for s in runs)
        lines.append(f"| {entry['cycle']} | {' | '.join(cells)} | {edits} |")
    if growth := medians(cost):
        lines += ["", *growth]
    return "\n".join(lines)


def medians(cost: list[dict[str, Any]], span: int = 20) -> list[str]:
    """Sync 1's and sync 2's median cost over the first and the last cycles: growth shows here."""
    cycles = [c for c in cost if c["cycle"] > 0 and len(c["syncs"]) >= 2]
    if len(cycles) < 2 * span:
        return []

    def median(part: list[dict[str, Any]], sync: int) -> str:
        runs = [c["syncs"][sync] for c in part]
        wall = statistics.median(r["wall_s"] for r in runs)
        requests = statistics.median(r["requests"] for r in runs)
        kb = statistics.median(r["kB"] for r in runs)
        return f"{wall:.1f} s / {requests:g} / {kb:.0f} kB"

    first, last = cycles[:span], cycles[-span:]
    return [
        f"Medians, cycles {first[0]['cycle']}–{first[-1]['cycle']}: sync 1 {median(first, 0)}, "
        f"sync 2 {median(first, 1)}; cycles {last[0]['cycle']}–{last[-1]['cycle']}: "
        f"sync 1 {median(last, 0)}, sync 2 {median(last, 1)}."
    ]


def write_readme(text: str) -> None:
    """Put the summary between the README's soak markers (a warning when they are not there)."""
    readme = ROOT / "README.md"
    content = readme.read_text("utf-8")
    if content.count(BEGIN) != 1 or content.count(END) != 1 or content.index(BEGIN) > content.index(END):
        print(f"soak: warning: README.md has no {BEGIN} … {END} pair; the summary is in summary.json only")
        return
    head, rest = content.split(BEGIN)
    _, tail = rest.split(END)
    readme.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument(
        "--years", default="", help="2023-2025, 2024 or all (default: the sheet's three latest)"
    )
    parser.add_argument("--out", default=str(ROOT / "soak-results"))
    parser.add_argument(
        "--missing", choices=("keep", "mark", "remove"), default="keep", help="the profile's list.missing"
    )
    parser.add_argument("--faults", type=float, default=0.5, help="the chance of a fault in a cycle")
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument(
        "--bot-dir", default=str(ROOT), help="run the bot of another checkout (its wikibot/ and scripts/)"
    )
    parser.add_argument("--no-cold", action="store_true", help="no third sync without the run record")
    parser.add_argument(
        "--reset", action="store_true", help="start from an empty soak wiki (its pages pile up)"
    )
    parser.add_argument(
        "--sabotage",
        choices=sorted(SABOTAGES),
        help="break one invariant by hand in the last cycle; exit 0 when the checks report it",
    )
    args = parser.parse_args(argv)
    if not SHEET.is_file():
        print(f"soak: skipped: the combined STOP sheet is not at {SHEET} (the shared data folder is absent)")
        return 0
    header, rows, years = read_years(SHEET, args.years)
    return Soak(args, header, rows, years).run()


if __name__ == "__main__":
    sys.exit(main())
