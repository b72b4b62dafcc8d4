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
