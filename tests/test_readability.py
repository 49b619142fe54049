"""Tests for sitegen.readability: syllables, sentences, formulas, offline use."""

import math
import socket
from pathlib import Path

import pytest

from sitegen import readability
from sitegen.readability import (
    Scores,
    SpanishScores,
    count_syllables,
    english_scores,
    hardest_sentences,
    inflesz_band,
    spanish_scores,
    spanish_syllables,
    split_sentences,
    words,
)

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_5c0c1dae63cdaabb.txt"


# ---------------------------------------------------------------- English syllables


@pytest.mark.parametrize(
    "word, expected",
    [
        # Everyday words (CMU, first pronunciation).
        ("the", 1),
        ("bone", 1),
        ("cancer", 2),
        ("fracture", 2),
        ("collapse", 2),
        ("spinal", 2),
        ("every", 3),
        ("area", 3),
        ("family", 3),
        ("medicine", 3),
        ("calcium", 3),
        ("surgery", 3),
        ("emergency", 4),
        ("radiation", 4),
        ("metastatic", 4),
        ("chemotherapy", 5),
        ("MRI", 3),
        ("Bone", 1),  # Case does not matter.
        ("person's", 2),
        ("denosumab's", 4),  # Possessive of an override.
        # Hyphenated: one word, syllables of the parts added up.
        ("x-rays", 2),
        ("X-ray", 2),
        ("follow-up", 3),
        ("PET-CT", 3),
        # Project overrides (missing from CMU, or wrong there).
        ("CT", 2),
        ("bisphosphonate", 4),
        ("bisphosphonates", 4),
        ("denosumab", 4),
        ("kyphoplasty", 4),
        ("vertebroplasty", 5),
        ("methacrylate", 4),
        ("hypercalcemia", 6),
        ("hypercalcaemia", 6),
        ("myeloma", 4),
        ("radiotherapy", 6),
        # Not in CMU and not overridden: syllapy answers.
        ("tumour", 2),
        # Numbers are read as one unit.
        ("2020", 1),
        ("2.5", 1),
    ],
)
def test_count_syllables(word, expected):
    assert count_syllables(word) == expected


def test_heuristic_fallback_counts_vowel_groups():
    assert readability._heuristic_syllables("blorp") == 1
    assert readability._heuristic_syllables("zantalope") == 3  # Silent final e.
    assert readability._heuristic_syllables("xzq") == 1  # Never zero.


# ---------------------------------------------------------------- tokens and sentences


def test_words_keeps_hyphens_apostrophes_and_decimals():
    assert words("Don't skip x-rays: take 2.5 mg (PET-CT).") == [
        "Don't", "skip", "x-rays", "take", "2.5", "mg", "PET-CT",
    ]


def test_spanish_words_keep_accents():
    assert words("¿Qué es la canción del niño?", "es") == ["Qué", "es", "la", "canción", "del", "niño"]


def test_split_sentences_protects_abbreviations_and_decimals():
    text = "Ask Dr. Lee about drugs, e.g. denosumab, i.e. an injection. Take 2.5 mg! Why? Etc. is fine."
    assert split_sentences(text) == [
        "Ask Dr. Lee about drugs, e.g. denosumab, i.e. an injection.",
        "Take 2.5 mg!",
        "Why?",
        "Etc. is fine.",
    ]


def test_split_sentences_line_breaks():
    text = "Tests:\n- X-rays\n- Bone scan\n  that wraps\n\nA new paragraph\nwrapped here."
    assert split_sentences(text) == [
        "Tests:",
        "X-rays",
        "Bone scan that wraps",
        "A new paragraph wrapped here.",
    ]


def test_split_sentences_drops_punctuation_only_pieces():
    assert split_sentences("... !!! ? —") == []


# ---------------------------------------------------------------- English formulas


