"""Normalise licence text the way licensee and the SPDX matching guidelines do.

Lower case; curly quotes, dashes and bullets folded; markdown emphasis, headings and links removed;
copyright lines dropped; all whitespace collapsed to single spaces.
"""

from __future__ import annotations

import hashlib
import re

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\ufeff": " ", "\u200b": "",
})
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|\(c\)|\u00a9).*$", re.I | re.M)
_MD_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_MD_MARKS = re.compile(r"[*_#>|~\\]+")
_BULLET = re.compile(r"^\s*(?:[-+\u2022\u25cf\u25aa\u25e6]|\d{1,3}[.)]|\(?[a-z]{1,4}\))\s+", re.M)
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Normalised form used for phrase matching and hashing."""
    if not text.isascii() or "`" in text:  # the translation table only maps non-ASCII characters and `
        text = text.translate(_QUOTES)
    text = _COPYRIGHT.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _BULLET.sub(" ", text)
    text = _MD_MARKS.sub(" ", text)
    text = text.lower()
    return _SPACE.sub(" ", text).strip()


def normalize_phrase(phrase: str) -> str:
    """A trigger phrase normalised like text (without bullet stripping)."""
    phrase = phrase.translate(_QUOTES)
    phrase = _MD_MARKS.sub(" ", phrase).lower()
    return _SPACE.sub(" ", phrase).strip()


def text_hash(text: str) -> str:
    """sha256 of the normalised text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()
