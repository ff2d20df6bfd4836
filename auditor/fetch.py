"""Licence texts outside the Hub: a card's ``license_link`` often points to GitHub or a vendor site.

``fetch_link(url, ...)`` returns a TextFile (path ``license_link:<url>``) that later stages identify and
scan like a repo file. Safe by construction: http(s) only, timeouts, a 2 MB cap (streamed, stopped early),
text content types only (an HTML page is reduced to its text on purpose, and says so), and an ETag cache
on disk (``$AUDITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/auditor``, else ``~/.cache/auditor``) revalidated
with If-None-Match. Offline, the cache is used or the text is recorded as ``offline`` (unknown).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import time
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auditor.collect import CollectOptions
from auditor.collect.base import decode_text
from auditor.snapshot import (
    MAX_TEXT_BYTES,
    READ_BINARY,
    READ_ERROR,
    READ_MISSING,
    READ_OFFLINE,
    READ_OK,
    READ_TOO_LARGE,
    CollectNote,
    Snapshot,
    TextFile,
    frozen,
)

PREFIX = "license_link:"
HTML_TYPES = ("text/html", "application/xhtml+xml")
HUB_HOSTS = ("huggingface.co", "hf.co")
CHUNK = 65536


def cache_dir() -> Path:
    from auditor.rules import auditor_cache_dir

    return auditor_cache_dir() / "license-links"


def raw_url(url: str) -> str:
    """GitHub 'blob' pages are HTML; the raw file is the licence text."""
    m = re.match(r"^https://github\.com/([^/]+)/([^/]+)/blob/(.+)$", url)
    return f"https://raw.githubusercontent.com/{m.group(1)}/{m.group(2)}/{m.group(3)}" if m else url


class _TextOnly(HTMLParser):
    """Collects the visible text of an HTML page (scripts, styles and navigation dropped)."""

    SKIP = {"script", "style", "nav", "header", "footer", "noscript", "svg", "head"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.depth += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t\xa0]+", " ", ln).strip() for ln in "".join(parser.parts).splitlines()]
    text = "\n".join(ln for ln in lines if ln)
    return text + "\n" if text else ""


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.folder / f"{key}.json", self.folder / f"{key}.txt"

    def get(self, url: str) -> tuple[dict[str, Any], str] | None:
        meta_p, text_p = self._paths(url)
        try:
            meta = json.loads(meta_p.read_text(encoding="utf-8"))
            text = text_p.read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        return (meta, text) if isinstance(meta, dict) and meta.get("url") == url else None

    def put(self, url: str, text: str, etag: str | None, content_type: str, html: bool) -> None:
        meta_p, text_p = self._paths(url)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            text_p.write_text(text, encoding="utf-8")
            meta_p.write_text(
                json.dumps(
                    {
                        "url": url,
                        "etag": etag,
                        "content_type": content_type,
                        "html": html,
                        "fetched_at": int(time.time()),
                    }
                ),
                encoding="utf-8",
            )
        except OSError:
            pass  # a cache we cannot write is not an error


def _blocked_host(host: str) -> bool:
    """Link-local addresses (cloud metadata services) are never fetched."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_link_local
    except ValueError:
        return False


def _from_cache(path: str, hit: tuple[dict[str, Any], str], why: str) -> tuple[TextFile, list[CollectNote]]:
    meta, text = hit
    notes = [
        CollectNote(
            "license-link-cached", "info", f"{path[len(PREFIX) :]}: {why}; used the cached copy", path=path
        )
    ]
    if meta.get("html"):
        notes.append(_html_note(path))
    return TextFile(path, READ_OK, text, len(text.encode("utf-8")), "cached"), notes


def _html_note(path: str) -> CollectNote:
    return CollectNote(
        "license-link-html",
        "low",
        f"{path[len(PREFIX) :]} is an HTML page: its visible text was extracted",
        path=path,
    )


