"""The local development wiki: Debian's MediaWiki on SQLite, served by PHP on 127.0.0.1.

    python -m wikibot.dev.devwiki start   [--dir .devwiki] [--port 8181] [--lang fr]
    python -m wikibot.dev.devwiki stop    [--dir .devwiki]
    python -m wikibot.dev.devwiki reset   [--dir .devwiki] [--port 8181] [--lang fr]
    python -m wikibot.dev.devwiki status  [--dir .devwiki]

``start`` installs what is missing (Debian packages, as root or through ``sudo -n``),
creates a wiki under DIR on first use, and serves it; a second ``start`` reuses a
running wiki.  The port comes from ``--port``, else ``DEVWIKI_PORT``, else 8181.
DIR holds the SQLite database, uploads, the server log, ``accounts.json`` (mode 0600)
and the marker ``installed`` written last, so a half-created DIR is recognised.
Each start also rewrites the pywikibot password file (``user-password.py`` beside
DIR, mode 0600) from the ``accounts.json`` of every dev wiki in that folder.

Only the standard library is used: this runs before the project's venv exists.
Every expected failure ends with one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MEDIAWIKI = Path("/usr/share/mediawiki")
DEBIAN_PACKAGES = ("mediawiki", "php-cli", "php-sqlite3", "php-luasandbox", "librsvg2-bin")
DEFAULT_PORT = 8181
ADMIN_USER = "Admin"
BOT_USER = "KeepItOnBot"
BOT_APP = "wikibot"
# Exactly the grants the README tells an operator to request on a real wiki (least privilege).
BOT_GRANTS = "basic,highvolume,editpage,createeditmovepage,uploadfile,uploadeditmovefile,editmycssjs"
PASSWORD_FILE = "user-password.py"

ROUTER = r"""<?php
// Serves uploaded files from the dev wiki's own folder; everything else is MediaWiki's.
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
if (strncmp($path, '/images/', 8) === 0) {
    $file = getenv('DEVWIKI_IMAGES') . substr($path, 7);
    if (is_file($file) && strpos($path, '..') === false) {
        $types = ['svg' => 'image/svg+xml', 'png' => 'image/png', 'jpg' => 'image/jpeg'];
        $ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
        header('Content-Type: ' . ($types[$ext] ?? 'application/octet-stream'));
        readfile($file);
        return true;
    }
    http_response_code(404);
    return true;
}
return false;
"""

SETTINGS_TAIL = """
# ---- added by wikibot.devwiki ----
$wgServer = WebRequest::detectServer();
$wgCacheDirectory = "{dir}/cache";
$wgUploadDirectory = "{dir}/images";
$wgUploadPath = "/images";
$wgEnableUploads = true;
$wgFileExtensions[] = "svg";
$wgSVGConverter = "rsvg";
$wgMainCacheType = CACHE_NONE;
# PHP's server cannot answer the asynchronous job request MediaWiki makes to itself: run the jobs
# (links tables, re-rendering the pages that link to a new page) at the end of each request.
$wgRunJobsAsync = false;
$wgShowExceptionDetails = true;
$wgEnableBotPasswords = true;
$wgRateLimits = [];
$wgGroupPermissions['bot']['noratelimit'] = true;
$wgPasswordPolicy['policies']['default'] = [];
$wgPasswordPolicy['policies']['sysop'] = [];
$wgPasswordPolicy['policies']['bot'] = [];
wfLoadExtension('ParserFunctions');
$wgPFEnableStringFunctions = true;
wfLoadExtension('Cite');
wfLoadExtension('TemplateData');
{scribunto}
"""

SCRIBUNTO = """wfLoadExtension('Scribunto');
$wgScribuntoDefaultEngine = 'luasandbox';"""
# Settings of the Wikipedia of a language that its dev wiki copies: Arabic Wikipedia shows Western
# digits ($wgTranslateNumerals off), where MediaWiki's default for Arabic is Eastern Arabic ones.
LANGUAGE_SETTINGS = {"ar": "$wgTranslateNumerals = false;  # as on Arabic Wikipedia"}


def new_password() -> str:
    """A random password that no maintenance script takes for an option (hex: never a leading '-')."""
    return secrets.token_hex(18)


class DevWikiError(Exception):
    """An expected failure: one line for the user, no traceback."""


@dataclass(frozen=True)
class DevWiki:
    """One dev wiki: its folder, port and content language."""

    dir: Path
    port: int
    lang: str

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api.php"

    @property
    def marker(self) -> Path:
        return self.dir / "installed"

    @property
    def pidfile(self) -> Path:
        return self.dir / "server.pid"

    @property
    def settings(self) -> Path:
        return self.dir / "LocalSettings.php"


def _run(cmd: list[str], what: str, **kwargs: object) -> str:
    """Run a command; a failure becomes a DevWikiError naming what failed."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    except FileNotFoundError as exc:
        raise DevWikiError(f"{what}: {exc.filename} not found") from exc
    if done.returncode != 0:
        last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise DevWikiError(f"{what} failed (exit {done.returncode}): {last[0]}")
    return str(done.stdout)


