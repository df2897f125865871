"""Write locale/no/LC_MESSAGES/sphinx.po: Sphinx's nb_NO catalog with the reader-visible gaps filled.

Sphinx ships an (almost) empty "no" catalog, while the theme, sphinx-exercise and the search
stemmer only know "no". We keep language = "no" and give Sphinx a complete Norwegian catalog.
Run once after upgrading Sphinx: python tools/make_locale.py
"""
from pathlib import Path

import polib
import sphinx

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(sphinx.__file__).parent / "locale" / "nb_NO" / "LC_MESSAGES" / "sphinx.po"
TARGET = ROOT / "locale" / "no" / "LC_MESSAGES" / "sphinx.po"

FILL = {
    "Your search did not match any documents. Please make sure that all words are spelled correctly "
    "and that you've selected enough categories.":
        "Søket ga ingen treff. Sjekk at alle ord er stavet riktig, og at du har valgt nok kategorier.",
    "Symbols": "Symboler",
    "document": "dokument",
    "Logo of %s": "Logoen til %s",
    "%s %s documentation": "%s %s",
    "Type": "Type",
    "Default": "Standard",
}
PLURAL = {
    "Search finished, found one page matching the search query.":
        ("Søket er ferdig: fant én side som passer søket.",
         "Søket er ferdig: fant ${resultCount} sider som passer søket."),
}

po = polib.pofile(str(SOURCE))
po.metadata["Language"] = "no"
# Sphinx's JavaScript evaluates the plural rule as an expression that must give an index.
po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1) ? 1 : 0;"
for entry in po:
    if entry.msgid in FILL and not entry.msgstr:
        entry.msgstr = FILL[entry.msgid]
    if entry.msgid in PLURAL:
        entry.msgstr_plural = {0: PLURAL[entry.msgid][0], 1: PLURAL[entry.msgid][1]}
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
TARGET.parent.mkdir(parents=True, exist_ok=True)
po.save(str(TARGET))
print(f"wrote {TARGET}")
