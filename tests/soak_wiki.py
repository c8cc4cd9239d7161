"""The soak's side of the machine: its own dev wiki, the source served over HTTP, the bot run as cron
runs it (``pwb sync`` subprocesses), the counting and fault-injecting proxy, and the cache faults.

Everything lives under ``.devwiki-soak/`` (git-ignored), apart from the integration tests' wikis:

    .devwiki-soak/.devwiki/      the wiki (python -m wikibot.dev.devwiki --dir …, port 8190)
    .devwiki-soak/user-password.py, user-config.py, *.lwp, logs/   pywikibot's files (PYWIKIBOT_DIR)
    .devwiki-soak/run-<prefix>/  the bot's working folder: .cache/ (run lock, run record, HTTP cache)

The wiki is nested one level down on purpose: ``devwiki start`` writes the password file beside
the wiki's folder from every ``.devwiki*/accounts.json`` there, and a second French wiki beside
``.devwiki/`` would put its bot password last in the repository's file, which pywikibot reads
last-wins: the integration tests would log in to 8181 with the soak wiki's password.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from tests.faultproxy import FaultProxy

ROOT = Path(__file__).resolve().parents[1]
SOAK_DIR = ROOT / ".devwiki-soak"
WIKI_DIR = SOAK_DIR / ".devwiki"
PWB = Path(sys.executable).with_name("pwb")
FAST_RETRIES = {"WIKIBOT_MAX_RETRIES": "2", "WIKIBOT_RETRY_WAIT": "0", "WIKIBOT_READ_TIMEOUT": "2"}
SYNC_TIMEOUT = 900


def start_wiki(port: int, reset: bool = False) -> str:
    """Start (or reuse) the soak's dev wiki, or start it over from an empty wiki; its API address."""
    SOAK_DIR.mkdir(exist_ok=True)
    command = "reset" if reset else "start"
    done = subprocess.run(
        [sys.executable, "-m", "wikibot.dev.devwiki", command, "--dir", str(WIKI_DIR), "--port", str(port)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"soak: the dev wiki did not start: {done.stderr.strip()}")
    return f"http://127.0.0.1:{port}/api.php"


def write_user_config(bot_dir: Path) -> None:
    """pywikibot's settings for the soak: the bot's own, with this folder's password file and cookies,
    and the scripts and families of the bot under test."""
    (SOAK_DIR / "user-config.py").write_text(
        "# Written by tests.soak: the bot's user-config.py, run from .devwiki-soak (its password file,\n"
        "# cookies, throttle and logs), with the scripts and families of the bot under test.\n"
        "import os\n"
        f"_bot = {str(bot_dir)!r}\n"
        "_path = os.path.join(_bot, 'user-config.py')\n"
        "exec(compile(open(_path, encoding='utf-8').read(), _path, 'exec'))\n"
        "user_families_paths = [os.path.join(_bot, 'wikibot', 'families')]\n"
        "user_script_paths = [os.path.join(_bot, 'scripts')]\n",
        "utf-8",
    )


def write_profile(work: Path, prefix: str, source: str, missing: str) -> Path:
    """The dev wiki profile with the soak's own titles (a prefix), source and list.missing."""
    base = yaml.safe_load((ROOT / "wikibot" / "profiles" / "devwiki.yaml").read_text("utf-8"))
    base["source"] = {"location": source}
    base["list"]["page"] = f"{prefix}/{base['list']['page']}"
    base["list"]["index"] = f"{prefix}/{base['list']['index']}"
    base["list"]["missing"] = missing
    stats = base["stats"]
    for key in ("template", "inline_template", "page", "countries_page"):
        stats[key] = f"{prefix}/{stats[key]}"
    for key in ("chart", "map"):
        stats[key] = f"{prefix} {stats[key]}"
    stats["reported"] = str(ROOT / "wikibot" / "data" / "reported_figures.yaml")
    base["wiki_settings"] = f"{prefix}/Réglages"
    base["safety"] = {
        "stop_page": f"{prefix}/Stop",
        "report_page": f"{prefix}/Rapport",
        "decisions_page": f"User:{{bot}}/{prefix}/decisions.json",  # each run its own record
    }
    path = work / "profile.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True), "utf-8")
    return path


class SourceServer:
    """The sheet at an http:// address on 127.0.0.1, as the production sheet is read: ETag and
    Last-Modified, 304 when the client already has these bytes (the bot's HTTP cache fills up)."""

    def __init__(self) -> None:
        self.body = b""
        self.etag = ""
        self.modified = ""
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                body, etag, modified = server.body, server.etag, server.modified
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/csv; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}/stop.csv"

    def publish(self, body: bytes) -> None:
        """Serve these bytes from now on (a new ETag and Last-Modified when they changed)."""
        if body != self.body:
            self.body = body
            self.etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            self.modified = email.utils.formatdate(time.time(), usegmt=True)

    def close(self) -> None:
        self.http.shutdown()


