"""Load and check content/site.yml."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from .checks.placeholders import MARKER as PLACEHOLDER
from .diagnostics import ContentError, Diagnostic, did_you_mean, display_path
from .fields import FieldCheck
from .phones import tel_uri
from .signs import parse_levels
from .today import zone_exists, zone_names
from .sources import read_bytes
from .yamltext import YamlProblem, parse_mapping

SITE_FILE = "site.yml"
SITE_KEYS = {
    "title", "description", "base_url", "languages", "clinic", "emergency_number",
    "review_interval_months", "reading_grade", "publish_unreviewed", "paper", "timezone", "warning_levels",
    "search_example",
}
CLINIC_KEYS = {"name", "phone", "address", "after_hours_phone", "website"}
PAPERS = ("letter", "a4")


@dataclass(frozen=True)
class Clinic:
    """The clinic that publishes the site; shown on every page and handout."""

    name: str
    phone: str
    address: str
    after_hours_phone: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    """Settings from site.yml, with defaults filled in."""

    title: str
    description: str
    base_url: str
    languages: tuple[str, ...]
    clinic: Clinic
    emergency_number: str = "911"
    review_interval_months: int = 12
    reading_grade: int = 8
    publish_unreviewed: bool = False
    paper: str = "letter"
    timezone: str = "UTC"  # the site's calendar: what "today" is (see today.py)
    levels: tuple = ()  # the warning levels (signs.Level), most urgent first
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) for the other languages
    descriptions: tuple[tuple[str, str], ...] = ()
    search_example: str = ""  # words the search box suggests ("For example, ..."); none when not given
    search_examples: tuple[tuple[str, str], ...] = ()

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def for_language(self, lang: str) -> "SiteConfig":
        """Return the settings as readers of one language see them: the title in their language."""
        return replace(self, title=dict(self.titles).get(lang, self.title),
                       description=dict(self.descriptions).get(lang, self.description),
                       search_example=dict(self.search_examples).get(lang, ""))


def load_config(content_dir: Path, base_url: str | None = None) -> SiteConfig:
    """Read site.yml from content_dir; raise ContentErrors listing every problem."""
    path = content_dir / SITE_FILE
    shown = display_path(path)
    if not os.path.lexists(path):
        raise ContentError(Diagnostic(shown, None, "site.missing", "the site settings file is missing",
                                      f"Create {shown} with at least title, base_url, languages and clinic."))
    try:
        text = read_bytes(path, content_dir).decode("utf-8-sig")
        doc = parse_mapping(text)
    except UnicodeDecodeError as exc:
        raise ContentError(Diagnostic(shown, None, "encoding", f"the file is not UTF-8 text ({exc.reason})",
                                      "Save the file as UTF-8 in your editor.")) from None
    except YamlProblem as exc:
        raise ContentError(Diagnostic(shown, exc.line, "yaml", str(exc), exc.hint)) from None
    return _check(FieldCheck(shown, doc), doc.data, base_url)


def _check(check: FieldCheck, data: dict, base_url: str | None) -> SiteConfig:
    check.unknown_keys(data, SITE_KEYS)
    clinic = _clinic(check, check.mapping(data, "clinic") or {})
    if "clinic" not in data:
        check.fail(("clinic",), "missing.clinic", 'the required field "clinic" is missing',
                   "Add clinic: with name, phone and address lines indented under it.")
    problems = len(check.problems)
    languages = _languages(check, data.get("languages", ["en"]))
    languages_ok = len(check.problems) == problems  # else the levels' wording cannot be checked against them
    titles = _per_language(check, data, "title", languages, required=True)
    descriptions = _per_language(check, data, "description", languages)
    examples = _per_language(check, data, "search_example", languages)
    config = SiteConfig(
        title=titles.get(languages[0], "Untitled"),
        description=descriptions.get(languages[0], ""),
        titles=tuple(sorted(titles.items())),
        descriptions=tuple(sorted(descriptions.items())),
        search_example=examples.get(languages[0], ""),
        search_examples=tuple(sorted(examples.items())),
        base_url=_base_url(check, base_url or data.get("base_url"), from_cli=bool(base_url)),
        languages=languages,
        clinic=clinic,
        emergency_number=_phone(check, data, "emergency_number", ("emergency_number",), default="911"),
        review_interval_months=check.integer(data, "review_interval_months", 12, minimum=1, maximum=120),
        reading_grade=check.integer(data, "reading_grade", 8, minimum=1, maximum=18),
        publish_unreviewed=check.boolean(data, "publish_unreviewed", False),
        paper=_paper(check, data.get("paper", "letter")),
        timezone=_timezone(check, check.text(data, "timezone", default="UTC")),
        levels=parse_levels(check, data.get("warning_levels"), languages, clinic) if languages_ok else (),
    )
    check.raise_if_failed()
    return config


def _per_language(check: FieldCheck, data: dict, key: str, languages, required=False) -> dict[str, str]:
    """Read a text that is either one line for every language or one line per language."""
    value = data.get(key)
    if not isinstance(value, dict):
        text = check.text(data, key, required=required)
        return {lang: text for lang in languages} if text else {}
    check.unknown_keys(value, set(languages), (key,))
    texts = {lang: check.text(value, lang, (key, lang), required=(lang == languages[0] and required))
             for lang in languages if lang in value or lang == languages[0]}
    return {lang: text for lang, text in texts.items() if text}


def _clinic(check: FieldCheck, data: dict) -> Clinic:
    check.unknown_keys(data, CLINIC_KEYS, ("clinic",))
    return Clinic(
        name=check.text(data, "name", ("clinic", "name"), required=True),
        phone=_phone(check, data, "phone", ("clinic", "phone"), required=True),
        address=check.text(data, "address", ("clinic", "address"), required=True),
        after_hours_phone=_phone(check, data, "after_hours_phone", ("clinic", "after_hours_phone")),
        website=check.url(data, "website", ("clinic", "website")),
    )


def _phone(check: FieldCheck, data: dict, key: str, keys: tuple, required=False, default=None) -> str | None:
    """A number the care cards and the footer link to: it must be one a phone can dial as written."""
    text = check.text(data, key, keys, required=required, default=default)
    placeholder = text is not None and text.startswith(PLACEHOLDER)  # init's TODO: check lists it until filled in
    if text is not None and text != default and not placeholder and tel_uri(text) is None:
        check.fail(keys, f"type.{key}", f'"{key}" must be a phone number a phone can dial, got "{text}"',
                   'Write the number alone, for example 555-0100 (an extension as 555-0100 ext. 2); '
                   "other words go in the address.")
    return text


def _base_url(check: FieldCheck, value, from_cli: bool) -> str:
    url = check.url({"base_url": value}, "base_url", required=True) if not from_cli else value
    if from_cli and not str(value).startswith(("http://", "https://")):
        check.fail(("base_url",), "type.base_url", f"--base-url must start with http:// or https://, got {value!r}",
                   "For example --base-url https://www.example.org/guides/")
        url = None
    problem = not_a_folder(url) if url else None
    if problem:  # every page's address, canonical link and QR code is made from it
        name = "--base-url" if from_cli else '"base_url"'
        check.fail(("base_url",), "type.base_url", f"{name} must be the address of the site's folder: {problem}",
                   "For example https://www.example.org/guides/ (the address the home page has, without index.html).")
        url = None
    return (url or "https://example.org/").rstrip("/") + "/"


def not_a_folder(url: str) -> str | None:
    """Say what keeps url from being a folder address that page addresses can be added to, or None."""
    parts = urlsplit(url)
    if any(c.isspace() for c in url):
        return "it has a space in it"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "it has a ? or # part"
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if not parts.path.endswith("/") and "." in last:
        return f'it ends in a file name, "{last}"'
    return None


def _languages(check: FieldCheck, value) -> tuple[str, ...]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and v.isalpha() and 2 <= len(v) <= 3 for v in value)):
        check.fail(("languages",), "type.languages", f'"languages" must be a list of language codes, got {value!r}',
                   "Write languages: [en] or languages: [en, es]; the first is the default.")
        return ("en",)
    codes = [v.lower() for v in value]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            check.fail(("languages", i), "languages.duplicate", f'the language "{code}" is listed twice',
                       "List each language once: languages: [" + ", ".join(dict.fromkeys(codes)) + "]")
    return tuple(dict.fromkeys(codes))


def _timezone(check: FieldCheck, name: str) -> str:
    if zone_exists(name):
        return name
    zones = zone_names()
    same = [z for z in zones if z.lower() == name.lower()]
    guess = f'Did you mean "{same[0]}"?' if same else did_you_mean(name, zones)
    advice = "Write the IANA name of the clinic's time zone, for example timezone: America/New_York; without it, UTC."
    check.fail(("timezone",), "type.timezone", f'"{name}" is not a time zone name', f"{guess} {advice}".strip())
    return "UTC"


def _paper(check: FieldCheck, value) -> str:
    if str(value).lower() not in PAPERS:
        check.fail(("paper",), "type.paper", f'"paper" must be letter or a4, got {value!r}',
                   "Write paper: letter (US) or paper: a4.")
        return "letter"
    return str(value).lower()
