"""The PEMAT items a program can check (standards §1.3, items marked A), each pass, fail or n/a.

PEMAT-P scores a page as the share of items that apply which pass, separately for
understandability and actionability. This is the automatic subset; a person still rates the
whole tool at each medical review.
"""

from __future__ import annotations

import re

from ..diagnostics import plural
from .. import readability as rd
from .context import PROSE, PageCheck
from .html import Block
from .jargon import TermScan
from .locate import source_text
from .results import FAIL, NA, PASS, Item

U, A = "understandability", "actionability"
SECTION_WORDS = 150  # words between headings, and words per heading (T7, item 8 and 9)
PARAGRAPH_WORDS = 60  # T7
PARAGRAPH_SENTENCES = 4  # T7
OPENING_SENTENCES = 2  # item 1: the opening says what the page is for in one or two sentences
KEY_POINTS = (3, 5)  # item 11
TABLE_COLUMNS, HEADER_WORDS = 4, 4  # item 19
GENERIC_HEADINGS = {
    "overview", "more", "other", "others", "information", "more information", "other information",
    "introduction", "general", "details", "miscellaneous", "background", "notes",
}
# Item 20: a sentence that starts with one of these verbs tells the reader what to do.
ACTION_VERBS = {
    "en": {
        "add", "ask", "avoid", "book", "bring", "call", "check", "contact", "do", "don't", "drink", "eat", "find",
        "follow", "get", "go", "keep", "learn", "let", "look", "make", "never", "note", "phone", "plan", "put",
        "read", "rest", "see", "share", "show", "speak", "stop", "take", "talk", "tell", "tick", "try", "use",
        "visit", "watch", "wear", "write",
    },
    "es": {"añada", "evite", "hable", "lea", "lleve", "llame", "marque", "pida", "pregunte", "tome", "use", "vaya"},
}
_LEADING_IF = re.compile(r"^(?:if|when|si|cuando)\b[^,]*,\s*", re.IGNORECASE)


def check_pemat(ctx: PageCheck, terms: TermScan) -> list[Item]:
    """Check every automatable item; failures are also reported as problems."""
    return [purpose(ctx), terms_defined(ctx, terms), short_sections(ctx), informative_headings(ctx),
            summary(ctx), visual_cues(ctx), visual_aid(ctx), simple_tables(ctx), clear_action(ctx)]


def purpose(ctx: PageCheck) -> Item:
    """Item 1: a description, and an opening of one or two sentences that says what the page is for."""
    first = ctx.text.blocks[0] if ctx.text.blocks else None
    name = "purpose is clear"
    if first is None or first.kind != "p" or first.care:
        ctx.error("pemat.purpose", "the page does not start with a short opening paragraph",
                  "Before the first heading, say in one or two sentences who the page is for and what it covers.",
                  ctx.page.body_line)
        return Item(1, name, U, FAIL, "no opening paragraph before the first heading")
    count = len(rd.split_sentences(first.text))
    if count > OPENING_SENTENCES:
        ctx.error("pemat.purpose", f"the opening paragraph has {count} sentences (at most {OPENING_SENTENCES})",
                  "Keep the opening to what the page is for; move the rest under a heading.", ctx.block_line(first))
        return Item(1, name, U, FAIL, f"the opening has {count} sentences (at most {OPENING_SENTENCES})")
    return Item(1, name, U, PASS, f"description, and an opening of {plural(count, 'sentence')}")


def terms_defined(ctx: PageCheck, terms: TermScan) -> Item:
    """Item 4: every medical word is explained in the text where it first appears."""
    name = "medical terms explained"
    definitions = {t.term: t.definition for t in ctx.site.glossary.get(ctx.page.lang, ())}
    for use in terms.glossary:
        if not use.explained:
            ctx.error("pemat.terms", f'the medical word "{use.word}" is not explained where it first appears',
                      f'Explain it right after it, in brackets: {use.word} (...). '
                      f'The glossary says: "{definitions[use.key]}"', ctx.line_of(use.context))
    used = terms.glossary + terms.jargon
    missing = [u.word for u in used if not u.explained]
    if not used:
        return Item(4, name, U, NA, "no medical words from the glossary or the jargon list")
    if missing:
        return Item(4, name, U, FAIL, "not explained where first used: " + ", ".join(missing))
    return Item(4, name, U, PASS, f"{plural(len(used), 'medical word')}, each explained at first use")


