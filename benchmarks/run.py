"""`make bench`: what a sync costs, beside the limit (a bare batched read) and a naive bot.

Runs against the dev wiki with the combined STOP sheet from ../shared/data (2,102 rows, ten
year pages). Every wiki request goes through a counting proxy on 127.0.0.1 (tests/faultproxy.py
with no fault), every process is measured with os.wait4 (its own CPU time and peak RSS).
Prints a table and writes benchmarks/results/latest.json.

    python -m benchmarks.run [--source PATH] [--growth 1,2,4]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faultproxy import FaultProxy  # noqa: E402
from wikibot import plan, settings  # noqa: E402
from wikibot.sources import SourceSpec, read_source  # noqa: E402

COMBINED = ROOT.parent / "shared" / "data" / "keepiton_stop" / "keepiton_stop_combined_2016-2025.derived.csv"
PWB = Path(sys.executable).with_name("pwb")
RESULTS = ROOT / "benchmarks" / "results"


@dataclass
class Measure:
    """One measured process."""

    name: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    requests: int
    edits: int = 0
    note: str = ""


def measured(name: str, command: list[str], proxy: FaultProxy, env: dict[str, str]) -> tuple[Measure, str]:
    """Run a command, counting its wiki requests and measuring its own CPU and peak memory."""
    proxy.inject(None)
    start = time.perf_counter()
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        output = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"bench: {name} failed (exit {process.returncode}):\n{output[-2000:]}")
    return Measure(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proxy.count), output


def profile(tmp: Path, source: Path, tag: str) -> Path:
    """A devwiki profile whose pages are this benchmark's own."""
    base = yaml.safe_load((ROOT / "wikibot/profiles/devwiki.yaml").read_text("utf-8"))
    prefix = f"Bench {tag} {uuid.uuid4().hex[:6]}"
    base["source"] = {"location": str(source)}
    base["list"]["page"] = f"{prefix}/Liste des coupures d'Internet en {{year}}"
    base["list"]["index"] = f"{prefix}/Liste des coupures d'Internet"
    base["safety"] = {
        "stop_page": f"{prefix}/Stop",
        "report_page": f"{prefix}/Rapport",
        "lock_file": str(tmp / f"{tag}.lock"),
    }
    path = tmp / f"{tag}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True), "utf-8")
    return path


def replicated(source: Path, factor: int, tmp: Path) -> Path:
    """The data `factor` times: copies get new ids and are counted ten years later each time."""
    if factor == 1:
        return source
    rows = list(csv.DictReader(io.StringIO(source.read_text("utf-8-sig"))))
    out = tmp / f"combined-x{factor}.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        for k in range(factor):
            for row in rows:
                copy = dict(row)
                if k:
                    copy["area_name"] = f"{row['area_name']} (copy {k})"
                    copy["count_year"] = str(int(row["count_year"]) + 10 * k)
                writer.writerow(copy)
    return out


def revision_texts(api: str, title: str, limit: int = 1) -> list[str]:
    """The texts of a page's latest revisions, newest first (plain API, outside the measures)."""
    params = {
        "action": "query",
        "prop": "revisions",
        "titles": title,
        "rvlimit": limit,
        "rvprop": "content",
        "rvslots": "main",
        "format": "json",
        "formatversion": 2,
    }
    data = requests.get(api, params=params, timeout=60).json()
    return [r["slots"]["main"]["content"] for r in data["query"]["pages"][0]["revisions"]]


