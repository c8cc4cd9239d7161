"""`make bench`: what a sync costs, whole process, beside the limit (a bare batched read) and a
naive bot — every scenario run several times, then benchmarks/README.md written from the figures.

Runs against the dev wiki with the combined STOP sheet from ../shared/data (2,102 rows, ten year
pages and the index). Every wiki request goes through a counting proxy on 127.0.0.1
(tests/faultproxy.py, no fault injected); every process is measured by benchmarks/measured.py
(os.wait4: its own CPU time and peak RSS, and a wall clock). Writes benchmarks/results/latest.json, then
benchmarks/README.md (benchmarks/report.py) from it.

    python -m benchmarks.run [--source PATH] [--runs 5] [--growth 1,2,5,10]
"""

from __future__ import annotations

import argparse
import compileall
import csv
import datetime as dt
import difflib
import io
import json
import os
import platform
import subprocess
import sys
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import report  # noqa: E402
from tests.faultproxy import FaultProxy  # noqa: E402
from wikibot import plan, settings  # noqa: E402
from wikibot.sources import SourceSpec, read_source  # noqa: E402

COMBINED = ROOT.parent / "shared" / "data" / "keepiton_stop" / "keepiton_stop_combined_2016-2025.derived.csv"
PWB = Path(sys.executable).with_name("pwb")
RESULTS = ROOT / "benchmarks" / "results"
WORK = RESULTS / "work"