def short_sections(ctx: PageCheck) -> Item:
    """Item 8: at most 150 words between headings; paragraphs of at most 60 words and 4 sentences."""
    name = "short sections"
    problems = []
    for heading, words in sections(ctx):
        if words > SECTION_WORDS and not (heading and heading.care):  # a card's list of signs is already chunked
            label = f'"{heading.text}"' if heading else "the opening"
            problems.append(f"{label} has {words} words")
            ctx.error("pemat.sections", f"the section {label} has {words} words (at most {SECTION_WORDS})",
                      "Split it with a heading that asks the reader's question, or cut what the reader does not need.",
                      ctx.block_line(heading) if heading else ctx.page.body_line)
    long_paragraphs = 0
    for block in (b for b in ctx.text.blocks if b.kind == "p"):
        words, sentences = len(rd.words(block.text, ctx.page.lang)), len(rd.split_sentences(block.text))
        if words > PARAGRAPH_WORDS or sentences > PARAGRAPH_SENTENCES:
            long_paragraphs += 1
            ctx.error("pemat.paragraph", f"this paragraph has {words} words and {sentences} sentences "
                      f"(at most {PARAGRAPH_WORDS} words and {PARAGRAPH_SENTENCES} sentences)",
                      "Split it into two paragraphs, or turn a series into a list.", ctx.block_line(block))
    if long_paragraphs:
        problems.append(f"{plural(long_paragraphs, 'paragraph')} too long")
    if problems:
        return Item(8, name, U, FAIL, "; ".join(problems))
    longest = max((w for _, w in sections(ctx)), default=0)
    return Item(8, name, U, PASS, f"longest section {longest} words")


def sections(ctx: PageCheck) -> list[tuple[Block | None, int]]:
    """Return (heading, words) for the opening (heading None) and each heading's section."""
    found: list[list] = [[None, 0]]
    for block in ctx.text.blocks:
        if block.kind == "heading":
            found.append([block, 0])
        else:
            found[-1][1] += len(rd.words(block.text, ctx.page.lang))
    return [(h, w) for h, w in found if w or h is not None]


def informative_headings(ctx: PageCheck) -> Item:
    """Item 9: headings that say what follows, at least one per 150 words."""
    name = "informative headings"
    headings = [b for b in ctx.text.blocks if b.kind == "heading"]
    generic = [h for h in headings if _plain(h.text) in GENERIC_HEADINGS]
    for heading in generic:
        ctx.error("pemat.headings", f'the heading "{heading.text}" does not say what the section is about',
                  'Use the reader\'s question or task, for example "What does the pain feel like?"', ctx.block_line(heading))
    words = sum(w for _, w in sections(ctx))
    needed = words // SECTION_WORDS
    if len(headings) < needed:
        ctx.error("pemat.headings", f"the page has {words} words but only {plural(len(headings), 'heading')} "
                  f"(at least one per {SECTION_WORDS} words: {needed})",
                  "Break the text into sections with headings (## Heading).", ctx.page.body_line)
        return Item(9, name, U, FAIL, f"{len(headings)} headings for {words} words (need {needed})")
    if generic:
        return Item(9, name, U, FAIL, "generic heading: " + ", ".join(h.text for h in generic))
    return Item(9, name, U, PASS, f"{plural(len(headings), 'heading')} for {words} words")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def summary(ctx: PageCheck) -> Item:
    """Item 11: key_points holds 3 to 5 short sentences, shown first as a summary."""
    count = len(ctx.page.meta.key_points)
    low, high = KEY_POINTS
    if low <= count <= high:
        return Item(11, "summary", U, PASS, f"{count} key points")
    reason = "no key points" if not count else f"{plural(count, 'key point')} (need {low} to {high})"
    ctx.error("pemat.summary", f"the page has {reason}: readers need a summary first",
              f"Write {low} to {high} short sentences under key_points: in the front matter, one per line, each "
              "starting with '- '.", _key_points_line(ctx))
    return Item(11, "summary", U, FAIL, reason)


