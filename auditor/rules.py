"""Load the rule files (knowledge as data) and validate each kind against its JSON Schema.

Rules ship inside the wheel as ``auditor/rules`` (mapped from the top-level ``rules/`` at build time);
in a source checkout they are read from ``rules/`` beside the package. Users add their own with
``--rules DIR``: a folder with any of ``licenses/``, ``restrictions/``, ``frameworks/`` and ``grade.yaml``.
A user entry with the same id as a packaged one replaces it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from auditor.errors import RuleError

SCHEMAS = Path(__file__).parent / "schemas"

# kind -> (sub folder, schema file, key holding the id)
KINDS: dict[str, tuple[str, str, str]] = {
    "licenses": ("licenses", "rules-license.json", "id"),
    "restrictions": ("restrictions", "rules-restriction.json", "id"),
    "frameworks": ("frameworks", "rules-framework.json", "id"),
}


def packaged_rules_dir() -> Path:
    """The rules folder that ships with the package (wheel) or sits beside it (checkout)."""
    inside = Path(__file__).parent / "rules"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / "rules"


def rules_version() -> str:
    path = packaged_rules_dir() / "VERSION"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown"


def load_yaml(path: Path) -> Any:
    """Read one YAML file safely; any problem is a RuleError naming the file."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open("rb") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 - safe loader
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise RuleError(f"{path}:{where} invalid YAML: {getattr(exc, 'problem', None) or exc}") from exc


@cache
def schema(name: str) -> dict[str, Any]:
    with (SCHEMAS / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def validate(data: Any, schema_name: str, path: Path | str) -> None:
    """Validate ``data`` against a bundled schema; raise RuleError naming the file and the field."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema(schema_name))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise RuleError(f"{path}: field {where}: {err.message}")


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _cache_file(kind: str) -> Path | None:
    """Where validated rules of one kind are cached (AUDITOR_RULES_CACHE=0 turns the cache off)."""
    if os.environ.get("AUDITOR_RULES_CACHE", "1") == "0":
        return None
    return auditor_cache_dir() / f"rules-{kind}.json"


def auditor_cache_dir() -> Path:
    """auditor's own cache: $AUDITOR_CACHE_DIR, else $XDG_CACHE_HOME/auditor, else ~/.cache/auditor."""
    explicit = os.environ.get("AUDITOR_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "auditor"


def _read_cache(path: Path | None, signature: str) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("signature") == signature else None
    return files if isinstance(files, dict) else {}


def _write_cache(path: Path | None, signature: str, files: dict[str, Any]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"signature": signature, "files": files}, default=str), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs speed


def load_kind(kind: str, extra_dirs: Sequence[str | Path] = ()) -> dict[str, dict[str, Any]]:
    """Load every rule file of one kind: id -> entry (with ``_file`` set to its path).

    Parsed and validated files are cached on disk keyed by path, size and mtime (and the schema file),
    so an unchanged rule file is neither re-parsed nor re-validated; any change re-validates it.
    """
    from auditor import __version__

    sub, schema_name, key = KINDS[kind]
    schema_stat = (SCHEMAS / schema_name).stat()
    signature = f"{__version__}:{schema_stat.st_mtime_ns}:{schema_stat.st_size}"
    cache_path = _cache_file(kind)
    cached = _read_cache(cache_path, signature)
    seen: dict[str, Any] = {}
    out: dict[str, dict[str, Any]] = {}
    for base in (packaged_rules_dir(), *map(Path, extra_dirs)):
        for path in _files(base / sub):
            st = path.stat()
            hit = cached.get(str(path))
            if isinstance(hit, list) and len(hit) == 3 and hit[:2] == [st.st_mtime_ns, st.st_size]:
                data = hit[2]
            else:
                data = load_yaml(path)
                validate(data, schema_name, path)
            seen[str(path)] = [st.st_mtime_ns, st.st_size, data]
            entry = dict(data)
            entry["_file"] = str(path)
            out[str(entry[key])] = entry
    if any(cached.get(k) != v for k, v in seen.items()):
        _write_cache(cache_path, signature, seen)
    return out


def check_user_dirs(dirs: Iterable[str | Path]) -> None:
    for d in dirs:
        if not Path(d).is_dir():
            raise RuleError(f"--rules {d}: not a folder")


@dataclass
class RuleSet:
    """Lazily loaded rules: each kind is read and validated the first time it is needed."""

    extra_dirs: tuple[str, ...] = ()
    _cache: dict[str, Any] = field(default_factory=dict)

    def kind(self, kind: str) -> dict[str, dict[str, Any]]:
        if kind not in self._cache:
            self._cache[kind] = load_kind(kind, self.extra_dirs)
        result: dict[str, dict[str, Any]] = self._cache[kind]
        return result

    def single(self, name: str, schema_name: str | None = None) -> dict[str, Any]:
        """A single rules file such as ``grade.yaml`` (a user copy replaces the packaged one)."""
        key = f"file:{name}"
        if key not in self._cache:
            path = packaged_rules_dir() / name
            for d in self.extra_dirs:
                if (Path(d) / name).is_file():
                    path = Path(d) / name
            data = load_yaml(path)
            if schema_name:
                validate(data, schema_name, path)
            self._cache[key] = data
        result: dict[str, Any] = self._cache[key]
        return result

    @property
    def version(self) -> str:
        return rules_version() + ("+custom" if self.extra_dirs else "")