def test_english_scores_by_hand():
    # Sentences and syllables (CMU):
    #   "Radiation therapy can ease bone pain."  4+3+1+1+1+1 = 11 syll, 6 words
    #   "Your medicine may make you sleepy."     1+3+1+1+1+2 =  9 syll, 6 words
    #   "Call us."                               1+1         =  2 syll, 2 words
    # W = 14, S = 3, Y = 22, P = 3 (radiation, therapy, medicine)
    # FK   = 0.39*14/3 + 11.8*22/14 - 15.59 = 1.82 + 18.542857 - 15.59 = 4.772857
    # SMOG = 1.0430*sqrt(3*30/3) + 3.1291 = 1.0430*5.477226 + 3.1291 = 8.841846
    # FRE  = 206.835 - 1.015*14/3 - 84.6*22/14 = 206.835 - 4.736667 - 132.942857 = 69.155476
    blocks = ["Radiation therapy can ease bone pain. Your medicine may make you sleepy.", "Call us"]
    s = english_scores(blocks)
    assert (s.words, s.sentences, s.syllables, s.polysyllables) == (14, 3, 22, 3)
    assert round(s.fk_grade, 2) == 4.77
    assert round(s.smog, 2) == 8.84
    assert round(s.fre, 2) == 69.16
    assert s.mean_sentence_words == pytest.approx(14 / 3)
    assert s.max_sentence_words == 6
    assert s.long_sentences == 0


def test_list_items_are_sentences_and_long_sentences_counted():
    long = " ".join(["bone"] * 26) + "."
    s = english_scores(["Tests", "Bone scan", long])
    assert s.sentences == 3
    assert s.max_sentence_words == 26
    assert s.long_sentences == 1


def test_scores_are_frozen():
    with pytest.raises(AttributeError):
        english_scores(["Hi."]).words = 3


@pytest.mark.parametrize("blocks", [[], [""], ["   "], ["... !!! ?"], ["—", "•"]])
def test_empty_or_punctuation_only_gives_zeros(blocks):
    assert english_scores(blocks) == Scores(0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0, 0)
    assert spanish_scores(blocks) == SpanishScores(0, 0, 0, 0.0, 0.0, "", 0.0, 0, 0)
    assert hardest_sentences(blocks) == []


def test_one_word_sentence():
    # W = 1, S = 1, Y = 2 ("Hello"): FK = 0.39 + 23.6 - 15.59 = 8.40,
    # FRE = 206.835 - 1.015 - 169.2 = 36.62, SMOG = 3.1291 (no long word).
    s = english_scores(["Hello"])
    assert (s.words, s.sentences, s.syllables, s.polysyllables) == (1, 1, 2, 0)
    assert round(s.fk_grade, 2) == 8.40
    assert round(s.fre, 2) == 36.62
    assert round(s.smog, 4) == 3.1291


def test_numbers_count_as_one_syllable_words():
    s = english_scores(["Take 2 pills in 10 days."])
    assert (s.words, s.syllables) == (6, 6)


# ---------------------------------------------------------------- seed page (standards §5-6)


def _seed_blocks() -> list[str]:
    """Normalise the seed page per standards §5: body only, no headings."""
    if not SEED.exists():
        pytest.skip(f"seed text not found at {SEED} (shared/ is not beside the checkout)")
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("Cancers that begin elsewhere"): text.index("NOTE: This is the Consumer")]
    blocks = []
    for line in body.splitlines():
        line = line.strip()
        if line and not line.endswith("of Metastatic Bone Tumors"):  # Headings.
            blocks.append(line.lstrip("• ").strip())  # Bullets become list items.
    return blocks


def test_seed_scores_with_our_rules():
    # Standards §6.2 give FK 10.47, SMOG 12.82, FRE 50.2 for 847 words and 50
    # sentences ("own + cmudict").  With this module's rules we get 51
    # sentences and 3 more syllables, see the next test for why:
    #   W = 847, S = 51, Y = 1399, P = 145
    #   FK   = 0.39*847/51 + 11.8*1399/847 - 15.59 = 10.377
    #   SMOG = 1.0430*sqrt(145*30/51) + 3.1291      = 12.762
    #   FRE  = 206.835 - 1.015*847/51 - 84.6*1399/847 = 50.243
    # FK is within 0.1 of the published 10.47.
    s = english_scores(_seed_blocks())
    assert (s.words, s.sentences, s.syllables, s.polysyllables) == (847, 51, 1399, 145)
    assert round(s.fk_grade, 2) == 10.38
    assert round(s.smog, 2) == 12.76
    assert round(s.fre, 2) == 50.24
    assert abs(s.fk_grade - 10.47) < 0.1
    assert s.max_sentence_words == 45
    assert s.long_sentences == 13


