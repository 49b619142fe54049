"""The clinic's details for a new site: from the options, asked on a terminal, else placeholders.

A detail that is not given becomes a TODO that `check` lists (checks/placeholders.py), so the new
site builds at once and nothing is guessed: a wrong phone number on a care card is worse than one
that plainly says it is missing. Questions are asked only when input comes from a terminal, so a
script or a CI job never waits for an answer.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from dataclasses import dataclass
from typing import Callable
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .config import not_a_folder
from .phones import tel_uri
from .sources import CONTROL, CONTROL_HINT, control_name
from .starter.settings import LANGUAGES
from .today import zone_exists

LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
SOURCE_TREE = Path(__file__).resolve().parent.parent
INSTALL_EXAMPLE = "sitegen @ git+https://github.com/YOUR-ORGANISATION/sitegen@v" + __version__


class DetailError(Exception):
    """A detail that cannot be used, with what to give instead."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Detail:
    """One detail: its option, its question, its placeholder (None: it has a default instead)."""

    name: str
    option: str
    question: str
    placeholder: str | None = None
    default: str | None = None
    optional: bool = False  # left out of site.yml when not given


DETAILS = (
    Detail("clinic_name", "--clinic-name", "The clinic's name", "TODO: the clinic's name"),
    Detail("phone", "--phone", "The clinic's phone number (office hours)", "TODO: the clinic's phone number"),
    Detail("after_hours_phone", "--after-hours-phone", "The 24-hour phone number", "TODO: the 24-hour phone number"),
    Detail("address", "--address", "The clinic's address", "TODO: the clinic's address"),
    Detail("emergency_number", "--emergency-number", "The emergency number where your readers live (such as 911)",
           "TODO: the emergency number, such as 911"),
    Detail("base_url", "--base-url", "The site's address on the web (https://...)", "https://TODO.example.org/"),
    Detail("timezone", "--timezone", "The clinic's time zone (such as America/New_York)", default="UTC"),
    Detail("website", "--website", "The clinic's own website, if it has one (https://...)", optional=True),
)


@dataclass(frozen=True)
class Details:
    """Everything site.yml and the starter pages are made from."""

    languages: tuple[str, ...]
    titles: dict[str, str]
    clinic_name: str
    phone: str
    after_hours_phone: str
    address: str
    emergency_number: str
    base_url: str
    timezone: str
    website: str | None
    sitegen_from: str


def add_detail_options(p) -> None:
    """Add an option for each detail to a command's parser (init, import)."""
    p.add_argument("--title", action="append", default=[], metavar="TEXT",
                   help='the site\'s title; for another language, LANG=TEXT (for example --title "es=Cuidado de la piel")')
    p.add_argument("--languages", metavar="LIST", help="the site's languages, the first the default: en, es or en,es (default en)")
    for detail in DETAILS:
        p.add_argument(detail.option, dest=detail.name, metavar="TEXT", help=detail.question)
    p.add_argument("--sitegen-from", metavar="REQUIREMENT",
                   help=f'what the publishing workflow installs sitegen from, as pip takes it, e.g. "{INSTALL_EXAMPLE}"')


Ask = Callable[[str], str]


def gather(args, ask: Ask | None) -> Details:
    """Return the details from the options, asking for the rest when ask is given; raise DetailError."""
    asking = _Asking(ask)
    languages = asking.value(args.languages, "The site's languages (en, es or en,es)", "en", parse_languages)
    titles = parse_titles(args.title, languages)
    for lang in languages:
        if lang not in titles:
            question = "The site's title" + (f" in {LANGUAGE_NAMES[lang]}" if lang != languages[0] else "")
            titles[lang] = asking.value(None, question, None, clean_text) or _title_placeholder(lang, languages, titles)
    values = {}
    for detail in DETAILS:
        check = CHECKS.get(detail.name, clean_text)
        values[detail.name] = asking.value(getattr(args, detail.name), detail.question, detail.default, check) \
            or detail.placeholder
    return Details(languages, titles, sitegen_from=clean_text(args.sitegen_from or "") or installed_from(), **values)


class _Asking:
    """Questions on a terminal: an empty answer keeps the default, a wrong one is asked again."""

    def __init__(self, ask: Ask | None):
        self.ask = ask

    def value(self, given, question: str, default, check):
        if given is not None:
            return check(given)  # an option's wrong value is an error: the command was wrong
        if self.ask is None:
            return check(default) if default else None
        for _ in range(3):
            try:
                answer = self.ask(f"{question}{f' [{default}]' if default else ''}: ").strip()
            except EOFError:  # Ctrl-D: no more answers; the rest become placeholders
                self.ask = None
                answer = ""
            try:
                return check(answer or default) if (answer or default) else None
            except DetailError as exc:
                print(f"  {exc} {exc.hint}")
        return check(default) if default else None


