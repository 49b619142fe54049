"""Write a deterministic patient-education corpus: python benchmarks/corpus.py --topics N --out DIR

The corpus is in our content model (site.yml, a home page, a glossary, and en/<topic>/index.md
with four more pages a topic)
and comes with an mkdocs.yml beside it, so MkDocs-Material can build the very same pages.
Every page is 600-900 words of prose drawn from a fixed seed, with headings, lists, a table,
a note, a care card, links between pages (some with #anchors), key points and abbreviations.
The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import yaml

SEED = "sitegen-benchmark-1"
PAGES_PER_TOPIC = 5
SITE_URL = "https://bench.example.org/"

# Markdown extensions and settings as our renderer uses them (sitegen/markdown.py).
MARKDOWN_EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
    {"toc": {"toc_depth": "2-3"}}, "sane_lists", "pymdownx.details", "pymdownx.superfences",
    {"pymdownx.tasklist": {"custom_checkbox": False}},
]

# (file stem, title pattern, care-card level, section headings); headings are fixed so links
# from other pages can name their anchors.
PAGE_KINDS = [
    ("index", "{name}", "emergency",
     ["What is this condition?", "Who gets it?", "What causes it?", "How common is it?",
      "What happens over time?", "Where can I learn more?"]),
    ("symptoms", "Signs of {lower}", "urgent",
     ["What are the signs?", "How does the pain feel?", "Can there be no signs at all?",
      "What other problems can it cause?", "When should I call?"]),
    ("diagnosis", "How doctors find {lower}", "non-urgent",
     ["Which tests will I have?", "What happens during a scan?", "What do blood tests show?",
      "How long do results take?", "What should I ask?"]),
    ("treatment", "Treating {lower}", "urgent",
     ["What are the goals of treatment?", "Which medicines help?", "Will I need surgery?",
      "What are the side effects?", "How do I choose?"]),
    ("living", "Living with {lower}", "non-urgent",
     ["How can I stay active?", "What should I eat?", "How do I manage pain at home?",
      "Who can help me?", "When should I call my team?"]),
]

# The warning levels and signs every page's care card is made from (warning-signs.yml).
LEVELS = {
    "emergency": ("Emergency", "Get help now if you have:", "Call your care team now: {after_hours_phone}.",
                  "If you cannot reach them, call {emergency_number}."),
    "urgent": ("Urgent", "Call your care team today if you have:", "Call today: {after_hours_phone}.", ""),
    "non-urgent": ("Soon", "Contact your care team if you have:", "Call the clinic: {phone}.", ""),
}
SIGNS = {
    "emergency": ["Sudden weakness in both legs", "New trouble passing urine", "A fever with shaking chills"],
    "urgent": ["Pain that stops you sleeping", "A hot, swollen joint", "A new lump that hurts"],
    "non-urgent": ["Pain that lasts more than a week", "Side effects from a new medicine", "Feeling low for weeks"],
}

CONDITIONS = ["strain", "swelling", "stiffness", "weakness", "bone pain", "a broken bone", "an infection",
              "nerve pain", "a cyst", "wear and tear"]
BODY_PARTS = ["knee", "hip", "back", "neck", "shoulder", "ankle", "wrist", "elbow", "foot", "hand",
              "spine", "jaw", "rib", "thigh", "arm"]

WORDS = """
you your care team doctor nurse body bone pain rest walk sleep eat drink water day night week
month help feel better worse often sometimes most people many some test scan blood result
medicine dose pill treatment plan ask question answer tell call change new old sign problem
check home work family friend move stretch sit stand lie hold lift carry slow fast gentle
strong weak swelling heat cold ice warm red sore stiff tired short long small large part
side front back top first next last good safe keep stop start try need want know think
find make take give use may can will should might also only still even just about after
before during while until because if when so and but or with without for from into over
under between near each every other same different easy hard clear simple careful plain
""".split()

# The glossary: some terms the prose uses often, some it never uses, as in a real site.
GLOSSARY = [
    ("Scan", ["scans"], "A picture of the inside of the body, such as an x-ray or an MRI."),
    ("Dose", ["doses"], "How much of a medicine to take, and how often."),
    ("Swelling", [], "When part of the body gets bigger because fluid builds up."),
    ("Treatment", ["treatments"], "Care that aims to cure a problem or ease it."),
    ("Blood test", ["blood tests"], "Taking a little blood from a vein to check it in a lab."),
    ("Stretch", ["stretches"], "Gently moving a muscle to make it longer and less stiff."),
    ("MRI", [], "Magnetic resonance imaging: a scan that uses magnets to show soft parts of the body."),
    ("CT", [], "Computed tomography: a scan that uses x-rays to show slices of the body."),
    ("NSAID", ["NSAIDs"], "A medicine such as ibuprofen that eases pain and swelling."),
    ("GP", [], "A family doctor."),
] + [(f"Term {n}", [], f"A word the pages do not use, number {n}.") for n in range(1, 21)]

ABBREVIATIONS = {
    "MRI": "magnetic resonance imaging",
    "CT": "computed tomography",
    "NSAID": "non-steroidal anti-inflammatory drug",
    "GP": "general practitioner",
}


def slug(text: str) -> str:
    """Return the id Python-Markdown's toc gives a heading (ASCII text)."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def topic_dir(index: int) -> str:
    return f"topic-{index + 1:04d}"


