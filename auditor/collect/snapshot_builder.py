"""Assemble a Snapshot from what a source gathered; the one place card metadata is interpreted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.collect.frontmatter import Card, split_card
from auditor.snapshot import READ_OK, CollectNote, RepoFile, Snapshot, TextFile, frozen


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
    return []


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def build_snapshot(
    *,
    repo_id: str,
    source: str,
    revision: str | None,
    files: Iterable[RepoFile],
    texts: Mapping[str, TextFile],
    notes: Iterable[CollectNote] = (),
    repo_type: str = "model",
    gated: bool | str | None = None,
    private: bool | None = None,
    card_data: Mapping[str, Any] | None = None,
    tags: Iterable[str] = (),
    config: Mapping[str, Any] | None = None,
    library_name: str | None = None,
    pipeline_tag: str | None = None,
) -> Snapshot:
    """Parse the card (if read) and combine it with Hub metadata. Card text wins over cardData for lines."""
    all_notes = list(notes)
    readme = texts.get("README.md")
    card = Card()
    if readme is not None and readme.status == READ_OK and readme.text is not None:
        card = split_card(readme.text, "README.md")
        all_notes.extend(card.notes)
    elif not any(f.path == "README.md" for f in files) and readme is None:
        all_notes.append(CollectNote("card-missing", "high", "the repo has no README.md model card",
                                     path=None))
    metadata: dict[str, Any] = dict(card.metadata)
    if card_data and not metadata:
        metadata = dict(card_data)
    all_tags = list(dict.fromkeys([*as_list(metadata.get("tags")), *tags]))
    datasets = as_list(metadata.get("datasets"))
    lib = library_name or _str(metadata.get("library_name"))
    pipe = pipeline_tag or _str(metadata.get("pipeline_tag"))
    if gated is None and source != "hub":
        gated_meta = metadata.get("extra_gated_prompt") or metadata.get("extra_gated_fields")
        gated = "manual" if gated_meta else False
    return Snapshot(
        id=repo_id,
        source=source,
        revision=revision,
        repo_type=repo_type,
        gated=gated,
        private=private,
        metadata=frozen(metadata),
        metadata_lines=frozen(card.key_lines),
        card_body=card.body,
        card_body_line=card.body_line,
        tags=tuple(all_tags),
        files=tuple(sorted(files, key=lambda f: f.path)),
        texts=frozen(dict(sorted(texts.items()))),
        datasets=tuple(dict.fromkeys(datasets)),
        config=frozen(config) if config is not None else None,
        library_name=lib,
        pipeline_tag=pipe,
        notes=tuple(all_notes),
    )
