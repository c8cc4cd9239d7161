"""The dev wiki tooling: bad situations give one line and a non-zero exit, never a hang."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def devwiki(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wikibot.dev.devwiki", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def one_line_error(done: subprocess.CompletedProcess[str], text: str) -> None:
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and text in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = devwiki("start", "--dir", str(tmp_path / "wiki"), "--port", str(port))
    one_line_error(done, f"port {port} on 127.0.0.1 is in use")
    assert not (tmp_path / "wiki").exists()


def test_a_half_created_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "wiki" / "data").mkdir(parents=True)
    one_line_error(
        devwiki("start", "--dir", str(tmp_path / "wiki"), "--port", str(free_port())), "half-created"
    )


def test_a_bad_port_variable_is_one_line(tmp_path: Path) -> None:
    one_line_error(
        devwiki("start", "--dir", str(tmp_path / "w"), env={"DEVWIKI_PORT": "eighty"}), "not a port number"
    )


@pytest.mark.wiki
def test_a_wiki_that_died_is_started_again_and_a_running_one_reused(tmp_path: Path) -> None:
    wiki, port = tmp_path / ".devwiki-t", str(free_port())
    first = devwiki("start", "--dir", str(wiki), "--port", port, "--lang", "en")
    assert first.returncode == 0, first.stderr
    assert (wiki / "accounts.json").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "user-password.py").stat().st_mode & 0o777 == 0o600
    try:
        assert "reusing the running wiki" in devwiki("start", "--dir", str(wiki), "--port", port).stdout
        os.killpg(int((wiki / "server.pid").read_text()), signal.SIGKILL)
        again = devwiki("start", "--dir", str(wiki), "--port", port)
        assert again.returncode == 0 and ("had died" in again.stdout or "restarting" in again.stdout)
        assert devwiki("status", "--dir", str(wiki), "--port", port).returncode == 0
    finally:
        devwiki("stop", "--dir", str(wiki))
    assert devwiki("status", "--dir", str(wiki), "--port", port).returncode == 1


@pytest.mark.wiki
def test_the_dev_wiki_bot_has_exactly_the_grants_the_readme_asks_for(devwiki: str) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    found = re.search(r"<!-- grants: ([a-z,]+) -->", readme)
    assert found is not None
    rows = []
    for database in sorted((ROOT / ".devwiki" / "data").glob("*.sqlite")):
        with sqlite3.connect(database) as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "bot_passwords" in tables:
                rows = db.execute("SELECT bp_grants FROM bot_passwords").fetchall()
    assert len(rows) == 1
    assert set(json.loads(rows[0][0])) == set(found.group(1).split(","))


def test_dev_wiki_passwords_are_never_taken_for_an_option() -> None:
    """createAndPromote.php reads a password starting with '-' as an option (1 wiki in 64 failed)."""
    from wikibot.dev.devwiki import new_password

    for _ in range(2000):
        password = new_password()
        assert re.fullmatch(r"[0-9a-f]{36}", password)
