"""Licence texts behind an off-Hub license_link: a local HTTP server (127.0.0.1) stands in for the web."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from auditor.collect import CollectOptions
from auditor.fetch import Cache, attach_license_link, fetch_link, html_to_text, link_to_fetch, raw_url
from auditor.snapshot import (
    READ_BINARY,
    READ_ERROR,
    READ_MISSING,
    READ_OFFLINE,
    READ_OK,
    READ_TOO_LARGE,
    Snapshot,
    frozen,
)

LICENCE = "Example Model Licence 1.0\n\nYou may use the model, but not for more than ten users.\n"
PAGE = (
    "<html><head><title>t</title><style>p{}</style><script>var x=1;</script></head><body>"
    "<nav>Home | Pricing</nav><h1>Example Licence</h1><p>You may use the model.</p>"
    "<p>No more than ten users.</p><footer>(c) vendor</footer></body></html>"
)


class Web:
    """Routes: /licence.txt (ETag), /page.html, /terms.pdf, /huge.txt (3 MB, streamed), 404 elsewhere."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str | None]] = []
        web = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                web.log.append((self.path, self.headers.get("If-None-Match")))
                if self.path == "/licence.txt":
                    if self.headers.get("If-None-Match") == '"v1"':
                        self.send_response(304)
                        self.end_headers()
                        return
                    self.reply(LICENCE.encode(), "text/plain; charset=utf-8", etag='"v1"')
                elif self.path == "/page.html":
                    self.reply(PAGE.encode(), "text/html; charset=utf-8")
                elif self.path == "/terms.pdf":
                    self.reply(b"%PDF-1.4 binary", "application/pdf")
                elif self.path == "/huge.txt":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    try:
                        for _ in range(48):  # 3 MB, sent in pieces; the client stops after 2 MB
                            self.wfile.write(b"a" * 65536)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                else:
                    self.reply(b"not found", "text/plain", status=404)

            def reply(self, body: bytes, ctype: str, status: int = 200, etag: str | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Web:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def web() -> Iterator[Web]:
    with Web() as w:
        yield w


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache")


def test_text_fetched_then_revalidated_with_etag(web: Web, cache: Cache) -> None:
    url = web.url + "/licence.txt"
    text, notes = fetch_link(url, cache=cache, timeout=5)
    assert text.status == READ_OK and text.text == LICENCE and text.path == "license_link:" + url
    assert notes == []
    again, notes = fetch_link(url, cache=cache, timeout=5)
    assert again.text == LICENCE and again.note == "cached"
    assert web.log == [("/licence.txt", None), ("/licence.txt", '"v1"')]  # If-None-Match, 304
    assert [n.id for n in notes] == ["license-link-cached"]


def test_offline_uses_cache_or_records_unknown(web: Web, cache: Cache) -> None:
    url = web.url + "/licence.txt"
    missing, notes = fetch_link(url, offline=True, cache=cache)
    assert missing.status == READ_OFFLINE and missing.text is None and notes[0].id == "license-link-offline"
    fetch_link(url, cache=cache, timeout=5)
    web.log.clear()
    cached, _ = fetch_link(url, offline=True, cache=cache)
    assert cached.status == READ_OK and cached.text == LICENCE
    assert web.log == []  # offline: no request at all


def test_html_reduced_to_text_on_purpose(web: Web, cache: Cache) -> None:
    text, notes = fetch_link(web.url + "/page.html", cache=cache, timeout=5)
    assert text.status == READ_OK
    assert text.text == "Example Licence\nYou may use the model.\nNo more than ten users.\n"
    assert [n.id for n in notes] == ["license-link-html"]


def test_binary_large_missing_and_bad_urls(web: Web, cache: Cache) -> None:
    pdf, notes = fetch_link(web.url + "/terms.pdf", cache=cache, timeout=5)
    assert pdf.status == READ_BINARY and "application/pdf" in notes[0].message
    huge, notes = fetch_link(web.url + "/huge.txt", cache=cache, timeout=5)
    assert huge.status == READ_TOO_LARGE and notes[0].id == "license-link-too-large"
    gone, _ = fetch_link(web.url + "/nope", cache=cache, timeout=5)
    assert gone.status == READ_MISSING
    assert fetch_link("file:///etc/passwd", cache=cache)[0].status == READ_ERROR
    assert fetch_link("http://169.254.169.254/latest/meta-data", cache=cache)[0].status == READ_ERROR


def test_unreachable_server_is_an_error_not_a_crash(cache: Cache) -> None:
    with Web() as w:
        url = w.url + "/licence.txt"
    text, notes = fetch_link(url, cache=cache, timeout=2)  # server closed: connection refused
    assert text.status == READ_ERROR and notes[0].id == "license-link-error"


def test_cache_directory_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, web: Web) -> None:
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "c"))
    fetch_link(web.url + "/licence.txt", timeout=5)
    metas = list((tmp_path / "c" / "license-links").glob("*.json"))
    assert len(metas) == 1 and json.loads(metas[0].read_text())["etag"] == '"v1"'