def test_seed_reproduces_published_figures(monkeypatch):
    # The published run differs from ours in two ways; undo both and the
    # standards' numbers come out exactly (W 847, S 50, Y 1396, P 144):
    # 1. It let "…start in the following areas:" (a paragraph ending in a
    #    colon, whose list was lost in the copy) run on into the next
    #    paragraph, so 50 sentences and 14 over 25 words.  We end every block.
    # 2. It took "CT" from CMU, which reads it as "court" (1 syllable); our
    #    override says 2 ("see-tee"), so PET-CT is 3, as standards §6.3 asks.
    blocks = _seed_blocks()
    colon = next(i for i, b in enumerate(blocks) if b.endswith("following areas:"))
    blocks[colon: colon + 2] = [blocks[colon] + " " + blocks[colon + 1]]
    monkeypatch.delitem(readability.SYLLABLE_OVERRIDES, "ct")
    count_syllables.cache_clear()
    try:
        s = english_scores(blocks)
    finally:
        count_syllables.cache_clear()  # Drop counts made without the override.
    assert (s.words, s.sentences, s.syllables, s.polysyllables) == (847, 50, 1396, 144)
    assert round(s.fk_grade, 2) == 10.47
    assert round(s.smog, 2) == 12.82
    assert round(s.fre, 1) == 50.2
    assert s.long_sentences == 14
    assert round(s.mean_sentence_words, 1) == 16.9


def test_seed_hardest_sentences():
    hard = hardest_sentences(_seed_blocks(), n=3)
    assert [h.words for h in hard] == [45, 38, 31]
    assert hard[0].text.startswith("If the tumors are at risk of causing collapse")
    assert hard[0].reason == "45 words: split it; long words: paralysis, surgery, stabilize, recommended"
    assert hard[0].share > hard[1].share > hard[2].share


# ---------------------------------------------------------------- hardest sentences


def test_hardest_sentences_ranks_by_share_of_grade():
    # 28 words, mostly of one syllable: it still carries the largest share of
    # the grade (0.39*28/4 + 11.8*37/39 = 2.73 + 11.19 = 13.92 of 20.75).
    long = ("If the cancer has spread to your spine, the doctor may suggest radiation "
            "therapy to ease the pain and keep the bones in your back strong for longer.")
    blocks = ["Bone pain is common.", long, "Call us today.", "Metastatic disease is serious."]
    hard = hardest_sentences(blocks, n=2)
    assert [h.text for h in hard] == [long]  # The others are below the average share.
    assert hard[0].words == 28
    assert hard[0].long_words == ("radiation", "therapy")
    assert hard[0].reason == "28 words: split it; long words: radiation, therapy"
    assert round(hard[0].share, 2) == 13.92


def test_hardest_sentences_flags_dense_short_sentence_and_respects_n():
    # Shares: 0.39*w/3 + 11.8*y/9 -> 4.32, 2.88, 14.94; average 7.38.
    blocks = ["We can help.", "Call us.", "Radiation therapy is effective."]
    hard = hardest_sentences(blocks, n=3)
    assert [h.text for h in hard] == ["Radiation therapy is effective."]
    assert hard[0].reason == "long words: radiation, therapy, effective"
    assert hardest_sentences(blocks, n=0) == []


def test_hardest_sentences_shows_list_items_as_sentences():
    hard = hardest_sentences(["Ask about these treatments:", "Short."], n=1)
    assert hard[0].text == "Ask about these treatments."


def test_hardest_sentences_rejects_unknown_language():
    with pytest.raises(ValueError):
        hardest_sentences(["Bonjour."], lang="fr")


def test_hardest_sentences_spanish():
    blocks = ["Llame hoy.", "La quimioterapia y la radioterapia alivian el dolor óseo metastásico."]
    hard = hardest_sentences(blocks, n=1, lang="es")
    assert hard[0].text == blocks[1]
    # Spanish long words have 4+ syllables: "alivian" (3) is not listed.
    assert hard[0].long_words == ("quimioterapia", "radioterapia", "metastásico")