def changed_bytes(api: str, title: str) -> int:
    """Bytes in the lines that differ between the page's last two revisions."""
    import difflib

    new, old = revision_texts(api, title, 2)
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
    return sum(len(line.encode()) - 1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


LAST_REPORT: dict[str, Any] = {}


def sync(name: str, settings_path: Path, proxy: FaultProxy, env: dict[str, str], *extra: str) -> Measure:
    report = settings_path.with_suffix(f".{uuid.uuid4().hex[:6]}.json")
    command = [
        str(PWB),
        "sync_incidents",
        f"-settings:{settings_path}",
        "-always",
        f"-report:{report}",
        *extra,
    ]
    result, _ = measured(name, command, proxy, env)
    data = json.loads(report.read_text())
    LAST_REPORT.clear()
    LAST_REPORT.update(data)
    result.edits = data["edits"]
    result.note = f"{len(data['pages'])} pages"
    return result


def in_process_cpu(settings_path: Path, source: Path, api: str) -> dict[str, float]:
    """Bot CPU for parse + merge + render of every page, no network: no-op and forced parse."""
    config = settings.load(str(settings_path))
    result = read_source(SourceSpec(str(source)))
    titles = [p.title for p in plan.plans(result, config, dt.date.today())]
    texts = {title: revision_texts(api, title)[0] for title in titles}
    start = time.process_time()
    plans = plan.plans(result, config, dt.date.today())
    outputs = [p.apply(texts[p.title]) for p in plans]
    noop = time.process_time() - start
    assert all(o.text == texts[p.title] for o, p in zip(outputs, plans, strict=True))
    start = time.process_time()
    for p in plans:  # a page the fast path cannot take: an editor's note on its first row
        p.apply(texts[p.title].replace("\n}}", "\n|note=x\n}}", 1))
    forced = time.process_time() - start
    start = time.process_time()
    read_source(SourceSpec(str(source)))
    read = time.process_time() - start
    return {"noop_merge_render_s": noop, "forced_parse_merge_render_s": forced, "read_source_s": read}


def one_change(source: Path, tmp: Path) -> tuple[Path, str]:
    """The source with one incident's end date moved by a day (an incident counted in one year)."""
    rows = list(csv.DictReader(io.StringIO(source.read_text("utf-8-sig"))))
    counts: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row["country"], row["start_date"], row["area_name"])
        counts[key] = counts.get(key, 0) + 1
    target = next(
        r for r in rows if r["end_date"] and counts[(r["country"], r["start_date"], r["area_name"])] == 1
    )
    end = dt.date.fromisoformat(target["end_date"]) + dt.timedelta(days=1)
    target["end_date"] = end.isoformat()
    out = tmp / "one-change.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out, target["count_year"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--source", type=Path, default=COMBINED)
    parser.add_argument("--growth", default="1,2,4")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(
            f"bench: {args.source} not found; the benchmarks need the combined STOP sheet from ../shared/data"
        )
        return 1
    port = os.environ.get("DEVWIKI_PORT") or "8181"
    proxy = FaultProxy(f"http://127.0.0.1:{port}")
    env = {"DEVWIKI_PORT": str(proxy.port)}
    tmp = RESULTS / "work"
    tmp.mkdir(parents=True, exist_ok=True)
    rows: list[Measure] = []
    extra: dict[str, Any] = {}
    try:
        main_profile = profile(tmp, args.source, "x1")
        first = sync("first sync (empty wiki)", main_profile, proxy, env)
        rows.append(first)
        noop = sync("no-op sync", main_profile, proxy, env)
        rows.append(noop)
        bare, _ = measured(
            "bare batched read (limit)",
            [sys.executable, "-m", "benchmarks.bare_read", str(main_profile), str(args.source)],
            proxy,
            env,
        )
        rows.append(bare)
        extra["cpu_in_process"] = in_process_cpu(
            main_profile, args.source, f"http://127.0.0.1:{port}/api.php"
        )
        changed, year = one_change(args.source, tmp)
        change = sync("one changed incident", main_profile, proxy, env, f"-source:{changed}")
        edited = [p["title"] for p in LAST_REPORT["pages"] if p["action"] == "updated"]
        extra["one_change_pages_edited"] = edited
        extra["one_change_bytes_changed"] = sum(
            changed_bytes(f"http://127.0.0.1:{port}/api.php", t) for t in edited
        )
        change.note = f"{len(edited)} page edited, {extra['one_change_bytes_changed']} bytes changed"
        rows.append(change)
        naive_profile = profile(tmp, args.source, "naive")
        for run in (1, 2):
            naive, _ = measured(
                f"naive bot, run {run}",
                [sys.executable, "-m", "benchmarks.naive_bot", str(naive_profile), str(args.source)],
                proxy,
                env,
            )
            naive.edits = 11
            naive.note = "saves every page"
            rows.append(naive)
        extra["noop_vs_bare_wall_ratio"] = noop.wall_s / bare.wall_s
        extra["one_change_year"] = year
        growth = {}
        for factor in [int(f) for f in args.growth.split(",")]:
            source = replicated(args.source, factor, tmp)
            grown = profile(tmp, source, f"x{factor}g")
            first_g = sync(f"first sync x{factor}", grown, proxy, env)
            noop_g = sync(f"no-op sync x{factor}", grown, proxy, env)
            cpu = in_process_cpu(grown, source, f"http://127.0.0.1:{port}/api.php")
            growth[factor] = {"first": asdict(first_g), "noop": asdict(noop_g), "cpu_in_process": cpu}
        extra["growth"] = growth
    finally:
        proxy.close()
    print_table(rows, extra)
    RESULTS.mkdir(exist_ok=True)
    payload = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}",
        "source": str(args.source),
        "rows": [asdict(r) for r in rows],
        **extra,
    }
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwritten: {RESULTS / 'latest.json'}")
    return 0


def print_table(rows: list[Measure], extra: dict[str, Any]) -> None:
    print(f"{'scenario':<28} {'wall s':>7} {'CPU s':>6} {'RSS MB':>7} {'requests':>8} {'edits':>5}  note")
    for r in rows:
        figures = f"{r.wall_s:>7.2f} {r.cpu_s:>6.2f} {r.peak_rss_mb:>7.0f} {r.requests:>8} {r.edits:>5}"
        print(f"{r.name:<28} {figures}  {r.note}")
    cpu = extra["cpu_in_process"]
    print(f"\nno-op wall / bare read wall: {extra['noop_vs_bare_wall_ratio']:.2f}")
    print(
        f"in-process CPU: no-op merge+render {cpu['noop_merge_render_s']:.3f} s, forced parse+merge+render "
        f"{cpu['forced_parse_merge_render_s']:.3f} s, read source {cpu['read_source_s']:.3f} s"
    )
    print(
        "\ngrowth   first: wall s  CPU s  requests | no-op: wall s  CPU s  requests | in-process no-op CPU s"
    )
    for factor, g in extra["growth"].items():
        f, n = g["first"], g["noop"]
        print(
            f"x{factor:<6} {f['wall_s']:>13.2f} {f['cpu_s']:>6.2f} {f['requests']:>9} | {n['wall_s']:>13.2f} "
            f"{n['cpu_s']:>6.2f} {n['requests']:>9} | {g['cpu_in_process']['noop_merge_render_s']:>8.3f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