def test_github_blob_links_go_to_the_raw_file() -> None:
    assert (
        raw_url("https://github.com/org/repo/blob/main/LICENSE")
        == "https://raw.githubusercontent.com/org/repo/main/LICENSE"
    )
    assert raw_url("https://example.org/terms") == "https://example.org/terms"


def test_html_to_text_drops_scripts() -> None:
    assert html_to_text("<p>a</p><script>b</script><p>c &amp; d</p>") == "a\nc & d\n"


def snapshot_with(link: str | None, repo_id: str = "org/model") -> Snapshot:
    meta = {"license": "other"} if link is None else {"license": "other", "license_link": link}
    return Snapshot(id=repo_id, source="hub", metadata=frozen(meta))


def test_which_links_are_fetched() -> None:
    assert link_to_fetch(snapshot_with(None)) is None
    assert link_to_fetch(snapshot_with("LICENSE")) is None  # a repo file: read by the collector
    assert link_to_fetch(snapshot_with("https://huggingface.co/org/model/blob/main/LICENSE")) is None
    assert link_to_fetch(snapshot_with("https://huggingface.co/other/model/blob/main/LICENSE")) is not None
    assert link_to_fetch(snapshot_with("https://vendor.example/licence")) == "https://vendor.example/licence"


def test_hook_adds_the_text_to_the_snapshot(
    web: Web, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path))
    url = web.url + "/licence.txt"
    snap = attach_license_link(snapshot_with(url), CollectOptions(timeout=5))
    assert snap.text("license_link:" + url) == LICENCE
    offline = attach_license_link(snapshot_with(web.url + "/page.html"), CollectOptions(offline=True))
    assert offline.texts["license_link:" + web.url + "/page.html"].status == READ_OFFLINE
    assert any(n.id == "license-link-offline" for n in offline.notes)


def test_cli_records_an_unread_link(tmp_path: Path, web: Web, run_cli) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "model"
    folder.mkdir()
    url = web.url + "/licence.txt"
    (folder / "README.md").write_text(
        f"---\nlicense: other\nlicense_link: {url}\n---\n\n# m\n", encoding="utf-8"
    )
    env = {**__import__("os").environ, "AUDITOR_CACHE_DIR": str(tmp_path / "cache")}
    code, out, err = run_cli("audit", str(folder), "--offline", "--no-lineage", "--format", "json", env=env)
    assert code == 0, err
    unread = json.loads(out)["subject"]["files_not_read"]
    assert {"path": "license_link:" + url, "status": "offline"} in unread
    code, out, err = run_cli("audit", str(folder), "--no-lineage", "--format", "json", env=env)
    assert code == 0, err
    assert ("/licence.txt", None) in web.log
    assert json.loads(out)["subject"]["files_not_read"] == []


class TermsServer:
    """Serves one short licence text of our own wording at /terms.txt."""

    TEXT = (b"Example Research Licence\n\n1. You may use, copy and modify the model for non-commercial "
            b"research purposes only.\n2. Any commercial use is prohibited.\n")

    def __init__(self) -> None:
        text = self.TEXT

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/terms.txt"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_fetched_text_is_scanned_like_a_repo_file(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    server = TermsServer()
    try:
        folder = tmp_path / "model"
        folder.mkdir()
        (folder / "README.md").write_text(
            f"---\nlicense: other\nlicense_name: example-research\nlicense_link: {server.url}\n---\n\n# m\n",
            encoding="utf-8")
        env = {**__import__("os").environ, "AUDITOR_CACHE_DIR": str(tmp_path / "cache")}
        code, out, err = run_cli("audit", str(folder), "--no-lineage", "--format", "sarif", env=env)
        assert code == 0, err
    finally:
        server.close()
    results = json.loads(out)["runs"][0]["results"]
    found = [r for r in results if r["properties"].get("type") == "non-commercial"]
    assert found, "the non-commercial clause of the linked text must be detected"
    loc = found[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == server.url and loc["region"]["startLine"] == 3
