"""Cues read literal hints from their patterns (moderation/analysis/_literals.py) to skip scans and to
scan only from where a match can start; a hinted cue must find what its plain caseless pattern finds."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from moderation.analysis import _data, _literals, outcomes, spam
from moderation.analysis._data import Cue, word_list

ROOT = Path(__file__).resolve().parents[3]
PROBE = ROOT / "bench" / "data" / "probe-testimonials.jsonl"


def hinted_cues() -> list[Cue]:
    return [*outcomes._patterns().cues, *spam._cues()[0].cues]


@pytest.mark.parametrize(("source", "needs", "starts"), [
    # every alternative holds "$" or all of work, from and home
    (r"\bwork\s+from\s+home\b|\b(?:earn|make)\s+\$\s?[\d,]+|\$\s?[\d,]+\s*per\s+day\b",
     (("$", "from"), ("$", "home"), ("$", "work"), ("day", "earn", "from", "make"), ("day", "earn", "home", "make"),
      ("day", "earn", "make", "work"), ("earn", "from", "make", "per"), ("earn", "home", "make", "per"),
      ("earn", "make", "per", "work")),
     ["$", "earn", "make", "work"]),
    # an optional group opens a match or lets what follows open it
    (r"\b(?:as\s+)?good\s+as\s+new\b|\blike\s+new\b", (("good", "like"), ("new",)), ["as", "good", "like"]),
    # a class first: no start is known; a look-ahead's text is in the text too
    (r"[a-z]+\s+(?=pain)", (("pain",),), None),
    # a pattern that can match the empty string has no starts; nothing every match holds
    (r"(?:foo)?", (), None),
    # literals are read in lower case; one beyond ASCII is no hint (what follows it is)
    (r"Grow\s+(?:your|our)\s+clínica", (("grow",), ("nica",), ("our", "your")), ["grow"]),
    # a negative look-ahead's text need not be there; a word of one or two letters is too common to
    # test for, but a match can still be looked for only where it occurs
    (r"\bno\s+(?!more)a\b", (), ["no"]),
])
def test_the_hints_of_a_pattern_are_the_literals_its_matches_must_hold(source: str, needs, starts) -> None:
    # given a pattern, when its hints are read
    hints, _ = _literals.read(source, re.IGNORECASE)
    # then they name what every match holds and how it can start
    assert hints.needs == needs
    assert (None if hints.starts is None else sorted({s for s, _ in hints.starts})) == starts


def test_a_start_is_only_tried_where_the_rest_of_its_alternative_can_match() -> None:
    # given alternatives opening with a common word and with a rare one
    hints, _ = _literals.read(r"\b(?:a\s+hundred\s+percent|for\s+good)\b", 0)
    # when a text holds "a" but not "hundred", then only "for" is a start to look for
    assert hints.start_strings("a day for good") == ["for"]
    assert hints.start_strings("a hundred percent") == ["a"]


def test_an_unknown_tree_gives_no_hints_and_the_source_is_compiled() -> None:
    # given a pattern whose hints cannot be read (not a pattern at all)
    hints, tree = _literals.read("(", 0)
    # then nothing is assumed, and compiling it is re's own
    assert (hints, tree) == (_literals.NO_HINTS, None)
    assert _literals.compile_tree(None, "a+", 0).pattern == "a+"


def test_a_pattern_compiled_from_its_tree_is_the_same_pattern() -> None:
    # given the tree read with the hints
    source = r"\bno\s+more\s+(?:pain|aches?)\b"
    _, tree = _literals.read(source, 0)
    # when compiled from it, then it finds what re.compile's pattern finds
    text = "No more pain, no more  aches and no moreaches"
    assert [m.span() for m in _literals.compile_tree(tree, source, 0).finditer(text.lower())] == \
        [m.span() for m in re.finditer(source, text, re.IGNORECASE)]


def texts_to_scan() -> list[str]:
    labelled = [json.loads(line)["text"] for line in PROBE.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(7)
    words = sorted({w for c in hinted_cues() for w in re.findall(r"[a-z]{2,}", re.sub(r"\\[a-zA-Z]", " ", c._source))})
    pieces = [*words, "$", "%", "@", "_", "100", "2", "İ", "ı", "ſ", "\u212a", "é", "ß", "١"]
    separators = [" ", "  ", "\n", "\t", "-", ", ", ". ", "'", "\u00a0", "/"]
    generated = []
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 14)):
            word = rng.choice(pieces)
            parts.append(word.upper() if rng.random() < 0.15 else word.capitalize() if rng.random() < 0.1 else word)
            parts.append(rng.choice(separators) if rng.random() < 0.3 else " ")
        generated.append("".join(parts))
    return labelled + [t.lower() for t in labelled[:200]] + [t.upper() for t in labelled[:200]] + generated


def test_hinted_cues_find_what_their_caseless_patterns_find() -> None:
    # given the outcome and spam cues, which read hints, and texts that set them off
    texts = texts_to_scan()
    differing = []
    for cue in hinted_cues():
        plain = re.compile(cue._source, re.IGNORECASE)
        for text in texts:
            # when the cue and its plain pattern scan a text
            found = [m.span() for m in cue.finditer(text)]
            first = cue.search(text)
            # then they find the same spans, and the same first one
            if found != [m.span() for m in plain.finditer(text)] or \
                    (first and first.span()) != ((m := plain.search(text)) and m.span()):
                differing.append((cue._source[:40], text[:60]))
    assert differing == []


def test_a_capital_range_is_the_lower_case_range_when_caseless() -> None:
    # given the outcome pattern that once read "[A-Z]?" (its data now says "[a-z]?", which has a twin)
    upper, lower = re.compile("[A-Z]", re.IGNORECASE), re.compile("[a-z]", re.IGNORECASE)
    # then the two take the same characters, every code point tried
    assert all(bool(upper.match(chr(c))) == bool(lower.match(chr(c))) for c in range(0x110000))


def test_ascii_words_are_the_word_runs_of_the_lower_cased_text() -> None:
    # given ASCII strings with every kind of character (\x1c-\x1f are whitespace to str.split)
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(128)] + ["ab", "'s", "Don't"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    # when split into words, then they are the [\w']+ runs of the lower-cased text
    assert [word_list(t) for t in texts] == [re.findall(r"[\w']+", t.lower()) for t in texts]
    assert _data.word_list("Tom's K-9 ſtuff") == re.findall(r"[\w']+", "tom's k-9 ſtuff")
