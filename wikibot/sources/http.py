"""Fetch a source over HTTP(S): timeouts, a size cap, bounded retries and conditional GET.

CacheControl keeps the last response on disk with its ETag / Last-Modified, so an unchanged
source costs one request answered by ``304 Not Modified``.  Google Sheets' CSV export
(``.../export?format=csv&gid=N``) is the production source.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path
from typing import Any

import requests
import tenacity
from cachecontrol import CacheControl
from cachecontrol.caches.file_cache import FileCache

from wikibot.errors import SourceError
from wikibot.sources.readers import DEFAULT_MAX_BYTES, RawSource, kind_of

TIMEOUT = (10, 60)  # connect, read (seconds)
ATTEMPTS = 4


class _Retryable(Exception):
    """A transient failure worth another try: 5xx, timeout, connection reset."""


def _as_of(headers: Any) -> str:
    """The date of Last-Modified, else today (UTC)."""
    try:
        return email.utils.parsedate_to_datetime(headers["Last-Modified"]).date().isoformat()
    except (KeyError, TypeError, ValueError):
        return dt.datetime.now(dt.UTC).date().isoformat()


def session(cache_dir: Path) -> requests.Session:
    """A requests session that revalidates with the cached ETag / Last-Modified."""
    base = requests.Session()
    base.headers["User-Agent"] = "KeepItOn-wikibot/0.1 (+https://www.mediawiki.org/wiki/Manual:Pywikibot)"
    base.headers["Cache-Control"] = "no-cache"  # always revalidate: the data may change any time
    return CacheControl(base, cache=FileCache(str(cache_dir)), cacheable_methods=("GET",))


def fetch(
    url: str,
    cache_dir: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    attempts: int = ATTEMPTS,
    wait_max: float = 8.0,
) -> tuple[RawSource, bool]:
    """The source at url and whether it came from the cache after a 304."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SourceError(
            f"{url}: cannot keep the HTTP cache in {cache_dir} ({exc.strerror or type(exc).__name__}); "
            "make it a folder the bot can write (move away a file of that name), or set source.cache_dir"
        ) from None
    http = session(cache_dir)

    @tenacity.retry(
        stop=tenacity.stop_after_attempt(attempts),
        wait=tenacity.wait_exponential(multiplier=0.5, max=wait_max),
        retry=tenacity.retry_if_exception_type(_Retryable),
        reraise=True,
    )
    def once() -> tuple[RawSource, bool]:
        try:
            resp = http.get(url, timeout=TIMEOUT, stream=True)
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from exc
        with resp:
            if resp.status_code >= 500:
                raise _Retryable(f"HTTP {resp.status_code}")
            if resp.status_code >= 400:
                raise SourceError(f"source {url}: HTTP {resp.status_code} {resp.reason}; check the URL")
            ctype = resp.headers.get("Content-Type", "")
            if ctype and "html" in ctype.lower():
                raise SourceError(
                    f"source {url}: the server sent an HTML page, not data ({ctype}); "
                    "is the sheet shared publicly and the URL an export link?"
                )
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise SourceError(f"source {url}: {length} bytes, over the {max_bytes}-byte cap")
            body = bytearray()
            try:
                for chunk in resp.iter_content(65536):
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise SourceError(f"source {url}: more than {max_bytes} bytes, over the cap")
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                raise _Retryable(f"the body was cut short ({type(exc).__name__})") from exc
            if length and length.isdigit() and len(body) != int(length):
                raise _Retryable(f"the body was cut short ({len(body)} of {length} bytes)")
            version = resp.headers.get("ETag") or resp.headers.get("Last-Modified") or ""
            cached = bool(getattr(resp, "from_cache", False))
            data = bytes(body)
            return RawSource(url, data, kind_of(url, ctype, data), version, "", _as_of(resp.headers)), cached

    try:
        return once()
    except _Retryable as exc:
        raise SourceError(f"source {url}: {exc}, after {attempts} tries; try again later") from None
    except requests.RequestException as exc:
        raise SourceError(f"source {url}: {type(exc).__name__}: {exc}") from None