# ---------------------------------------------------------------- Spanish


@pytest.mark.parametrize(
    "word, expected",
    [
        ("canción", 2),  # can-ción: io is a diphthong.
        ("hueso", 2),  # hue-so
        ("día", 2),  # dí-a: accented í breaks the diphthong.
        ("ciudad", 2),  # ciu-dad: two weak vowels join.
        ("oído", 3),  # o-í-do
        ("metástasis", 4),  # me-tás-ta-sis
        # qui-mio-te-ra-pia: 5, not 6 (io is a diphthong, the u of qui is silent).
        ("quimioterapia", 5),
        ("radioterapia", 5),  # ra-dio-te-ra-pia
        ("biopsia", 2),  # biop-sia
        ("médico", 3),
        ("tratamiento", 4),  # tra-ta-mien-to
        ("aéreo", 4),  # a-é-re-o: strong + strong = hiatus.
        ("leer", 2),  # le-er
        ("país", 2),  # pa-ís
        ("continúe", 4),  # con-ti-nú-e
        ("guerra", 2),  # gue: silent u.
        ("queso", 2),
        ("bloqueo", 3),  # blo-que-o
        ("guía", 2),  # guí-a
        ("quien", 1),
        ("pingüino", 3),  # güi: ü is pronounced, still one nucleus.
        ("agua", 2),  # gua: u is not silent before a.
        ("muy", 1),  # Final y after a vowel closes a diphthong.
        ("hoy", 1),
        ("buey", 1),  # Triphthong.
        ("Uruguay", 3),
        ("y", 1),
        ("ayuda", 3),  # y before a vowel is a consonant.
        ("búho", 2),  # h does not join vowels in writing.
        ("Cáncer", 2),
        ("2020", 1),
    ],
)
def test_spanish_syllables(word, expected):
    assert spanish_syllables(word) == expected


def test_spanish_scores_by_hand():
    # "El cáncer puede llegar al hueso."  el 1, cán-cer 2, pue-de 2, lle-gar 2,
    #   al 1, hue-so 2 -> 6 words, 10 syllables
    # "Su médico le dará un tratamiento para el dolor."  su 1, mé-di-co 3, le 1,
    #   da-rá 2, un 1, tra-ta-mien-to 4, pa-ra 2, el 1, do-lor 2 -> 9 words, 17 syll.
    # W = 15, S = 2, Y = 27
    # Fernández-Huerta = 206.84 - 0.60*(100*27/15) - 1.02*(15/2)
    #                  = 206.84 - 108 - 7.65 = 91.19
    # INFLESZ = 206.835 - 62.3*27/15 - 15/2 = 206.835 - 112.14 - 7.5 = 87.195
    s = spanish_scores(["El cáncer puede llegar al hueso. Su médico le dará un tratamiento para el dolor."])
    assert (s.words, s.sentences, s.syllables) == (15, 2, 27)
    assert round(s.fernandez_huerta, 2) == 91.19
    assert round(s.inflesz, 3) == 87.195
    assert s.inflesz_band == "muy fácil"
    assert s.mean_sentence_words == 7.5
    assert s.max_sentence_words == 9


@pytest.mark.parametrize(
    "score, band",
    [
        (39.9, "muy difícil"),
        (40, "algo difícil"),
        (54.9, "algo difícil"),
        (55, "normal"),
        (64.9, "normal"),
        (65, "bastante fácil"),
        (80, "bastante fácil"),
        (80.1, "muy fácil"),
    ],
)
def test_inflesz_bands(score, band):
    assert inflesz_band(score) == band


def test_spanish_target_is_start_of_normal_band():
    assert inflesz_band(readability.SPANISH_TARGET) == "normal"
    assert inflesz_band(readability.SPANISH_TARGET - 0.01) == "algo difícil"


# ---------------------------------------------------------------- offline


def test_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("readability tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # Force a fresh dictionary load and fresh lookups under the patch.
    readability._cmu.cache_clear()
    count_syllables.cache_clear()
    s = english_scores(["Radiation therapy can ease bone pain.", "Bisphosphonates protect bones."])
    assert s.words == 9
    assert math.isfinite(s.fk_grade)
