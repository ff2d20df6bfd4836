"""Split a model card into YAML front matter and body, defensively.

Broken, hostile or odd YAML never raises: it yields empty metadata and a CollectNote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from auditor.snapshot import CollectNote

_FRONT = re.compile(r"\A\s*---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
MAX_FRONT_MATTER = 512 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000  # after alias expansion


@dataclass
class Card:
    metadata: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    notes: list[CollectNote] = field(default_factory=list)


def _children(node: Any) -> list[Any]:
    value = getattr(node, "value", None)
    if not isinstance(value, list):
        return []
    out: list[Any] = []
    for item in value:
        out.extend(item if isinstance(item, tuple) else (item,))
    return out


def _shape(root: Any) -> tuple[int, int]:
    """(depth, node count with aliases expanded) of a composed YAML node graph; (-1, -1) when cyclic.

    Iterative and memoised per node, so alias bombs ("billion laughs") and deep nesting cost linear time.
    """
    measured: dict[int, tuple[int, int]] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        nid = id(node)
        kids = _children(node)
        if finished:
            on_path.discard(nid)
            depth = 1 + max((measured[id(k)][0] for k in kids), default=0)
            size = 1 + sum(measured[id(k)][1] for k in kids)
            measured[nid] = (depth, min(size, MAX_NODES + 1))
            continue
        if nid in measured:
            continue
        on_path.add(nid)
        stack.append((node, True))
        for kid in kids:
            if id(kid) in on_path:
                return -1, -1  # a recursive alias
            if id(kid) not in measured:
                stack.append((kid, False))
    return measured[id(root)]


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest


def parse_yaml_mapping(
    text: str, path: str, first_line: int
) -> tuple[dict[str, Any], dict[str, int], list[CollectNote]]:
    """Parse a YAML mapping with duplicate-key and nesting-bomb checks."""
    import yaml

    notes: list[CollectNote] = []

    def note(nid: str, sev: str, msg: str, line: int | None = None) -> None:
        notes.append(CollectNote(nid, sev, msg, path=path, line=line or first_line))

    if len(text) > MAX_FRONT_MATTER:
        note("card-metadata-too-large", "medium",
             f"{path}: front matter over {MAX_FRONT_MATTER} bytes; ignored")
        return {}, {}, notes
    if _bracket_depth(text) > MAX_DEPTH:
        note("card-metadata-invalid", "medium",
             f"{path}: front matter nests deeper than {MAX_DEPTH}; ignored")
        return {}, {}, notes
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loader = loader_cls(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        note("card-metadata-invalid", "high",
             f"{path}: front matter is not valid YAML ({problem}); ignored", line)
        return {}, {}, notes
    except RecursionError:
        note("card-metadata-invalid", "high", f"{path}: front matter nests too deeply; ignored")
        return {}, {}, notes
    if root is None:
        return {}, {}, notes
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a scalar"
        note("card-metadata-invalid", "high", f"{path}: front matter is {kind}, not a mapping; ignored")
        return {}, {}, notes
    depth, size = _shape(root)
    if depth < 0:
        note("card-metadata-invalid", "high", f"{path}: front matter holds a recursive alias; ignored")
        return {}, {}, notes
    if depth > MAX_DEPTH:
        note("card-metadata-invalid", "medium",
             f"{path}: front matter nests deeper than {MAX_DEPTH}; ignored")
        return {}, {}, notes
    if size > MAX_NODES:
        note("card-metadata-invalid", "high",
             f"{path}: front matter expands to over {MAX_NODES} values through aliases; ignored")
        return {}, {}, notes
    key_lines: dict[str, int] = {}
    for key_node, _ in root.value:
        key = str(getattr(key_node, "value", ""))
        line = first_line + key_node.start_mark.line
        if key in key_lines:
            note("card-metadata-duplicate-key", "medium",
                 f"{path}: key {key!r} appears twice (lines {key_lines[key]} and {line}); the last one wins",
                 line)
        key_lines[key] = line
    try:
        constructor = loader_cls("")
        data = constructor.construct_document(root)
        constructor.dispose()
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        note("card-metadata-invalid", "high",
             f"{path}: front matter could not be read ({exc.__class__.__name__})")
        return {}, {}, notes
    if not isinstance(data, dict):
        return {}, {}, notes
    clean = {str(k): v for k, v in data.items()}
    return clean, {k: v for k, v in key_lines.items() if k in clean}, notes


def split_card(text: str, path: str = "README.md") -> Card:
    """Split README text into metadata, key lines and body."""
    card = Card()
    match = _FRONT.match(text)
    if not match:
        card.body = text
        card.notes.append(CollectNote("card-no-metadata", "medium",
                                      f"{path} has no YAML front matter "
                                      "(no license, datasets or base_model keys)",
                                      path=path, line=1))
        return card
    yaml_text = match.group(1) or ""
    leading = text[: match.start(1) if match.group(1) is not None else match.end()]
    first_line = leading.count("\n") + 1
    card.metadata, card.key_lines, card.notes = parse_yaml_mapping(yaml_text, path, first_line)
    card.body = text[match.end():]
    card.body_line = text[: match.end()].count("\n") + 1
    return card