def parse_languages(text: str) -> tuple[str, ...]:
    codes = [code.strip().lower() for code in re.split(r"[,\s]+", text) if code.strip()]
    unknown = [code for code in codes if code not in LANGUAGES]
    if not codes or unknown or len(set(codes)) != len(codes):
        raise DetailError(f"--languages must list {' and/or '.join(LANGUAGES)}, each once, got {text!r}",
                          f"A new site starts in {', '.join(LANGUAGES)} or both (--languages en,es), the first the "
                          "default; add another language later, as README.md says under Languages.")
    return tuple(codes)


def parse_titles(given: list[str], languages: tuple[str, ...]) -> dict[str, str]:
    """Read --title TEXT (the first language's) and --title LANG=TEXT (another's)."""
    titles = {}
    for item in given:
        lang, sep, text = item.partition("=")
        if not sep or lang not in LANGUAGE_NAMES:
            lang, text = languages[0], item
        if lang not in languages:
            raise DetailError(f'--title gives a title in "{lang}", which is not one of the site\'s languages ({", ".join(languages)})',
                              f"Add it to --languages, for example --languages {languages[0]},{lang}.")
        titles[lang] = clean_text(text)
    return titles


def clean_text(text: str) -> str:
    """The text on one line; an invisible control character is refused, as in the content (sources.CONTROL)."""
    control = CONTROL.search(text)
    if control:
        raise DetailError(f"{text!r} holds an invisible control character ({control_name(control.group())})", CONTROL_HINT)
    return " ".join(text.split())


def _url(text: str) -> str:
    value = clean_text(text)
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or " " in value:
        raise DetailError(f"{value!r} is not a web address", "Give it in full, for example https://www.example.org/care/")
    return value if value.endswith("/") or parts.path.rsplit("/", 1)[-1].count(".") else value + "/"


def _site_url(text: str) -> str:
    value = _url(text)
    problem = not_a_folder(value)  # as site.yml's check says it
    if problem:
        raise DetailError(f"{value!r} is not the address of the site's folder: {problem}",
                          "Give the address the home page will have, without index.html, for example "
                          "https://www.example.org/care/")
    return value


def _zone(text: str) -> str:
    value = clean_text(text)
    if not zone_exists(value):
        raise DetailError(f'"{value}" is not a time zone name',
                          "Give the IANA name of the clinic's time zone, for example America/New_York or Europe/Madrid.")
    return value


def _phone(text: str) -> str:
    value = clean_text(text)
    if tel_uri(value) is None:  # the care cards link to it: it must dial (phones.py)
        raise DetailError(f'"{value}" is not a phone number a phone can dial',
                          "Give the number alone, for example 555-0100 (an extension as 555-0100 ext. 2).")
    return value


CHECKS = {"base_url": _site_url, "website": _url, "timezone": _zone,  # the others: any line of text
          "phone": _phone, "after_hours_phone": _phone, "emergency_number": _phone}


def _title_placeholder(lang: str, languages, titles) -> str:
    first = titles.get(languages[0])
    if lang == languages[0] or not first or first.startswith("TODO"):
        return "TODO: the site's title" + ("" if lang == languages[0] else f" in {LANGUAGE_NAMES[lang]}")
    return f"TODO: {first}, in {LANGUAGE_NAMES[lang]}"


def installed_from() -> str:
    """Return how pip can install the running sitegen from anywhere (a repository or a web address), else a TODO.

    Run from a source tree, from a local file or from a package index (where another project may
    have the same name), the publishing workflow could not install the same sitegen: a TODO then.
    """
    unknown = f"TODO: where the publishing workflow installs sitegen from, such as: {INSTALL_EXAMPLE}"
    if (SOURCE_TREE / "pyproject.toml").is_file():  # this repository, not an installed sitegen
        return unknown
    try:
        direct = importlib.metadata.distribution("sitegen").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return unknown
    info = json.loads(direct or "{}")
    url, vcs = info.get("url", ""), info.get("vcs_info")
    if not url.startswith(("https://", "http://")):
        return unknown
    if vcs:
        return f"sitegen @ {vcs.get('vcs', 'git')}+{url}@{vcs.get('commit_id') or vcs.get('requested_revision')}"
    return f"sitegen @ {url}"
