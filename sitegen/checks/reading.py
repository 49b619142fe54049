"""Reading level: the page body against the site's target, key points and care cards against a lower one.

Each language plugs in its own formulas through MEASURES. English follows target T1 of the
standards: an error when Flesch-Kincaid is above the target; for SMOG a warning up to one grade
above it and an error beyond (SMOG runs 1 to 3 grades above FK on the same text).
"""

from __future__ import annotations

from typing import Callable

from .. import readability as rd
from ..diagnostics import plural
from .context import PageCheck
from .results import HardSentence, Reading

BOX_GRADE = 6  # key points and "get help" boxes: FK 6 or lower (standards T1)
SMOG_MARGIN = 1  # SMOG up to target + 1 is a warning, above it an error (standards T1, §4)


def check_reading(ctx: PageCheck) -> Reading | None:
    """Measure the page in its language's formulas and report what is above target."""
    measure = MEASURES.get(ctx.page.lang)
    if measure is None:
        ctx.note("reading.language", f'there is no reading-level formula for the language "{ctx.page.lang}" yet')
        return None
    _long_sentences(ctx)
    return measure(ctx)


def english(ctx: PageCheck) -> Reading:
    """Score English text with Flesch-Kincaid and SMOG."""
    target = ctx.site.config.reading_grade
    scores = rd.english_scores(ctx.body)
    hardest = _hardest(ctx, ctx.body, "en")
    figures = _figures(scores)
    reading = Reading("en", figures, {"fk_grade": target, "smog": target}, hardest)
    reading.summary = f"FK {figures['fk_grade']:.1f}  SMOG {figures['smog']:.1f}" if scores.words else "no text"
    if scores.words:
        _judge_grade(ctx, scores, target, hardest)
    _judge_boxes(ctx, reading, min(BOX_GRADE, target))
    return reading


def spanish(ctx: PageCheck) -> Reading:
    """Score Spanish text with INFLESZ (Szigriszt-Pazos) and Fernández-Huerta; higher is easier."""
    scores = rd.spanish_scores(ctx.body)
    hardest = _hardest(ctx, ctx.body, "es")
    figures = {"inflesz": tenth(scores.inflesz), "fernandez_huerta": tenth(scores.fernandez_huerta),
               "words": scores.words, "sentences": scores.sentences,
               "mean_sentence_words": round(scores.mean_sentence_words, 1)}
    reading = Reading("es", figures, {"inflesz": rd.SPANISH_TARGET}, hardest)
    reading.summary = f"INFLESZ {scores.inflesz:.0f} ({scores.inflesz_band})" if scores.words else "no text"
    if scores.words and round(scores.inflesz, 1) < rd.SPANISH_TARGET:
        ctx.error("reading.grade", f"the text is hard to read: INFLESZ {scores.inflesz:.1f} ({scores.inflesz_band}), "
                  f"below the target of {rd.SPANISH_TARGET:.0f}", _rewrite_hint(hardest),
                  hardest[0].line if hardest else None)
    return reading


MEASURES: dict[str, Callable[[PageCheck], Reading]] = {"en": english, "es": spanish}


def tenth(value: float) -> float:
    """Round to one decimal, as shown to editors (and never as -0.0)."""
    return round(value, 1) + 0.0


def _figures(scores: rd.Scores) -> dict[str, float]:
    return {
        "fk_grade": tenth(scores.fk_grade), "smog": tenth(scores.smog), "fre": tenth(scores.fre),
        "words": scores.words, "sentences": scores.sentences,
        "mean_sentence_words": round(scores.mean_sentence_words, 1), "max_sentence_words": scores.max_sentence_words,
    }


def _judge_grade(ctx: PageCheck, scores: rd.Scores, target: int, hardest: list[HardSentence]) -> None:
    fk, smog = tenth(scores.fk_grade), tenth(scores.smog)
    line = hardest[0].line if hardest else None
    if fk > target:
        ctx.error("reading.grade", f"the reading grade is {fk:.1f} (Flesch-Kincaid), above the target of {target}",
                  _rewrite_hint(hardest), line)
    if smog > target:
        wordy = _most_long_words(ctx)
        severity = "error" if smog > target + SMOG_MARGIN else "warning"
        over = "more than one grade above" if severity == "error" else "above"
        ctx.add(severity, "reading.smog", f"the SMOG grade is {smog:.1f}, {over} the target of {target}",
                _rewrite_hint(wordy, smog=True), wordy[0].line if wordy else None)


def _judge_boxes(ctx: PageCheck, reading: Reading, target: int) -> None:
    """Key points and care cards are what a worried reader reads first: they get a lower target."""
    boxes = ctx.boxes
    scores = rd.english_scores(boxes)
    if not scores.words:
        return
    fk = tenth(scores.fk_grade)
    reading.boxes = {"fk_grade": fk, "target": target, "words": scores.words}
    if fk > target:
        hardest = _hardest(ctx, boxes, "en")
        ctx.error("reading.boxes", f"the key points and care cards read at grade {fk:.1f} (Flesch-Kincaid), "
                  f"above their target of {target}", _rewrite_hint(hardest), hardest[0].line if hardest else None)


def _hardest(ctx: PageCheck, blocks: list[str], lang: str) -> list[HardSentence]:
    return [HardSentence(h.text, ctx.line_of(h.text), h.reason) for h in rd.hardest_sentences(blocks, 3, lang)]


def _most_long_words(ctx: PageCheck, n: int = 3) -> list[HardSentence]:
    """Return the sentences with the most words of three or more syllables: they drive SMOG."""
    ranked = []
    for sentence in (s for block in ctx.body for s in rd.split_sentences(block)):
        long_words = [w for w in rd.words(sentence) if rd.count_syllables(w) >= 3]
        if long_words:
            ranked.append((len(long_words), sentence, long_words))
    ranked.sort(key=lambda row: -row[0])
    return [HardSentence(text, ctx.line_of(text), f"{plural(count, 'long word')}: " + _some(_distinct(words)))
            for count, text, words in ranked[:n]]


def _some(words: list[str], shown: int = 5) -> str:
    more = len(words) - shown
    return ", ".join(words[:shown]) + (f" and {more} more" if more > 0 else "")


def _distinct(words: list[str]) -> list[str]:
    """Return words without repeats (ignoring case), as first written."""
    return list({w.lower(): w for w in reversed(words)}.values())[::-1]


def _rewrite_hint(hardest: list[HardSentence], smog: bool = False) -> str:
    if not hardest:
        return "Use shorter sentences and shorter words."
    lead = ("SMOG counts words of three or more syllables. Use shorter words where you can, "
            "starting with these sentences:" if smog else "Rewrite the sentences that raise it most:")
    rows = [f'line {h.line or "?"}: "{h.text}" ({h.reason})' for h in hardest]
    return "\n    ".join([lead, *rows])


def _long_sentences(ctx: PageCheck) -> None:
    """Warn about each sentence over 25 words (standards T5); list items count as sentences."""
    lang = ctx.page.lang
    for block in ctx.body + ctx.boxes:
        for sentence in rd.split_sentences(block):
            count = len(rd.words(sentence, lang))
            if count > rd.LONG_SENTENCE_WORDS:
                ctx.warning("reading.long-sentence",
                            f'this sentence has {count} words (at most {rd.LONG_SENTENCE_WORDS}): "{sentence}"',
                            "Split it into two or three short sentences.", ctx.line_of(sentence))
