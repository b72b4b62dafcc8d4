"""The analysis takes short cuts for speed (bench/analysis_throughput.py); each must give what the plain
way gives. These compare the two on written cases and on many generated strings."""
from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from bisect import bisect_left

import pytest

from moderation.analysis import contact, form, language, names, therapists
from moderation.analysis.duplicates import fingerprint
from moderation.analysis.results import TherapistRef
from moderation.analysis.sentiment_classes import gate_words
from moderation.analysis.text import sentence_spans


def generated(alphabet: list[str], count: int, seed: int, longest: int = 30) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, longest))) for _ in range(count)]


EMAIL_CASES = [
    "a@b.com@c.org", "jo @ example . com", "a-b@c.com", "+a@b.co", "é@b.com", "@ @ a@b.cc", "a @b.com",
    "mail me: jo.doe+x@mail.example.org!", "g@g.com+b+.1@bb.com . b", "thanks @kim_lee and @bob!",
]


@pytest.mark.parametrize("pattern", [contact._EMAIL, contact._SPACED_EMAIL], ids=["plain", "spaced"])
def test_email_matches_tried_at_each_at_sign_are_the_patterns_own(pattern: re.Pattern[str]) -> None:
    # given written cases and strings made of the characters addresses are made of
    alphabet = [*"ab.+-_@ \t\n1xé", " @ ", ".com", " . ", "..", ".org", "co"]
    texts = EMAIL_CASES + generated(alphabet, 20000, seed=1)
    # when both ways find the addresses
    differing = [t for t in texts
                 if [m.span() for m in contact._at_matches(pattern, t)] != [m.span() for m in pattern.finditer(t)]]
    # then they find the same ones
    assert differing == []


def test_the_digit_count_bound_agrees_with_counting() -> None:
    # given texts with digits, number words inside and outside other words, and "double"
    alphabet = [*"12 ab.-", "one", "someone", "oh", "John", "double", "eight", "weight", "nine", " ", "Six"]
    texts = generated(alphabet, 5000, seed=2, longest=12)
    # when the shortcut and the plain count say whether there are seven digit tokens
    for text in texts:
        digits = contact._ascii_digits(text)
        plain = len(contact._DIGIT_TOKENS.findall(text)) >= 7
        # then they agree
        assert contact._digit_tokens_at_least(text, 7, digits) is plain, text


def test_an_ascii_fingerprint_is_the_normalised_one() -> None:
    # given ASCII strings with every kind of character
    texts = generated([chr(c) for c in range(128)], 5000, seed=3, longest=40)

    def normalised(text: str) -> str:
        normal = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()
        return hashlib.sha256(normal.encode("utf-8")).hexdigest()

    # when each is fingerprinted, then it is the NFKC, case-folded, punctuation-collapsed hash
    assert [fingerprint(t) for t in texts] == [normalised(t) for t in texts]


def test_shouting_is_found_past_its_capital_letter_count() -> None:
    # given a shout and texts with fewer capitals than five capitalised words need
    assert form.shouting_flag("THIS CLINIC IS THE BEST EVER") is not None
    assert form.shouting_flag("THIS CLINIC IS GREAT ok") is None
    assert form.shouting_flag("I loved it and the PT and the OT were great") is None


def test_therapist_aliases_tried_word_by_word_match_as_the_whole_pattern() -> None:
    # given a practice with titles, nicknames and a name that is also a word, and texts in both cases
    practice = (
        TherapistRef(slug="kayla", first_name="Kayla", last_name="Moreno", nicknames=("Kay",), location_slugs=("a",)),
        TherapistRef(slug="will", first_name="William", last_name="Ortiz", nicknames=("Will", "Bill"),
                     location_slugs=("a",)),
        TherapistRef(slug="mary", first_name="Mary Ann", last_name="Lee", nicknames=(), location_slugs=("b",)),
    )
    exact, caseless, _ = therapists._index(practice)
    words = ["Kayla", "Moreno", "Kay", "kay", "Dr.", "Dr", "Doctor", "Ortiz", "William", "Will", "will", "Bill",
             "Mary", "Ann", "Lee", "mary ann", "dr. lee", "the", "and", ".", ",", "Kaylas", "  ", "\n"]
    texts = [" ".join(t) for t in (random.Random(4).choices(words, k=8) for _ in range(3000))]
    for aliases in (exact, caseless):
        whole = re.compile(r"(?<![\w.])(?:" + "|".join(
            r"\s+".join(re.escape(w) for w in a.split()) for a in aliases.ordered) + r")(?![\w])", aliases.flags)
        # when the aliases are found word by word and by the whole pattern
        differing = [t for t in texts
                     if [m.span() for m in aliases.finditer(t)] != [m.span() for m in whole.finditer(t)]]
        # then the matches are the same (and there are some)
        assert differing == [] and sum(bool(aliases.finditer(t)) for t in texts) > 100