def _key_points_line(ctx: PageCheck) -> int:
    source = source_text(ctx.page.source.path)
    match = re.search(r"^key_points\s*:", source, re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else 1


def visual_cues(ctx: PageCheck) -> Item:
    """Item 12: a list, the key-points box or a care card draws the eye to what matters."""
    cues = []
    if ctx.text.lists:
        cues.append(f"{plural(ctx.text.lists, 'list')}")
    if ctx.page.meta.key_points:
        cues.append("key points box")
    if ctx.text.care_cards:
        cues.append(plural(ctx.text.care_cards, "care card"))
    if cues:
        return Item(12, "visual cues", U, PASS, ", ".join(cues))
    ctx.error("pemat.cues", "nothing on the page draws the eye to the key points",
              "Add key points, a list or a care card.", ctx.page.body_line)
    return Item(12, "visual cues", U, FAIL, "no list, key points box or care card")


def visual_aid(ctx: PageCheck) -> Item:
    """Item 15: the first page of a topic (the condition page) has at least one picture.

    The standards ask for a figure per condition page (§1.3, item 15); whether other pages need one
    is for a person to judge at review, so they are not flagged.
    """
    name = "visual aid"
    images = len(ctx.text.images)
    if images:
        return Item(15, name, U, PASS, f"{plural(images, 'picture')}")
    if ctx.page.meta.layout == "glossary" or not ctx.page.is_index:
        return Item(15, name, U, NA, "not needed: only the first page of a topic must have a picture")
    # A warning, not an error: only a person can judge whether a picture would help (PEMAT item 15 is "H").
    ctx.warning("pemat.visual", "the page has no picture, and it is the first page of a topic",
                "Add a picture that helps the reader understand, with alternative text: "
                "![What the picture shows](images/name.svg)", ctx.page.body_line)
    return Item(15, name, U, FAIL, "no picture on the first page of a topic")


def simple_tables(ctx: PageCheck) -> Item:
    """Item 19: tables have header cells, at most 4 columns, short headers and no merged cells."""
    name = "simple tables"
    if not ctx.text.tables:
        return Item(19, name, U, NA, "no tables")
    problems = []
    for number, table in enumerate(ctx.text.tables, start=1):
        wrong = []
        if not table.headers:
            wrong.append("no header row")
        if table.columns > TABLE_COLUMNS:
            wrong.append(f"{table.columns} columns (at most {TABLE_COLUMNS})")
        long = [h for h in table.headers if len(h.split()) > HEADER_WORDS]
        if long:
            wrong.append(f'header "{long[0]}" is longer than {HEADER_WORDS} words')
        if table.merged:
            wrong.append("merged cells")
        if wrong:
            problems.append(f"table {number}: " + ", ".join(wrong))
            ctx.error("pemat.tables", f"table {number} is not simple: " + ", ".join(wrong),
                      "Give each column a short header, keep to 4 columns, and do not merge cells.",
                      ctx.line_of(" ".join(table.headers)) if table.headers else None)
    if problems:
        return Item(19, name, U, FAIL, "; ".join(problems))
    return Item(19, name, U, PASS, plural(len(ctx.text.tables), "simple table"))


def clear_action(ctx: PageCheck) -> Item:
    """Item 20: at least one care card, or one sentence that tells the reader what to do."""
    name = "clear action"
    if ctx.text.care_cards:
        return Item(20, name, A, PASS, plural(ctx.text.care_cards, "care card"))
    action = next(iter(imperatives(ctx)), None)
    if action:
        return Item(20, name, A, PASS, f'"{action}"')
    ctx.error("pemat.action", "the page does not tell the reader what to do",
              'Add a sentence that starts with a verb ("Call your care team if ...", "Ask about ..."), '
              "or a care card.", ctx.page.body_line)
    return Item(20, name, A, FAIL, "no care card and no sentence that starts with an action verb")


def imperatives(ctx: PageCheck) -> list[str]:
    """Return the sentences that start with an action verb, also after an "If ...," clause."""
    verbs = ACTION_VERBS.get(ctx.page.lang, set())
    texts = list(ctx.page.meta.key_points) + [b.text for b in ctx.text.blocks if b.kind in PROSE]
    found = []
    for sentence in (s for text in texts for s in rd.split_sentences(text)):
        first = rd.words(_LEADING_IF.sub("", sentence), ctx.page.lang)[:1]
        if first and first[0].lower() in verbs:
            found.append(sentence)
    return found
