"""Vietnamese text: NFC storage, diacritic folding, old/new tone placement treated alike."""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement (hoà, tuý, thuỷ) and new-style (hòa, túy, thủy) are the same word.
# Folding drops tones entirely, so both forms meet; `nfc` keeps what the user typed.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean_text(value: str) -> str:
    """What every text input is stored as: NFC, trimmed, inner whitespace collapsed."""
    return _SPACES.sub(" ", nfc(value)).strip()


def fold(value: str) -> str:
    """Search key: lower case, no diacritics, đ→d (mapped first: NFD does not decompose đ)."""
    value = nfc(value).translate(_D_MAP)
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()