def test_a_sentences_own_split_counts_the_tokens_that_start_in_it() -> None:
    # given ASCII texts full of sentence ends, closing quotes, abbreviations and odd whitespace
    alphabet = [*"ab .!?\"')]\n\t\x1c", "Dr. ", "e.g. ", "...", "!\" ", "?) ", " \n ", "a.m. "]
    texts = generated(alphabet, 20000, seed=5, longest=40)
    for text in texts:
        starts, offset = [], 0
        for token in text.split():  # where each whole-text token starts
            starts.append(text.index(token, offset))
            offset = starts[-1] + len(token)
        by_offset, by_count, token = [], [], 0
        for start, end in sentence_spans(text):
            by_offset.append((bisect_left(starts, start), bisect_left(starts, end)))
            by_count.append((token, token + len(text[start:end].split())))
            token = by_count[-1][1]
        # when tokens are given to sentences by their offsets and by counting, then it is the same
        assert by_offset == by_count, text


@pytest.mark.parametrize(("text", "sentences"), [
    ("Saw Dr. Patel. Great.", ["Saw Dr. Patel.", "Great."]),
    ("At 9 a.m. sharp. Fine.", ["At 9 a.m. sharp.", "Fine."]),
    ("See APPROX. 3 visits. Ok.", ["See APPROX. 3 visits.", "Ok."]),
    ("We paid 5 sT. Then left.", ["We paid 5 sT. Then left."]),
    ("It was the best. Really.", ["It was the best.", "Really."]),
    ("Ask for \u0130nc. Then go.", ["Ask for \u0130nc.", "Then go."]),
    ("Mr.\nSmith. Ok.", ["Mr.", "Smith.", "Ok."]),
])
def test_a_full_stop_after_an_abbreviation_does_not_end_the_sentence(text: str, sentences: list[str]) -> None:
    # given a text with full stops after abbreviations (any case), after words ending like one, and
    # after a word that lowers to more characters
    # when it is split into sentences
    spans = sentence_spans(text)
    # then only the full stops after no abbreviation (or before a line break) end one
    assert [text[start:end] for start, end in spans] == sentences


def test_a_word_start_pattern_matches_as_the_caseless_alternation_does() -> None:
    # given determiners and introduction words, and texts of them in any case, with İ ı ſ K, inside
    # words and after punctuation
    determiners = ["my", "our", "his", "her", "their", "a", "the"]
    introductions = [r"yours\s+truly", r"my\s+name\s+is", "sincerely", "signed", r"i\s+am", "met", "i'm"]
    alphabet = ["my", "MY", "Our", "h\u0130s", "h\u0131s", "her", "THEIR", "a", "A", "the", "\u017fincerely", "SIGNED",
                "i am", "\u0130'm", "\u0131\tam", "yours  truly", "met", " ", "\n", "-", "x", "_", "\u00e9", "\u212a",
                "'", ".", "1"]
    texts = generated(alphabet, 20000, seed=7, longest=12)
    for alternatives in (determiners, introductions):
        caseless = re.compile(rf"(?i:\b(?:{'|'.join(alternatives)}))")
        opening = re.compile(names._word_start(alternatives))
        for text in texts:
            # when both find their matches, then they are the same
            assert [m.span() for m in opening.finditer(text)] == [m.span() for m in caseless.finditer(text)], text


def test_a_language_is_detected_as_when_lingua_is_always_asked() -> None:
    # given texts of 5-20 words mixing English, Spanish, Portuguese, French and German function words
    # with words of no language (tweets, names), none plainly English by the function-word count
    _, _, _, confirm = language._hints()
    pools = [sorted(confirm[code]) for code in ("es", "pt", "fr", "de")]
    other = ["lol", "omg", "Bri", "rocks", "PT", "knee", "gr8", "amazing", "clinic", "yay", "x", "rehab"]
    rng = random.Random(6)
    texts = [" ".join(rng.choice(rng.choice([other, other, *pools])) for _ in range(rng.randint(5, 20)))
             for _ in range(400)]

    def always_asked(text: str) -> str:
        # the rule as it was before the short cut: lingua's answer, kept when the words confirm it
        words = language._ASCII_WORDS.findall(text.lower()) if text.isascii() else language._WORDS.findall(text.lower())
        english, hinglish, _, table = language._hints()
        if len(words) < language.MIN_WORDS or sum(w in english for w in words) >= 0.25 * len(words):
            return "en"
        if sum(w in hinglish for w in words) >= 0.25 * len(words):
            return "hi"
        confidences = language._lingua().compute_language_confidence_values(text)
        if not confidences or confidences[0].value < 0.5:
            return "en"
        code = confidences[0].language.iso_code_639_1.name.lower()
        return code if sum(w in table.get(code, ()) for w in words) >= min(3, 0.1 * len(words)) else "en"

    # when both ways detect the language
    detected = [language.detect_language(t) for t in texts]
    # then they agree, on texts lingua settles both ways
    assert detected == [always_asked(t) for t in texts]
    assert {"en", "es"} <= set(detected) and len(set(detected)) >= 3


def test_a_sentences_words_are_its_gate_words_when_it_has_no_apostrophe() -> None:
    # given sentences without an apostrophe, ASCII and not, with digits, underscores and hyphens
    texts = generated([*"aB1_- .,", "é", "Ü", "ß", "ﬁ", "İ", "\u0301", "\n", "café", "x2"], 5000, seed=7)
    for text in texts:
        low = text.lower()
        words = set((re.compile(r"[a-z0-9_']+") if low.isascii() else re.compile(r"[\w']+")).findall(low))
        # when sentiment reuses its word set, then it is the set the class gates look words up in
        assert frozenset(words) == gate_words(text), text
