"""What `sitegen init` writes: a small site that builds at once, in English and Spanish.

The pages, glossaries, warning signs and the picture are files of this folder (en/, es/,
images/); the editors' README, .gitignore and the publishing workflow are in project/. site.yml is
made from the clinic's details (settings.py). `{{name}}` in a file is filled in from the details.
"""

from __future__ import annotations

import re
from pathlib import Path

from .settings import LANGUAGES, quoted, site_yml

HERE = Path(__file__).resolve().parent
LANGUAGE_FILES = ("index.md", "help.md", "glossary.md", "glossary.yml", "warning-signs.yml")
IMAGES = ("call-for-help.svg",)
WORKFLOW = ".github/workflows/publish.yml"
REQUIREMENTS = "requirements.txt"
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
_FIELD = re.compile(r"\{\{(\w+)\}\}")


def site_files(details, pages: dict[str, str] | None = None) -> dict[str, str | bytes]:
    """Return {path in the new site folder: text or bytes} of a new site.

    pages are pages brought in from elsewhere (content paths, such as en/index.md); they take the
    place of a starter file with the same path.
    """
    files: dict[str, str | bytes] = {
        "content/site.yml": site_yml(details),
        "README.md": fill(_text("project/README.md"), readme_fields(details, page_names(details.languages[0], pages or {}))),
        ".gitignore": _text("project/gitignore"),
        WORKFLOW: _text("project/publish.yml"),
        REQUIREMENTS: requirements(details.sitegen_from),
    }
    names = page_names(details.languages[0], pages or {})
    for lang in details.languages:
        fields = {"title": quoted(details.titles[lang]), "help_page": names["help.md"], "glossary_page": names["glossary.md"]}
        for name in LANGUAGE_FILES:
            files[f"content/{lang}/{names.get(name, name)}"] = fill(_text(f"{lang}/{name}"), fields)
        for name in IMAGES:
            files[f"content/{lang}/images/{name}"] = (HERE / "images" / name).read_bytes()
    files.update((f"content/{rel}", text) for rel, text in (pages or {}).items())
    return files


def workflow_text() -> str:
    """Return the publishing workflow as init writes it (the README shows the same)."""
    return _text("project/publish.yml")


def requirements(spec: str) -> str:
    return ("# The sitegen this site is built with: the publishing workflow installs it with\n"
            "# pip install -r requirements.txt (see README.md).\n" + spec + "\n")


def page_names(lang: str, pages: dict[str, str]) -> dict[str, str]:
    """Return the names of the starter's help page and glossary: their own, unless a page brought in has it."""
    names = {}
    for name, others in (("help.md", ("get-help.md", "when-to-get-help.md")),
                         ("glossary.md", ("words-we-use.md", "medical-words.md"))):
        names[name] = next(n for n in (name, *others, f"starter-{name}") if f"{lang}/{n}" not in pages)
    return names


def readme_fields(details, names: dict[str, str]) -> dict[str, str]:
    langs = details.languages
    others = [lang for lang in langs[1:]]
    row = (f"| `sitegen translated {others[0]}/{names['help.md']}` | record that a translated page matches its "
           f"{LANGUAGE_NAMES[langs[0]]} page as it is now |") if others else ""
    return {"title": details.titles[langs[0]], "lang": langs[0], "translated_row": row, "help_page": names["help.md"],
            "languages": ", ".join(f"`{lang}/` in {LANGUAGE_NAMES[lang]}" for lang in langs)}


def fill(text: str, fields: dict[str, str]) -> str:
    """Replace each {{name}} with its field; a name without a field is a bug in the starter files."""
    return _FIELD.sub(lambda match: fields[match.group(1)], text)


def _text(rel: str) -> str:
    return (HERE / rel).read_text(encoding="utf-8")


__all__ = ["LANGUAGES", "site_files", "workflow_text"]
