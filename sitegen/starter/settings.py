"""The site.yml of a new site: the clinic's details, and warning levels worded in each of its languages.

The levels are the bundled site's, generalised to fit any topic: its emergency level follows a
fact sheet on spinal cord compression, which asks patients to call the cancer team's 24-hour line
first; for a sign that can mean an emergency of any kind, the first call is the emergency number.
The other levels already fit any topic, and are the bundled site's words.
"""

from __future__ import annotations

import json

LEVELS = (
    ("emergency", {
        "name": {"en": "Emergency", "es": "Emergencia"},
        "heading": {"en": "Get help now if you have any of these signs:",
                    "es": "Pida ayuda ahora si tiene alguna de estas señales:"},
        "action": {"en": "Call {emergency_number} now.", "es": "Llame ahora al {emergency_number}."},
        "fallback": {"en": "If you cannot call, have someone take you to the nearest emergency room.",
                     "es": "Si no puede llamar, pida a alguien que lo lleve a la sala de emergencias más cercana."},
    }),
    ("urgent", {
        "name": {"en": "Urgent", "es": "Urgente"},
        "heading": {"en": "Call straight away, day or night, if you have any of these signs:",
                    "es": "Llame enseguida, de día o de noche, si tiene alguna de estas señales:"},
        "action": {"en": "Call your care team's 24-hour number straight away: {after_hours_phone}.",
                   "es": "Llame enseguida al número de 24 horas de su equipo de atención: {after_hours_phone}."},
        "fallback": {"en": "If you cannot reach them, go to the emergency room.",
                     "es": "Si no logra hablar con ellos, vaya a la sala de emergencias."},
    }),
    ("same-day", {
        "name": {"en": "Same day", "es": "El mismo día"},
        "heading": {"en": "Call your care team today if you have any of these signs:",
                    "es": "Llame hoy a su equipo de atención si tiene alguna de estas señales:"},
        "action": {"en": "Call your care team today: {phone}.", "es": "Llame hoy a su equipo de atención: {phone}."},
        "fallback": {"en": "If their office is closed, call the 24-hour number: {after_hours_phone}.",
                     "es": "Si la oficina está cerrada, llame al número de 24 horas: {after_hours_phone}."},
    }),
    ("soon", {
        "name": {"en": "Soon", "es": "Pronto"},
        "heading": {"en": "Tell your care team soon if you have any of these signs:",
                    "es": "Avise pronto a su equipo de atención si tiene alguna de estas señales:"},
        "action": {"en": "Call your care team's office soon, during opening hours: {phone}.",
                   "es": "Llame pronto a la oficina de su equipo de atención, en horario de oficina: {phone}."},
        "fallback": {"en": "If it suddenly gets much worse, call the 24-hour number: {after_hours_phone}.",
                     "es": "Si empeora de repente, llame al número de 24 horas: {after_hours_phone}."},
    }),
)
LANGUAGES = ("en", "es")  # the languages a new site can start with: its pages, levels and strings exist in them
DESCRIPTIONS = {"en": "Plain-language information for patients and their families.",
                "es": "Información en palabras sencillas para pacientes y sus familias."}

HEAD = """\
# The site's settings: its title and address, the clinic's details and the warning levels.
# A TODO is a detail still to fill in: `sitegen check` lists each one, and publishing waits for them.
"""
REVIEW = """\
review_interval_months: 12
reading_grade: 8
# Unreviewed pages are published, each saying that a clinician has not reviewed it yet. Once every
# page is reviewed, set this to false: then a page without a clinician's review stops the build.
publish_unreviewed: true
paper: letter
"""
LEVELS_HEAD = """\
# The clinic's policy for warning signs, most urgent first: what each level asks readers to do
# first, with the number to call, and what to do if that fails. Every care card and handout uses
# these words; the signs themselves are in content/<lang>/warning-signs.yml. Only a clinician
# should change a level.
warning_levels:
"""


def quoted(text: str) -> str:
    """Return text as a double-quoted YAML scalar (JSON's quoting is YAML's), read back as typed."""
    return json.dumps(text, ensure_ascii=False)


def site_yml(details) -> str:
    """Return the text of site.yml for the details of a new site (newsite.Details)."""
    langs = details.languages
    clinic = [f"  name: {quoted(details.clinic_name)}", f"  phone: {quoted(details.phone)}",
              f"  after_hours_phone: {quoted(details.after_hours_phone)}", f"  address: {quoted(details.address)}"]
    if details.website:
        clinic.append(f"  website: {quoted(details.website)}")
    lines = [HEAD + _per_language("title", details.titles, langs), _per_language("description", DESCRIPTIONS, langs),
             f"base_url: {quoted(details.base_url)}", f"languages: [{', '.join(langs)}]", "clinic:", *clinic,
             f"emergency_number: {quoted(details.emergency_number)}",
             "# The clinic's time zone: it decides what \"today\" is for review dates.",
             f"timezone: {quoted(details.timezone)}", REVIEW + LEVELS_HEAD + _levels(langs)]
    return "\n".join(lines)


def _per_language(key: str, texts: dict[str, str], langs) -> str:
    if len(langs) == 1:
        return f"{key}: {quoted(texts[langs[0]])}"
    return f"{key}:\n" + "\n".join(f"  {lang}: {quoted(texts[lang])}" for lang in langs)


def _levels(langs) -> str:
    out = []
    for level_id, texts in LEVELS:
        out.append(f"  - id: {level_id}")
        for name, words in texts.items():
            if len(langs) == 1:
                out.append(f"    {name}: {quoted(words[langs[0]])}")
            else:
                out.append(f"    {name}:\n" + "\n".join(f"      {lang}: {quoted(words[lang])}" for lang in langs))
    return "\n".join(out) + "\n"