def fetch_link(
    url: str, offline: bool = False, timeout: float = 10.0, cache: Cache | None = None
) -> tuple[TextFile, list[CollectNote]]:
    """Fetch one licence link as a TextFile; never raises for network or content problems."""
    path = PREFIX + url
    cache = cache or Cache(cache_dir())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return TextFile(path, READ_ERROR, None, None, "not an http(s) URL"), [
            CollectNote(
                "license-link-invalid", "low", f"license_link {url!r} is not an http(s) URL", path=path
            )
        ]
    if _blocked_host(parts.hostname):
        return TextFile(path, READ_ERROR, None, None, "link-local address"), [
            CollectNote(
                "license-link-blocked", "medium", f"{url}: link-local address, not fetched", path=path
            )
        ]
    hit = cache.get(url)
    if offline:
        if hit:
            meta, text = hit
            return TextFile(path, READ_OK, text, len(text.encode("utf-8")), "cached"), (
                [_html_note(path)] if meta.get("html") else []
            )
        return TextFile(path, READ_OFFLINE, None, None, "offline and not cached"), [
            CollectNote(
                "license-link-offline", "medium", f"{url}: offline and not in the cache: not read", path=path
            )
        ]
    import requests

    from auditor import __version__

    headers = {
        "User-Agent": f"auditor/{__version__}",
        "Accept": "text/plain, text/markdown, text/*;q=0.9, */*;q=0.1",
    }
    if hit and hit[0].get("etag"):
        headers["If-None-Match"] = str(hit[0]["etag"])
    try:
        with requests.Session() as session:
            session.max_redirects = 5
            resp = session.get(raw_url(url), headers=headers, timeout=(timeout, timeout), stream=True)
            with resp:
                if resp.status_code == 304 and hit:
                    return _from_cache(path, hit, "not modified")
                if resp.status_code in (404, 410):
                    return TextFile(path, READ_MISSING, None, None, f"HTTP {resp.status_code}"), [
                        CollectNote(
                            "license-link-missing", "medium", f"{url}: HTTP {resp.status_code}", path=path
                        )
                    ]
                if resp.status_code >= 400:
                    raise requests.HTTPError(f"HTTP {resp.status_code}")
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                is_html = ctype in HTML_TYPES
                if not is_html and not ctype.startswith("text/"):
                    return TextFile(path, READ_BINARY, None, None, f"content type {ctype or 'missing'}"), [
                        CollectNote(
                            "license-link-not-text",
                            "medium",
                            f"{url}: content type {ctype or 'missing'} is not text: not read",
                            path=path,
                        )
                    ]
                data = bytearray()
                for chunk in resp.iter_content(CHUNK):
                    data.extend(chunk)
                    if len(data) > MAX_TEXT_BYTES:
                        return TextFile(path, READ_TOO_LARGE, None, None, "over the 2 MB cap"), [
                            CollectNote(
                                "license-link-too-large",
                                "medium",
                                f"{url}: over the 2 MB cap: recorded, not read",
                                path=path,
                            )
                        ]
                etag = resp.headers.get("ETag")
    except requests.RequestException as exc:
        if hit:
            return _from_cache(path, hit, f"fetch failed ({type(exc).__name__})")
        return TextFile(path, READ_ERROR, None, None, type(exc).__name__), [
            CollectNote(
                "license-link-error", "medium", f"{url}: could not fetch ({type(exc).__name__})", path=path
            )
        ]
    body, notes = decode_text(bytes(data), path)
    if body is None:
        return TextFile(path, READ_BINARY, None, len(data), "binary"), [
            CollectNote("license-link-not-text", "medium", f"{url}: binary content: not read", path=path)
        ]
    if is_html:
        body = html_to_text(body)
        notes.append(_html_note(path))
    cache.put(url, body, etag, ctype, is_html)
    return TextFile(path, READ_OK, body, len(data)), notes


def link_to_fetch(snapshot: Snapshot) -> str | None:
    """The card's license_link when it points outside the repo (a relative link is a repo file)."""
    link = snapshot.metadata.get("license_link")
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if host in HUB_HOSTS and parts.path.strip("/").startswith(f"{snapshot.id}/"):
        return None  # a file of this very repo: the collector reads it already
    return link


def attach_license_link(snapshot: Snapshot, options: CollectOptions) -> Snapshot:
    """The snapshot plus the text behind an off-Hub license_link (or a record that it could not be read)."""
    url = link_to_fetch(snapshot)
    if url is None or PREFIX + url in snapshot.texts:
        return snapshot
    text, notes = fetch_link(url, offline=options.offline, timeout=options.timeout)
    texts = dict(snapshot.texts)
    texts[text.path] = text
    return replace(snapshot, texts=frozen(texts), notes=(*snapshot.notes, *notes))
