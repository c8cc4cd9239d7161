"""A small fault-injecting HTTP proxy in front of the dev wiki, on 127.0.0.1 only.

Every request is forwarded to the wiki unless a fault is due: from request number ``at``
on (counting from 1), for ``times`` requests (or for good), the proxy answers with the fault
instead. Faults: "503", "reset" (connection closed, no answer), "timeout" (no answer until the
client gives up), "maxlag", "readonly" (API errors), and on edits only "protectedpage",
"abusefilter-disallowed", "blocked". ``before_edit`` runs once before the first edit is
forwarded (a person saving the same page at that moment).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

API_ERRORS = {
    "maxlag": ("maxlag", "Waiting for 127.0.0.1: 7 seconds lagged"),
    "readonly": ("readonly", "The wiki is currently in read-only mode"),
    "protectedpage": ("protectedpage", "This page has been protected to prevent editing"),
    "abusefilter-disallowed": (
        "abusefilter-disallowed",
        "This action has been automatically identified as harmful",
    ),
    "blocked": ("blocked", "You have been blocked from editing"),
}
EDIT_ONLY = {"protectedpage", "abusefilter-disallowed", "blocked"}


class FaultProxy:
    """Forward to upstream, or inject the configured fault."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.count = 0
        self.received = 0  # response body bytes the clients received from upstream since inject()
        self.fault: str | None = None
        self.at = 0
        self.times: int | None = None
        self.before_edit: Callable[[str], None] | None = None
        self.lock = threading.Lock()
        self.log: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                proxy.handle(self, b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                proxy.handle(self, self.rfile.read(length))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def inject(self, fault: str | None, at: int = 1, times: int | None = None) -> None:
        """Inject `fault` from request number `at` (1-based) on, `times` times or for good."""
        with self.lock:
            self.fault, self.at, self.times, self.count, self.received = fault, at, times, 0, 0
            self.log = []

    def close(self) -> None:
        self.server.shutdown()

    def _due(self, params: dict[str, list[str]]) -> str | None:
        with self.lock:
            self.count += 1
            n = self.count
            action = params.get("action", ["?"])[0]
            what = [f"{k}={params[k][0]}" for k in ("meta", "prop", "list") if k in params]
            titles = params.get("titles", [""])[0]
            if titles:
                what.append(f"titles={len(titles.split('|'))}")
            self.log.append(" ".join([action, *what]))
            if self.fault is None or n < self.at or (self.times is not None and self.times <= 0):
                return None
            if self.fault in EDIT_ONLY and action != "edit":
                return None
            if self.times is not None:
                self.times -= 1
            return self.fault

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        query = urllib.parse.urlsplit(handler.path).query
        params = urllib.parse.parse_qs(query)
        if body and "form-urlencoded" in (handler.headers.get("Content-Type") or ""):
            params.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
        fault = self._due(params)
        if fault == "reset":
            handler.close_connection = True
            handler.connection.shutdown(2)
            return
        if fault == "timeout":
            time.sleep(3)
            handler.close_connection = True
            return
        if fault == "503":
            self._reply(handler, 503, b"<html>Service Unavailable</html>", "text/html", {"Retry-After": "0"})
            return
        if fault in API_ERRORS:
            code, info = API_ERRORS[fault]
            headers = {"Retry-After": "0", "X-Database-Lag": "7"} if fault == "maxlag" else {}
            payload = json.dumps({"error": {"code": code, "info": info}, "servedby": "faultproxy"}).encode()
            self._reply(handler, 200, payload, "application/json; charset=utf-8", headers)
            return
        if self.before_edit is not None and params.get("action", [""])[0] == "edit":
            hook, self.before_edit = self.before_edit, None
            hook(params.get("title", [""])[0])
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "content-length")}
        response = requests.request(
            handler.command,
            self.upstream + handler.path,
            data=body or None,
            headers=headers,
            timeout=120,
            allow_redirects=False,
        )
        extra = [(k, v) for k, v in response.headers.items() if k.lower() in ("retry-after", "location")]
        extra += [("Set-Cookie", v) for v in response.raw.headers.getlist("Set-Cookie")]
        with self.lock:
            self.received += len(response.content)
        self._reply(
            handler,
            response.status_code,
            response.content,
            response.headers.get("Content-Type", "text/plain"),
            extra,
        )

    @staticmethod
    def _reply(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        ctype: str,
        extra: dict[str, str] | list[tuple[str, str]],
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in extra.items() if isinstance(extra, dict) else extra:
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)
