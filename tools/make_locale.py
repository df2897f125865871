"""Write the book's Norwegian Sphinx catalog: locale/no/LC_MESSAGES/sphinx.po and sphinx.js.

Sphinx ships an (almost) empty "no" catalog, while the theme, sphinx-exercise and the search
stemmer only know "no". We keep language = "no" and give Sphinx a complete Norwegian catalog,
made from Sphinx's own nb_NO catalog with the reader-visible gaps filled:

* sphinx.po is compiled by Sphinx at build time and translates the pages;
* sphinx.js holds the strings the browser needs (search page, result count): Sphinx copies it
  from the project's locale_dirs into _static/translations.js. Without it the search page's
  messages stay empty.

Run after upgrading Sphinx:  .venv/bin/python tools/make_locale.py
"""
from __future__ import annotations

import json
from pathlib import Path

import sphinx
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(sphinx.__file__).parent / "locale" / "nb_NO" / "LC_MESSAGES"
TARGET = ROOT / "locale" / "no" / "LC_MESSAGES"

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
    "all functions, classes, terms": "alle funksjoner, klasser, begreper",
    # the permalink signs' tooltips (Sphinx 9 strings the nb_NO catalog lacks)
    "Link to this heading": "Lenke til denne overskriften",
    "Link to this term": "Lenke til dette begrepet",
    "Link to this image": "Lenke til denne figuren",
    "Link to this table": "Lenke til denne tabellen",
    "Link to this code": "Lenke til denne koden",
    "Link to this definition": "Lenke til denne definisjonen",
    "Link to this equation": "Lenke til denne likningen",
    "Link to this toctree": "Lenke til denne innholdslisten",
}
#: upstream translations the book replaces (English left in the nb_NO catalog, or a better word)
REPLACE = {
    "Index": "Stikkordregister",
}
PLURAL = {
    "Search finished, found one page matching the search query.":
        ("Søket er ferdig: fant én side som passer søket.",
         "Søket er ferdig: fant ${resultCount} sider som passer søket."),
}
# Sphinx's JavaScript evaluates the plural rule as an expression that must give an index.
PLURAL_EXPR = "(n != 1) ? 1 : 0"


def main() -> None:
    with open(SOURCE / "sphinx.po", "rb") as f:
        catalog = read_po(f, locale="nb_NO")
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in FILL and not message.string:
            message.string = FILL[key]
        elif key in REPLACE:
            message.string = REPLACE[key]
        elif key in FILL and key == "all functions, classes, terms":
            message.string = FILL[key]  # upstream has a Swedish typo («alla»)
        if key in PLURAL:
            message.string = PLURAL[key]
        message.flags.discard("fuzzy")
    TARGET.mkdir(parents=True, exist_ok=True)
    with open(TARGET / "sphinx.po", "wb") as f:
        write_po(f, catalog, width=0)
    # Patch the header: language and plural rule (babel writes the source's own header).
    po = (TARGET / "sphinx.po").read_text(encoding="utf-8")
    po = po.replace("Language: nb_NO", "Language: no")
    po = po.replace("plural=(n != 1);", f"plural={PLURAL_EXPR};")
    (TARGET / "sphinx.po").write_text(po, encoding="utf-8")

    # The browser's catalog: the same message ids as Sphinx's own nb_NO sphinx.js, our strings.
    upstream = (SOURCE / "sphinx.js").read_text(encoding="utf-8")
    payload = json.loads(upstream[upstream.index("(") + 1: upstream.rindex(")")])
    by_id = {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in catalog if m.id}
    messages = {}
    for key in payload["messages"]:
        value = by_id.get(key, "")
        messages[key] = list(value) if isinstance(value, tuple) else value
    out = {"locale": "no", "messages": messages, "plural_expr": PLURAL_EXPR}
    (TARGET / "sphinx.js").write_text(
        "Documentation.addTranslations(" + json.dumps(out, ensure_ascii=False, indent=4, sort_keys=True) + ");\n",
        encoding="utf-8",
    )
    print(f"wrote {TARGET / 'sphinx.po'} and {TARGET / 'sphinx.js'}")


if __name__ == "__main__":
    main()
