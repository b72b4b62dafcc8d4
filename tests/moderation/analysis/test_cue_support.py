"""The sentiment vocabulary generalises: every phrase cue matches labelled texts of two sources
(the shared dev set and bench/data's probe set), every other piece is a member of a named word
class, and nothing of the frozen held-out set found its way into code, data or tests."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "moderation" / "data"
PROBE = ROOT / "bench" / "data" / "probe-testimonials.jsonl"
DEV_CANDIDATES = (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data")


def texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def sources() -> dict[str, list[str]]:
    dev = next((d / "testimonials-dev.jsonl" for d in DEV_CANDIDATES if (d / "testimonials-dev.jsonl").exists()), None)
    if dev is None:
        pytest.skip("the shared dev set (../shared/data/testimonials-dev.jsonl) is not on this machine")
    return {"dev": texts(dev), "probe": texts(PROBE)}


def domain() -> dict:
    return json.loads((DATA / "sentiment_domain.json").read_text(encoding="utf-8"))


def test_every_phrase_cue_matches_labelled_texts_of_two_sources(sources: dict[str, list[str]]) -> None:
    # given every complaint and praise cue of the sentiment vocabulary
    unsupported = []
    for kind in ("complaint", "praise"):
        for cue in domain()[kind]:
            pattern = re.compile(cue["re"], re.IGNORECASE)
            # when it is matched against each source
            hits = {name: sum(bool(pattern.search(t)) for t in group) for name, group in sources.items()}
            # then it matches at least one text of each (so at least two texts, from different sources)
            if not all(hits.values()):
                unsupported.append((kind, cue["re"][:80], hits))
    assert unsupported == []


def test_every_word_class_is_a_class_that_the_labelled_texts_use(sources: dict[str, list[str]]) -> None:
    # given the named word classes the mechanisms compose
    classes = {k: v for k, v in domain()["word_classes"].items() if not k.startswith("_")}
    unused = []
    for name, members in classes.items():
        # then each is a list of several members, not one phrase in disguise
        assert isinstance(members, list) and len(members) >= 3, name
        alternation = "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in members)
        pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)
        hits = sum(bool(pattern.search(t)) for group in sources.values() for t in group)
        if hits < 2:
            unused.append((name, hits))
    assert unused == []


def test_no_text_of_the_frozen_held_out_set_is_copied_into_code_data_or_tests() -> None:
    # given every eight-word run of the fresh held-out sets
    shingles = set()
    for path in (ROOT / "bench" / "data").glob("fresh-*.jsonl"):
        for text in texts(path):
            words = re.findall(r"[\w']+", text.lower())
            shingles.update(" ".join(words[i:i + 8]) for i in range(len(words) - 7))
    assert shingles, "the frozen held-out set is missing"
    # when the analysis code, its data and the tests are read
    found = []
    for folder in (ROOT / "moderation", ROOT / "tests"):
        for path in folder.rglob("*"):
            if path.suffix not in {".py", ".json", ".txt"} or path == Path(__file__):
                continue
            words = re.findall(r"[\w']+", path.read_text(encoding="utf-8", errors="replace").lower())
            found += [path.name for i in range(len(words) - 7) if " ".join(words[i:i + 8]) in shingles]
    # then none of those runs appears
    assert found == []


def lexicon_classes() -> dict[str, list[str]]:
    """domain_lexicon.json's word classes: the injury-story words to silence and the added valences."""
    raw = json.loads((DATA / "domain_lexicon.json").read_text(encoding="utf-8"))
    classes: dict[str, list[str]] = {}
    for section in ("story_neutral", "valence"):
        # every entry of a section is a named class (a list or a word → valence mapping), never a bare word
        assert isinstance(raw[section], dict), section
        for name, members in raw[section].items():
            if not name.startswith("_"):
                assert isinstance(members, (list, dict)), f"{section}.{name} is a bare word, not a class"
                classes[f"{section}.{name}"] = list(members)
    return classes


def test_every_domain_lexicon_word_is_a_member_of_a_named_class_the_labelled_texts_use(
        sources: dict[str, list[str]]) -> None:
    # given the domain lexicon's classes (a word in none of them would be a bare cue)
    unused = []
    for name, members in lexicon_classes().items():
        # then each holds several words, and the labelled texts use the class at least twice
        assert len(members) >= 3, name
        alternation = "|".join(re.escape(m) for m in members)
        pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)
        hits = sum(bool(pattern.search(t)) for group in sources.values() for t in group)
        if hits < 2:
            unused.append((name, hits))
    assert unused == []


def test_every_spanish_lexicon_word_is_a_member_of_a_named_class_the_spanish_texts_use() -> None:
    from moderation.analysis.spanish import fold

    # given the Spanish lexicon's named classes and the Spanish dev set
    raw = json.loads((DATA / "sentiment_es.json").read_text(encoding="utf-8"))
    texts_ = texts(ROOT / "bench" / "data" / "spanish-dev.jsonl")
    words_of = [{fold(w) for w in re.findall(r"[^\W\d_]+", t)} for t in texts_]
    valences: dict[str, set[float]] = {}
    unused = []
    for name, members in raw["lexicon"].items():
        # then each class holds several words and at least two labelled Spanish texts use it
        assert isinstance(members, dict) and len(members) >= 3, name
        folded = {fold(w) for w in members}
        hits = sum(bool(folded & words) for words in words_of)
        if hits < 2:
            unused.append((name, hits))
        for word, valence in members.items():
            valences.setdefault(fold(word), set()).add(valence)
    assert unused == []
    # and no two spellings that fold together (á = a) disagree on a valence
    assert [w for w, v in valences.items() if len(v) > 1] == []