@dataclass
class Run:
    """One measured process."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    requests: int
    received: int = 0  # bytes of the wiki's responses
    actions: list[str] = field(default_factory=list)
    edits: int = 0
    note: str = ""


class Bench:
    """The proxy, the environment of every measured process, and the runs kept per scenario."""

    def __init__(self, runs: int) -> None:
        port = os.environ.get("DEVWIKI_PORT") or "8181"
        self.api = f"http://127.0.0.1:{port}/api.php"
        self.proxy = FaultProxy(f"http://127.0.0.1:{port}")
        self.env = {"DEVWIKI_PORT": str(self.proxy.port)}
        self.runs = runs
        self.scenarios: dict[str, list[Run]] = {}

    def measure(self, command: list[str]) -> tuple[Run, str]:
        """Run a command, counting its wiki requests and measuring its own wall clock, CPU and peak
        memory (through benchmarks.measured: a child of this large process would report this
        process's memory as its own)."""
        self.proxy.inject(None)
        usage_file = WORK / "usage.json"
        usage_file.unlink(missing_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.measured", str(usage_file), *command],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        output = done.stdout
        if done.returncode != 0:
            raise SystemExit(
                f"bench: {' '.join(command[:3])} failed (exit {done.returncode}):\n{output[-2000:]}"
            )
        usage = json.loads(usage_file.read_text("utf-8"))
        run = Run(
            usage["wall"],
            usage["cpu"],
            usage["maxrss_kb"] / 1024,
            self.proxy.count,
            self.proxy.received,
            list(self.proxy.log),
        )
        return run, output

    def keep(self, name: str, run: Run) -> Run:
        self.scenarios.setdefault(name, []).append(run)
        return run

    def sync(self, name: str, profile_path: Path, *extra: str) -> tuple[Run, dict[str, Any]]:
        """pwb sync_incidents with a JSON report; the run is kept under the scenario's name."""
        out = WORK / f"report-{uuid.uuid4().hex[:6]}.json"
        command = [
            str(PWB),
            "sync_incidents",
            f"-settings:{profile_path}",
            "-always",
            f"-report:{out}",
            *extra,
        ]
        run, _ = self.measure(command)
        data = json.loads(out.read_text())
        out.unlink()
        run.edits = data["edits"]
        return self.keep(name, run), data


def profile(source: Path, tag: str) -> Path:
    """A devwiki profile whose pages are this benchmark's own (a unique title prefix)."""
    base = yaml.safe_load((ROOT / "wikibot/profiles/devwiki.yaml").read_text("utf-8"))
    prefix = f"Bench {tag} {uuid.uuid4().hex[:6]}"
    base["source"] = {"location": str(source), "cache_dir": str(WORK / "cache" / "http")}
    base["list"]["page"] = f"{prefix}/Liste des coupures d'Internet en {{year}}"
    base["list"]["index"] = f"{prefix}/Liste des coupures d'Internet"
    base["wiki_settings"] = f"{prefix}/Réglages"
    base["safety"] = {
        "stop_page": f"{prefix}/Stop",
        "report_page": f"{prefix}/Rapport",
        "lock_file": str(WORK / f"{prefix}.lock"),
    }
    path = WORK / f"{prefix.replace(' ', '_')}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True), "utf-8")
    return path


def grown(source: Path, factor: int) -> Path:
    """The data `factor` times: copy k is the real sheet shifted 10·k years later (dates and counted
    years), so the list grows as it will — more year pages of the same size."""
    if factor == 1:
        return source
    rows = list(csv.DictReader(io.StringIO(source.read_text("utf-8-sig"))))
    out = WORK / f"combined-x{factor}.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        for k in range(factor):
            for row in rows:
                copy = dict(row)
                for column in ("start_date", "end_date", "count_year"):
                    value = copy[column]
                    if value[:4].isdigit():
                        copy[column] = str(int(value[:4]) + 10 * k) + value[4:]
                writer.writerow(copy)
    return out


def changed(source: Path, tag: str) -> tuple[Path, str]:
    """The source with one incident's end date moved by a day (an incident counted in one year)."""
    rows = list(csv.DictReader(io.StringIO(source.read_text("utf-8-sig"))))
    counts: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row["country"], row["start_date"], row["area_name"])
        counts[key] = counts.get(key, 0) + 1
    target = next(
        r for r in rows if r["end_date"] and counts[(r["country"], r["start_date"], r["area_name"])] == 1
    )
    target["end_date"] = (dt.date.fromisoformat(target["end_date"]) + dt.timedelta(days=1)).isoformat()
    out = WORK / f"changed-{tag}.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out, target["count_year"]


def last_diff_bytes(api: str, title: str) -> int:
    """Bytes in the lines that differ between the page's last two revisions."""
    params: dict[str, str | int] = {
        "action": "query",
        "prop": "revisions",
        "titles": title,
        "rvlimit": 2,
        "rvprop": "content",
        "rvslots": "main",
        "format": "json",
        "formatversion": 2,
    }
    revisions = requests.get(api, params=params, timeout=60).json()["query"]["pages"][0]["revisions"]
    new, old = (r["slots"]["main"]["content"] for r in revisions)
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
    return sum(len(line.encode()) - 1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def titles_file(profile_path: Path, source: Path, report_page: str) -> Path:
    """The titles a sync reads in its batch (the list pages, the index, the report page)."""
    config = settings.load(str(profile_path))
    titles = [*plan.titles(read_source(SourceSpec(str(source))), config), report_page]
    out = profile_path.with_suffix(".titles")
    out.write_text("\n".join(titles), "utf-8")
    return out


def in_process(bench: Bench, source: Path) -> dict[str, Any]:
    """Each stage alone, each in a fresh process (so that no cache of the process helps): CPU seconds."""
    stages = [
        "reference",
        "read-cold",
        "read-cold-bare",
        "link",
        "match",
        "render",
        "holds",
        "parse-merge",
    ]
    results: dict[str, list[float]] = {s: [] for s in stages}
    for _ in range(bench.runs):
        for stage in stages:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.stages", stage, str(source), str(WORK)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            results[stage].append(float(done.stdout.split()[-1]))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--source", type=Path, default=COMBINED)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--growth", default="1,2,5,10")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(
            f"bench: {args.source} not found; the benchmarks need the combined STOP sheet from ../shared/data"
        )
        return 1
    WORK.mkdir(parents=True, exist_ok=True)
    # byte-code as an installation has it after its first run (with PYTHONDONTWRITEBYTECODE
    # set, as on this machine, no run would write it and every process would compile the bot)
    for folder in ("wikibot", "benchmarks", "tests"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)
    bench = Bench(args.runs)
    extra: dict[str, Any] = {}
    try:
        # first syncs: a fresh set of pages each time
        for n in range(bench.runs):
            bench.sync("first sync (empty wiki)", profile(args.source, f"first{n}"))
        main_profile = profile(args.source, "x1")
        bench.sync("first sync (empty wiki)", main_profile)
        bench.scenarios[
            "first sync (empty wiki)"
        ].pop()  # the main profile's own first sync: not counted twice
        config = yaml.safe_load(main_profile.read_text("utf-8"))
        titles = titles_file(main_profile, args.source, config["safety"]["report_page"])
        for _ in range(pair_runs(bench.runs)):  # side by side: the limit, then the no-op
            run, _ = bench.measure(
                [sys.executable, "-m", "benchmarks.bare_read", str(main_profile), str(titles)]
            )
            bench.keep("bare batched read (the limit)", run)
            bench.sync("no-op sync", main_profile)
        changed_source, year = changed(args.source, "x1")
        edited: list[list[str]] = []
        for n in range(bench.runs):  # each run changes one incident back or forth
            run, data = bench.sync(
                "one changed incident",
                main_profile,
                f"-source:{changed_source if n % 2 == 0 else args.source}",
            )
            edited.append([p["title"] for p in data["pages"] if p["action"] == "updated"])
            run.note = f"{len(edited[-1])} page"
        extra["one_change"] = {
            "pages_edited": edited,
            "bytes_changed": last_diff_bytes(bench.api, edited[-1][0]) if edited[-1] else 0,
            "year": year,
        }
        naive_profile = profile(args.source, "naive")
        for n in range(bench.runs + 1):
            run, output = bench.measure(
                [sys.executable, "-m", "benchmarks.naive_bot", str(naive_profile), str(args.source)]
            )
            run.edits = int(output.split("saved:")[-1].split()[0])
            bench.keep("naive bot, first run" if n == 0 else "naive bot, nothing changed", run)
        extra["in_process_cpu_s"] = in_process(bench, args.source)
        growth: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for factor in [int(f) for f in args.growth.split(",")]:
            data_source = grown(args.source, factor)
            runs: dict[str, list[Run]] = {"first": [], "noop": [], "change": []}
            for n in range(bench.runs):
                runs["first"].append(
                    bench.sync(f"growth x{factor} first", profile(data_source, f"g{factor}f{n}"))[0]
                )
            grown_profile = profile(data_source, f"g{factor}")
            bench.sync(f"growth x{factor} setup", grown_profile)
            changed_grown, _ = changed(data_source, f"g{factor}")
            for _ in range(bench.runs):
                runs["noop"].append(bench.sync(f"growth x{factor} noop", grown_profile)[0])
            for n in range(bench.runs):
                change = changed_grown if n % 2 == 0 else data_source
                runs["change"].append(
                    bench.sync(f"growth x{factor} change", grown_profile, f"-source:{change}")[0]
                )
            for name in ("first", "noop", "change", "setup"):
                bench.scenarios.pop(f"growth x{factor} {name}", None)
            growth[str(factor)] = {k: [asdict(r) for r in v] for k, v in runs.items()}
        extra["growth"] = growth
    finally:
        bench.proxy.close()
    payload = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "source": str(args.source),
        "runs": bench.runs,
        "pair_runs": pair_runs(bench.runs),
        "scenarios": {name: [asdict(r) for r in runs] for name, runs in bench.scenarios.items()},
        **extra,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=1) + "\n")
    (ROOT / "benchmarks" / "README.md").write_text(report.readme(payload), "utf-8")
    print(report.summary(payload))
    print(f"\nwritten: {RESULTS / 'latest.json'} and benchmarks/README.md")
    return 0


def pair_runs(runs: int) -> int:
    """Runs of the no-op and of the bare read: their ratio is the target, and a run takes a
    second, so more runs than the other scenarios steady its medians on a shared machine."""
    return max(runs, 11)


def machine() -> str:
    """The machine the figures come from."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mediawiki = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "mediawiki"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return (
        f"{platform.machine()} {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform(terse=True)}, MediaWiki {mediawiki or '?'}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
