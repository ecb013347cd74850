"""The Indonesian catalogue is complete, and compiled."""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


def entries() -> list[str]:
    return [block for block in PO.read_text(encoding="utf-8").split("\n\n") if "msgid" in block]


def is_untranslated(block: str) -> bool:
    # An empty msgstr is `msgstr ""` not continued by a further "..." line.
    return bool(re.search(r'^msgstr(\[\d\])? ""$(?!\n")', block, re.M))


def test_every_message_has_an_indonesian_translation_and_none_is_fuzzy():
    assert is_untranslated('msgid "a"\nmsgstr ""')
    assert not is_untranslated('msgid "a"\nmsgstr ""\n"b"')
    assert not is_untranslated('msgid "a"\nmsgstr "b"')
    untranslated = [block for block in entries()[1:] if is_untranslated(block)]
    assert untranslated == []
    assert not [block for block in entries() if "#, fuzzy" in block]


def msgids() -> set[str]:
    found = set()
    for block in entries()[1:]:
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
        found.add("".join(parts).encode().decode("unicode_escape").encode("latin-1").decode())
    return found


def test_the_compiled_catalogue_matches_the_source():
    with PO.with_suffix(".mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    assert msgids() - compiled == set()
    with translation.override("id"):
        assert translation.gettext("Sold out") == "Stok habis"