def topic_name(index: int) -> str:
    """Return a readable, stable name for topic number index."""
    condition = CONDITIONS[index % len(CONDITIONS)]
    part = BODY_PARTS[(index // len(CONDITIONS)) % len(BODY_PARTS)]
    return f"{condition[0].upper()}{condition[1:]} in the {part}"


class Writer:
    """Prose from one random stream, so a page's text depends only on its seed."""

    def __init__(self, seed: str):
        self.rng = random.Random(seed)
        self.words = 0

    def sentence(self) -> str:
        """Return one plain sentence, sometimes with bold text or an abbreviation."""
        rng = self.rng
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
        roll = rng.random()
        if roll < 0.08:
            i = rng.randrange(len(words) - 1)
            words[i:i + 2] = [f"**{words[i]} {words[i + 1]}**"]
        elif roll < 0.14:
            words.insert(rng.randrange(len(words)), rng.choice(sorted(ABBREVIATIONS)))
        self.words += len(words)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, links: list[str]) -> str:
        """Return 3-6 sentences; about every other paragraph takes the next of links."""
        text = " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))
        if links and self.rng.random() < 0.5:
            text = text[:-1] + " " + links.pop() + "."
        return text

    def bullets(self, count: int) -> str:
        items = [" ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 7))) for _ in range(count)]
        self.words += sum(len(item.split()) for item in items)
        return "\n".join(f"- {item}" for item in items)

    def table(self) -> str:
        """Return a small Markdown table, as pages use for medicines or tests."""
        rows = ["| What | When | Why |", "| --- | --- | --- |"]
        for _ in range(self.rng.randint(3, 6)):
            cells = [" ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 4))) for _ in range(3)]
            self.words += sum(len(c.split()) for c in cells)
            rows.append("| " + " | ".join(cells) + " |")
        return "\n".join(rows)

    def admonition(self, kind: str, title: str | None, body: str) -> str:
        indented = "\n".join(("    " + line) if line else "" for line in body.split("\n"))
        return f'!!! {kind} "{title}"\n{indented}' if title else f"!!! {kind}\n{indented}"


def page_links(topic: int, kind: int, topics: int) -> list[str]:
    """Return the Markdown links one page makes: siblings with anchors, neighbour topics."""
    links = []
    for other in (kind + 1, kind + 2):
        stem, title, _, headings = PAGE_KINDS[other % PAGES_PER_TOPIC]
        anchor = slug(headings[(topic + other) % len(headings)])
        links.append(f"(see [{stem}]({stem}.md#{anchor}))")
    if topics > 1:
        nxt, prev = topic_dir((topic + 1) % topics), topic_dir((topic - 1) % topics)
        links.append(f"(read about [{topic_name((topic + 1) % topics).lower()}](../{nxt}/index.md))")
        links.append(f"(compare [the signs](../{prev}/symptoms.md#what-are-the-signs))")
    return links


def front_matter(fields: dict) -> str:
    """Return YAML front matter; JSON strings are valid YAML and need no escaping rules."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                first, *rest = item.items()
                lines.append(f"  - {first[0]}: {json.dumps(first[1])}")
                lines.extend(f"    {k}: {json.dumps(v)}" for k, v in rest)
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {json.dumps(v)}" for v in value)
        else:
            lines.append(f"{key}: {json.dumps(value)}")
    return "\n".join(lines + ["---", ""])


def page_text(topic: int, kind: int, topics: int) -> str:
    """Return one page: front matter and a 600-900 word body."""
    stem, title_pattern, care, headings = PAGE_KINDS[kind]
    name = topic_name(topic)
    w = Writer(f"{SEED}/{topic}/{stem}")
    target = w.rng.randint(550, 830)  # headings and the last paragraph bring it to 600-900 words
    links = page_links(topic, kind, topics)
    meta = {
        "title": title_pattern.format(name=name, lower=name.lower()),
        "description": f"Plain facts about {name.lower()}: {headings[0].lower()}",
        "order": kind + 1,
        "key_points": [w.sentence() for _ in range(3)],
        "sources": [{"title": f"{name} ({stem})", "publisher": "Example Health Service",
                     "url": f"https://health.example.org/{topic_dir(topic)}/{stem}"},
                    {"title": "Patient guides", "publisher": "Example Clinic Network",
                     "url": "https://clinic.example.org/guides"}],
    }
    sections = [w.paragraph(links)]
    table_at, note_at, care_at = w.rng.sample(range(len(headings)), 3)
    for number, heading in enumerate(headings):
        parts = [f"## {heading}", w.paragraph(links)]
        if number == 1:
            parts += [f"### More about {heading.rstrip('?').lower()}", w.paragraph(links)]
        if number == table_at:
            parts.append(w.table())
        if number == note_at:
            parts.append(w.admonition("note", "Good to know", w.paragraph([])))
        if number == care_at:
            parts.append(w.admonition(f"signs {care}", None, w.bullets(3)))
        parts.append(w.bullets(w.rng.randint(3, 5)))
        sections.append("\n\n".join(parts))
    while w.words < target:  # pad to the page's word count
        sections[w.rng.randrange(1, len(sections))] += "\n\n" + w.paragraph(links)
    sections[-1] += "".join(f" Read more {link}." for link in links)  # every page links the same ways
    abbr = "\n".join(f"*[{k}]: {v}" for k, v in sorted(ABBREVIATIONS.items()))
    return front_matter(meta) + "\n\n".join(sections) + "\n\n" + abbr + "\n"


def glossary_yml() -> str:
    """Return glossary.yml: one entry a term, in our glossary format."""
    entries = []
    for term, also, definition in GLOSSARY:
        entry = f"- term: {json.dumps(term)}\n"
        if also:
            entry += f"  also: {json.dumps(also)}\n"
        entries.append(entry + f"  definition: {json.dumps(definition)}\n")
    return "\n".join(entries)


GLOSSARY_PAGE = front_matter({
    "title": "Words we use", "description": "Plain meanings of the medical words in this library.",
    "order": 2, "layout": "glossary", "handout": False,
    "sources": [{"title": "Patient guides", "publisher": "Example Clinic Network",
                 "url": "https://clinic.example.org/guides"}],
}) + "These are the medical words this library uses.\n"


def home_text(topics: int) -> str:
    """Return the site's home page, which links to the first topic."""
    meta = {"title": "Patient library", "description": "Plain-language guides for patients and families.",
            "order": 1, "sources": [{"title": "Patient guides", "publisher": "Example Clinic Network",
                                     "url": "https://clinic.example.org/guides"}]}
    body = f"This library has {topics} guides. Start with [{topic_name(0).lower()}]({topic_dir(0)}/index.md).\n"
    return front_matter(meta) + body


SITE_YML = f"""\
title: Benchmark patient library
description: A synthetic corpus for measuring build times.
base_url: {SITE_URL}
languages: [en]
clinic:
  name: Example Clinic
  phone: "555-0100"
  after_hours_phone: "555-0199"
  address: 1 Example Street, Springfield
emergency_number: "911"
publish_unreviewed: true
warning_levels:
""" + "".join(f"""  - id: {level}
    name: {name}
    heading: "{heading}"
    action: "{action}"
""" + (f'    fallback: "{fallback}"\n' if fallback else "") for level, (name, heading, action, fallback) in LEVELS.items())


def warning_signs_yml() -> str:
    """Return warning-signs.yml: one group of signs per level, explained on the help page."""
    lines = ["groups:"]
    for level, signs in SIGNS.items():
        lines += [f"  - id: {level}-signs", f"    name: {LEVELS[level][0]} signs", "    page: help.md", "    signs:"]
        lines += [f"      - id: {slug(sign)}\n        level: {level}\n        says: {json.dumps(sign)}" for sign in signs]
    return "\n".join(lines) + "\n"


HELP_PAGE = front_matter({
    "title": "When to get help", "description": "Every warning sign in this library, and whom to call.",
    "order": 3, "layout": "warning-signs", "handout": False,
    "sources": [{"title": "Patient guides", "publisher": "Example Clinic Network",
                 "url": "https://clinic.example.org/guides"}],
}) + "These are the signs that need help, the most urgent first.\n"


def mkdocs_config(site_name: str, docs_dir: str, site_url: str = SITE_URL) -> dict:
    """Return an mkdocs.yml (as data) that builds our Markdown with Material and our extensions."""
    return {
        "site_name": site_name,
        "site_url": site_url,
        "docs_dir": docs_dir,
        "theme": {"name": "material"},
        "markdown_extensions": MARKDOWN_EXTENSIONS,
    }


def write_corpus(out: Path, topics: int) -> int:
    """Write the corpus into out (which must not hold another corpus); return the page count."""
    en = out / "en"
    en.mkdir(parents=True, exist_ok=True)
    (out / "site.yml").write_text(SITE_YML, encoding="utf-8")
    (out / "mkdocs.yml").write_text(yaml.safe_dump(mkdocs_config("Benchmark patient library", "en"),
                                                   sort_keys=False), encoding="utf-8")
    (en / "index.md").write_text(home_text(topics), encoding="utf-8")
    (en / "glossary.md").write_text(GLOSSARY_PAGE, encoding="utf-8")
    (en / "glossary.yml").write_text(glossary_yml(), encoding="utf-8")
    (en / "warning-signs.yml").write_text(warning_signs_yml(), encoding="utf-8")
    (en / "help.md").write_text(HELP_PAGE, encoding="utf-8")
    for topic in range(topics):
        folder = en / topic_dir(topic)
        folder.mkdir(exist_ok=True)
        for kind, (stem, *_rest) in enumerate(PAGE_KINDS):
            (folder / f"{stem}.md").write_text(page_text(topic, kind, topics), encoding="utf-8")
    return 3 + topics * PAGES_PER_TOPIC  # the home, glossary and help pages, and each topic's


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, required=True, help="number of topics (5 pages each)")
    parser.add_argument("--out", type=Path, required=True, help="the content folder to write")
    args = parser.parse_args(argv)
    if args.topics < 1:
        parser.error("--topics must be at least 1")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty; give a new folder so no stale pages stay behind")
    pages = write_corpus(args.out, args.topics)
    print(f"Wrote {pages} pages ({args.topics} topics, a home page and a glossary) to {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