@dataclass(frozen=True)
class SyncRun:
    """One `pwb sync` as the soak saw it: exit code, time, what it cost on the wiki, what it said."""

    name: str
    code: int | None  # None: killed
    wall: float
    requests: int
    received: int  # bytes of the wiki's answers (through the proxy)
    edits: int | None  # from the JSON report (None: no report)
    noop: bool
    by_kind: dict[str, int]  # requests by API action and module (the proxy's log)
    stdout: str
    stderr: str
    report: dict[str, Any]

    @property
    def killed(self) -> bool:
        return self.code is None

    @property
    def traceback(self) -> bool:
        return "Traceback" in self.stdout or "Traceback" in self.stderr

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]

    def summary(self) -> dict[str, Any]:
        """What the cycle log keeps of the run."""
        pages = [
            {k: p.get(k) for k in ("title", "action", "added", "updated", "reason") if p.get(k)}
            | {"conflicts": len(p.get("conflicts", []))}
            for p in self.report.get("pages", [])
        ]
        identity = self.report.get("identity") or {}
        return {
            "name": self.name,
            "code": self.code,
            "wall_s": round(self.wall, 2),
            "requests": self.requests,
            "kB_received": round(self.received / 1000, 1),
            "requests_by_kind": self.by_kind,
            "edits": self.edits,
            "noop": self.noop,
            "errors": self.errors,
            "traceback": self.traceback,
            "pages": pages,
            "identity": {k: len(v) if isinstance(v, list) else v for k, v in identity.items()},
            "stderr_tail": self.stderr[-1500:] if (self.code or self.traceback) else "",
        }


class Bot:
    """The bot as cron runs it: `pwb sync -always` in its working folder, through the proxy."""

    def __init__(self, work: Path, profile: Path, proxy: FaultProxy, bot_dir: Path) -> None:
        self.work = work
        self.profile = profile
        self.proxy = proxy
        self.bot_dir = bot_dir

    def env(self, port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "PYWIKIBOT_"))}
        env.update(PYWIKIBOT_DIR=str(SOAK_DIR), DEVWIKI_PORT=str(port), **(extra or {}))
        if self.bot_dir != ROOT:
            env["PYTHONPATH"] = str(self.bot_dir)
        return env

    def install_templates(self, port: int) -> None:
        done = subprocess.run(
            [str(PWB), "install_templates", f"-settings:{self.profile}", "-always"],
            cwd=self.work,
            env=self.env(port),
            capture_output=True,
            text=True,
            check=False,
            timeout=SYNC_TIMEOUT,
        )
        if done.returncode != 0:
            raise SystemExit(f"soak: install_templates failed: {done.stderr.strip()[-2000:]}")

    def sync(
        self, name: str, extra_env: dict[str, str] | None = None, kill_after: float | None = None
    ) -> SyncRun:
        """One `pwb sync` (killed after ``kill_after`` seconds when given); the proxy counts it."""
        report = self.work / f"report-{name}.json"
        report.unlink(missing_ok=True)
        command = [str(PWB), "sync", f"-settings:{self.profile}", "-always", f"-report:{report}"]
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            cwd=self.work,
            env=self.env(self.proxy.port, extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: a kill takes pwb and nothing else
        )
        code: int | None
        try:
            stdout, stderr = process.communicate(timeout=kill_after or SYNC_TIMEOUT)
            code = process.returncode
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            code = None
            if kill_after is None:
                stderr += f"\nsoak: the sync did not end within {SYNC_TIMEOUT} s; killed"
        wall = time.monotonic() - started
        data: dict[str, Any] = {}
        if report.exists():
            with contextlib.suppress(ValueError):
                data = json.loads(report.read_text("utf-8"))
        edits = data.get("edits") if isinstance(data.get("edits"), int) else None
        return SyncRun(
            name,
            code,
            wall,
            self.proxy.count,
            self.proxy.received,
            edits,
            bool(data.get("noop")),
            dict(Counter(self.proxy.log).most_common()),
            stdout,
            stderr,
            data,
        )


# ------------------------------------------------------------------------------ cache faults

CACHE = ".cache"


def spoil_record(work: Path, rng: random.Random) -> str:
    """Random bytes written over the run record (or a new one)."""
    target = work / CACHE / "wikibot.run.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(rng.randbytes(rng.randint(1, 400)))
    return f"{target.relative_to(work)}: {target.stat().st_size} random bytes"


def spoil_http_cache(work: Path, rng: random.Random) -> str:
    """Random bytes written into a file of the HTTP cache (the run record when there is none)."""
    files = sorted(p for p in (work / CACHE / "http").rglob("*") if p.is_file() and p.suffix != ".lock")
    if not files:
        return spoil_record(work, rng) + " (no HTTP cache file)"
    target = rng.choice(files)
    data = bytearray(target.read_bytes())
    if data and rng.random() < 0.5:  # a few bytes changed in place, or the whole file replaced
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        target.write_bytes(bytes(data))
        how = "bytes changed in place"
    else:
        target.write_bytes(rng.randbytes(rng.randint(1, 400)))
        how = "replaced by random bytes"
    return f"{target.relative_to(work)}: {how}"


def delete_cache(work: Path) -> str:
    shutil.rmtree(work / CACHE, ignore_errors=True)
    return f"{CACHE}/ deleted"


@contextlib.contextmanager
def cache_as_file(work: Path) -> Iterator[str]:
    """.cache replaced by a plain file for the duration; the folder put back after."""
    folder, aside = work / CACHE, work / (CACHE + ".soak-aside")
    shutil.rmtree(aside, ignore_errors=True)
    if folder.is_dir():
        folder.rename(aside)
    folder.write_text("not a folder\n")
    try:
        yield f"{CACHE} is a plain file"
    finally:
        folder.unlink(missing_ok=True)
        if aside.is_dir():
            aside.rename(folder)
