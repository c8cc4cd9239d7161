"""Text as a wiki can store it."""

from __future__ import annotations

import unicodedata


def clean_text(value: str) -> str:
    """NFC text without the characters a wiki cannot store (control characters but tab and newlines)."""
    value = unicodedata.normalize("NFC", value)
    return "".join(
        ch
        for ch in value
        if ch in "\t\n\r"
        or (
            unicodedata.category(ch) not in ("Cc", "Cs")
            and not (0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE)
        )
    )