def ensure_packages() -> None:
    """Install the Debian packages the dev wiki needs, when missing."""
    missing = [p for p in DEBIAN_PACKAGES if not _installed(p)]
    if not missing:
        if not shutil.which("php"):
            raise DevWikiError("php-cli is installed but php is not on PATH; add /usr/bin to PATH")
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            raise DevWikiError(
                f"missing Debian packages {' '.join(missing)}; install them as root: "
                f"apt-get install {' '.join(DEBIAN_PACKAGES)}"
            )
        prefix = ["sudo", "-n"]
    print(f"devwiki: installing {' '.join(missing)} (apt-get)", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        _run([*prefix, "apt-get", "update", "-q"], "apt-get update", env=env)
        _run([*prefix, "apt-get", "install", "-y", "-q", *DEBIAN_PACKAGES], "apt-get install", env=env)
    except DevWikiError as exc:
        raise DevWikiError(
            f"{exc}; install them by hand: apt-get install {' '.join(DEBIAN_PACKAGES)}"
        ) from exc
    if not shutil.which("php"):
        raise DevWikiError("php is still missing after apt-get; install php-cli by hand")


def _installed(package: str) -> bool:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return shutil.which("php") is not None and MEDIAWIKI.is_dir()
    return "install ok installed" in out.stdout


def _api_sitename(wiki: DevWiki, timeout: float = 2.0) -> str | None:
    """The sitename the API on the wiki's port answers with, or None if nothing answers."""
    url = f"{wiki.api}?action=query&meta=siteinfo&format=json"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            data = json.loads(resp.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError):
        return None
    general = data.get("query", {}).get("general", {}) if isinstance(data, dict) else {}
    return str(general.get("sitename", "")) or ""


def _port_busy(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _check_port_free(port: int) -> None:
    if _port_busy(port):
        raise DevWikiError(
            f"port {port} on 127.0.0.1 is in use by another program; "
            "stop it or choose another port with DEVWIKI_PORT=NNNN"
        )


def _server_pid(wiki: DevWiki) -> int | None:
    try:
        pid = int(wiki.pidfile.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def _sitename(wiki: DevWiki) -> str:
    return f"KeepItOn dev ({wiki.lang}, {wiki.dir.name})"


def install(wiki: DevWiki) -> None:
    """Create a fresh MediaWiki under wiki.dir, with an admin and a bot account."""
    if not (MEDIAWIKI / "maintenance" / "install.php").is_file():
        raise DevWikiError(f"{MEDIAWIKI} has no MediaWiki; run: apt-get install mediawiki")
    for sub in ("data", "images", "cache"):
        (wiki.dir / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(wiki.dir, 0o700)
    accounts: dict[str, dict[str, Any]] = {
        "admin": {"user": ADMIN_USER, "password": new_password()},
        "bot": {"user": BOT_USER, "password": new_password()},
    }
    passfile = wiki.dir / ".adminpass"
    passfile.write_text(accounts["admin"]["password"])
    os.chmod(passfile, 0o600)
    print(f"devwiki: creating a MediaWiki ({wiki.lang}) in {wiki.dir}", flush=True)
    try:
        _run(
            [
                "php",
                str(MEDIAWIKI / "maintenance" / "install.php"),
                "--dbtype=sqlite",
                f"--dbpath={wiki.dir / 'data'}",
                f"--confpath={wiki.dir}",
                f"--server=http://127.0.0.1:{wiki.port}",
                "--scriptpath=",
                f"--lang={wiki.lang}",
                f"--passfile={passfile}",
                "--skins=Vector",
                _sitename(wiki),
                ADMIN_USER,
            ],
            "MediaWiki install.php",
        )
    finally:
        passfile.unlink(missing_ok=True)
    has_lua = _installed("php-luasandbox")
    with wiki.settings.open("a") as out:
        out.write(SETTINGS_TAIL.format(dir=wiki.dir.resolve(), scribunto=SCRIBUNTO if has_lua else ""))
    add_language_settings(wiki)
    conf = f"--conf={wiki.settings}"
    maint = MEDIAWIKI / "maintenance"
    bot = accounts["bot"]
    _run(["php", str(maint / "update.php"), conf, "--quick"], "MediaWiki update.php")
    _run(
        ["php", str(maint / "createAndPromote.php"), conf, "--bot", bot["user"], bot["password"]],
        "creating the bot account",
    )
    token = secrets.token_hex(16)
    _run(
        [
            "php",
            str(maint / "createBotPassword.php"),
            conf,
            f"--appid={BOT_APP}",
            f"--grants={BOT_GRANTS}",
            bot["user"],
            token,
        ],
        "creating the BotPassword",
    )
    accounts["bot"]["botpassword"] = {"app": BOT_APP, "password": token}
    accounts_file = wiki.dir / "accounts.json"
    accounts_file.write_text(json.dumps(accounts, indent=2) + "\n")
    os.chmod(accounts_file, 0o600)
    (wiki.dir / "router.php").write_text(ROUTER)
    (wiki.dir / "lang").write_text(wiki.lang + "\n")
    wiki.marker.write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) + "\n")


def grant_bot(wiki: DevWiki) -> None:
    """Give the bot's BotPassword of a wiki made by an older version the grants of this one."""
    database = wiki.dir / "data" / "my_wiki.sqlite"
    if not database.exists():
        return
    grants = json.dumps(BOT_GRANTS.split(","), separators=(",", ":"))
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as db, db:
        db.execute("UPDATE bot_passwords SET bp_grants = ? WHERE bp_grants != ?", (grants, grants))


def add_language_settings(wiki: DevWiki) -> None:
    """Give the wiki its language's Wikipedia settings (a wiki made by an older version gets them too)."""
    line = LANGUAGE_SETTINGS.get(wiki.lang)
    if line and line not in wiki.settings.read_text():
        with wiki.settings.open("a") as out:
            out.write(line + "\n")


def write_password_file(root: Path) -> Path:
    """Write pywikibot's password file from every dev wiki's accounts.json under root."""
    lines = ["# Written by wikibot.dev.devwiki for the dev wikis. Never commit this file.", ""]
    for accounts_file in sorted(root.glob(".devwiki*/accounts.json")):
        lang_file = accounts_file.parent / "lang"
        lang = lang_file.read_text().strip() if lang_file.is_file() else "fr"
        accounts = json.loads(accounts_file.read_text())
        bot = accounts["bot"]
        app = bot["botpassword"]
        lines.append(
            f"({lang!r}, 'devwiki', {bot['user']!r}, BotPassword({app['app']!r}, {app['password']!r}))"
        )
    target = root / PASSWORD_FILE
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines) + "\n")
    os.chmod(target, 0o600)
    return target


