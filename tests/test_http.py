"""Sources over HTTP, against a real local server on 127.0.0.1: 304s, retries, caps, errors."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wikibot.errors import SourceError
from wikibot.sources import SourceSpec, fetch, read_source

CSV = (
    b"start_date,country,shutdown_status,count_year,area_name\n"
    b"2022-01-05,Kazakhstan,Ended,2022,Nationwide\n"
    b"2023-02-20,Somaliland,Unknown,2023,Las Anod\n"
)


class Server:
    """A tiny data server; `plan` says how each next request is answered."""

    def __init__(self) -> None:
        self.body = CSV
        self.content_type = "text/csv; charset=utf-8"
        self.plan: list[str] = []  # "500", "cut", "html": one-shot behaviours, then normal
        self.statuses: list[int] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                mode = server.plan.pop(0) if server.plan else "ok"
                etag = '"' + hashlib.sha1(server.body).hexdigest()[:12] + '"'
                if mode == "500":
                    server.statuses.append(503)
                    self.send_response(503)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == etag and mode == "ok":
                    server.statuses.append(304)
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                server.statuses.append(200)
                body = server.body if mode != "html" else b"<html>sign in</html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html" if mode == "html" else server.content_type)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Wed, 20 May 2026 10:00:00 GMT")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if mode == "cut" else body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/export?format=csv"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.httpd.shutdown()


def spec(server: Server, tmp_path: Path, **kw: object) -> SourceSpec:
    return SourceSpec(server.url, cache_dir=tmp_path / "cache", **kw)  # type: ignore[arg-type]


def test_an_unchanged_source_is_answered_by_a_304(server: Server, tmp_path: Path) -> None:
    first, cached = fetch(spec(server, tmp_path))
    again, cached_again = fetch(spec(server, tmp_path))
    assert server.statuses == [200, 304]
    assert (cached, cached_again) == (False, True)
    assert again.data == first.data == CSV
    assert first.as_of == "2026-05-20"
    result = read_source(spec(server, tmp_path))
    assert [c.key for i in result.incidents for c in i.countries] == ["KZ", "Somaliland"]


def test_a_changed_source_is_read_again(server: Server, tmp_path: Path) -> None:
    fetch(spec(server, tmp_path))
    server.body = CSV + b"2024-01-15,Senegal,Ended,2024,Dakar\n"
    raw, cached = fetch(spec(server, tmp_path))
    assert server.statuses == [200, 200] and not cached and raw.data.endswith(b"Dakar\n")


def test_5xx_and_a_cut_body_are_retried(server: Server, tmp_path: Path) -> None:
    server.plan = ["500", "cut"]
    raw, _ = fetch(spec(server, tmp_path))
    assert raw.data == CSV and server.statuses == [503, 200, 200]


def test_a_source_that_keeps_failing_is_one_clear_error(server: Server, tmp_path: Path) -> None:
    server.plan = ["500"] * 10
    from wikibot.sources import http

    with pytest.raises(SourceError, match=r"HTTP 503, after 2 tries") as info:
        http.fetch(server.url, tmp_path / "c", attempts=2, wait_max=0.01)
    assert server.url in str(info.value)


def test_an_html_page_and_an_oversized_body_are_refused(server: Server, tmp_path: Path) -> None:
    server.plan = ["html"]
    with pytest.raises(SourceError, match="HTML page, not data"):
        fetch(spec(server, tmp_path))
    with pytest.raises(SourceError, match="over the"):
        fetch(spec(server, tmp_path, max_bytes=10))


def test_nothing_listens_is_one_clear_error(tmp_path: Path) -> None:
    from wikibot.sources import http

    with pytest.raises(SourceError, match="after 2 tries"):
        http.fetch("http://127.0.0.1:9/data.csv", tmp_path / "c", attempts=2, wait_max=0.01)


@pytest.mark.parametrize("garbage", [b"", b"\x00" * 10, b"\x92\x01\x02", bytes(range(256)) * 3])
def test_a_spoiled_http_cache_costs_one_full_read(server: Server, tmp_path: Path, garbage: bytes) -> None:
    fetch(spec(server, tmp_path))
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            path.write_bytes(garbage)
    raw, cached = fetch(spec(server, tmp_path))
    assert raw.data == CSV and not cached and server.statuses == [200, 200]


def test_a_file_where_the_http_cache_folder_goes_is_one_clear_error(server: Server, tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("not a folder")
    with pytest.raises(SourceError) as caught:
        fetch(spec(server, tmp_path))
    assert "\n" not in str(caught.value) and "cache_dir" in str(caught.value) and server.statuses == []
