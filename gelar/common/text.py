"""Text normalisation shared by search on every database backend."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
MAX_SEARCH_TERMS = 8
MAX_TERM_LENGTH = 40


def normalize_search_text(*parts: str) -> str:
    """Fold case and accents, keep letters and digits.

    The result is padded with spaces so that `contains(" " + term)` is a
    word-prefix match: the SQLite fallback then finds exactly what the
    PostgreSQL prefix tsquery finds.
    """
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = _NON_WORD.sub(" ", text).split()
    return " " + " ".join(words) + " " if words else ""


def search_terms(query: str) -> list[str]:
    """The terms of a user's query, bounded so odd input stays cheap."""
    if not isinstance(query, str):
        return []
    terms = normalize_search_text(query[:500]).split()
    unique = list(dict.fromkeys(t[:MAX_TERM_LENGTH] for t in terms))
    return unique[:MAX_SEARCH_TERMS]


# A spreadsheet reads a cell starting with one of these as a formula (CSV injection):
# a name typed by a visitor or an exhibitor must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """The text as a spreadsheet will show it, never run it: a quote before a leading
    =, +, -, @, tab or carriage return."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def log_escaped(text: str) -> str:
    """Text for a log line, escaped as Django escapes its own (CVE-2025-48432): a decoded
    request path may hold a line break that would forge a line in the text log."""
    return text.encode("unicode_escape").decode("ascii")