def serve(wiki: DevWiki) -> None:
    """Start PHP's built-in server for the wiki and wait until the API answers."""
    _check_port_free(wiki.port)
    log = (wiki.dir / "server.log").open("ab")
    env = dict(
        os.environ,
        MW_CONFIG_FILE=str(wiki.settings.resolve()),
        PHP_CLI_SERVER_WORKERS="4",
        DEVWIKI_IMAGES=str((wiki.dir / "images").resolve()),
    )
    try:
        proc = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{wiki.port}", "-t", str(MEDIAWIKI), str(wiki.dir / "router.php")],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    except FileNotFoundError as exc:
        raise DevWikiError("php not found; run: apt-get install php-cli php-sqlite3") from exc
    wiki.pidfile.write_text(f"{proc.pid}\n")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DevWikiError(
                f"the PHP server exited at once (status {proc.returncode}); see {wiki.dir}/server.log"
            )
        if _api_sitename(wiki) is not None:
            return
        time.sleep(0.2)
    stop(wiki)
    raise DevWikiError(f"the wiki did not answer on {wiki.api} within 30 s; see {wiki.dir}/server.log")


def start(wiki: DevWiki) -> None:
    """Make sure the wiki exists and is served; reuse it when it already runs."""
    if wiki.dir.exists() and not wiki.marker.exists():
        raise DevWikiError(f"{wiki.dir} is half-created (no 'installed' marker); run: make devwiki-reset")
    if wiki.marker.exists():
        wanted = (wiki.dir / "lang").read_text().strip() if (wiki.dir / "lang").exists() else wiki.lang
        wiki = DevWiki(wiki.dir, wiki.port, wanted)
        add_language_settings(wiki)
        grant_bot(wiki)
        pid = _server_pid(wiki)
        if pid is not None:
            name = _api_sitename(wiki)
            if name == _sitename(wiki):
                print(f"devwiki: reusing the running wiki at {wiki.api}")
                write_password_file(wiki.dir.resolve().parent)
                return
            print(f"devwiki: the server (pid {pid}) does not answer as expected; restarting it")
            stop(wiki)
        elif wiki.pidfile.exists():
            print("devwiki: the server had died; starting it again")
    else:
        ensure_packages()
        _check_port_free(wiki.port)
        install(wiki)
    if not shutil.which("php"):
        raise DevWikiError("php not found; run: apt-get install php-cli php-sqlite3")
    serve(wiki)
    write_password_file(wiki.dir.resolve().parent)
    print(f"devwiki: {_sitename(wiki)} is running at {wiki.api}")


def stop(wiki: DevWiki) -> None:
    """Stop the wiki's PHP server, if it runs."""
    pid = _server_pid(wiki)
    if pid is None:
        wiki.pidfile.unlink(missing_ok=True)
        return
    try:
        os.killpg(pid, signal.SIGTERM)
    except OSError:
        os.kill(pid, signal.SIGTERM)
    for _ in range(50):
        if _server_pid(wiki) is None:
            break
        time.sleep(0.1)
    wiki.pidfile.unlink(missing_ok=True)


def reset(wiki: DevWiki) -> None:
    """Stop the wiki, delete its folder and start an empty one."""
    stop(wiki)
    shutil.rmtree(wiki.dir, ignore_errors=True)
    start(wiki)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wikibot.dev.devwiki", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("start", "stop", "reset", "status"))
    parser.add_argument("--dir", default=".devwiki", type=Path)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args(argv)
    try:
        port = args.port or int(os.environ.get("DEVWIKI_PORT") or DEFAULT_PORT)
    except ValueError:
        print(
            f"devwiki: DEVWIKI_PORT={os.environ.get('DEVWIKI_PORT')!r} is not a port number", file=sys.stderr
        )
        return 1
    wiki = DevWiki(args.dir.absolute(), port, args.lang)
    try:
        if args.command == "start":
            start(wiki)
        elif args.command == "stop":
            stop(wiki)
            print(f"devwiki: stopped ({wiki.dir})")
        elif args.command == "reset":
            reset(wiki)
        else:
            running = _server_pid(wiki) is not None and _api_sitename(wiki) is not None
            print(f"devwiki: {wiki.api} {'running' if running else 'not running'}")
            return 0 if running else 1
    except DevWikiError as exc:
        print(f"devwiki: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
