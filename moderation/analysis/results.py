"""The small frozen dataclasses the analysis takes and returns."""
from __future__ import annotations

from dataclasses import dataclass, field

# Thresholds on a text's weighted sentence mean (English and Spanish alike); VADER's own ±0.05 is too
# eager for long texts, and stays the rule for a single sentence.
POSITIVE_AT = 0.1
NEGATIVE_AT = -0.1


def text_label(score: float) -> str:
    """positive / neutral / negative of a whole text from its weighted sentence mean."""
    return "positive" if score >= POSITIVE_AT else "negative" if score <= NEGATIVE_AT else "neutral"


def sentence_label(score: float) -> str:
    """A single sentence's label, with VADER's customary ±0.05."""
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


@dataclass(frozen=True)
class TherapistRef:
    """A therapist of the practice, as the analysis needs to know them."""

    slug: str
    first_name: str
    last_name: str
    nicknames: tuple[str, ...] = ()
    location_slugs: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnalysisContext:
    """What the analysis may know about the practice and the author; all optional."""

    therapists: tuple[TherapistRef, ...] = ()
    staff_names: tuple[str, ...] = ()  # other people of the practice, never pii_name
    location_names: tuple[str, ...] = ()  # clinic / town names, never a person
    location_slug: str | None = None  # the clinic the patient chose
    author_first_name: str = ""
    author_last_name: str = ""


@dataclass(frozen=True)
class FlagHit:
    """One problem found in a text; start/end are offsets into the original text."""

    code: str
    severity: str  # low | medium | high
    message: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict:
        """The contract's flag object."""
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Sentiment:
    """VADER's whole-text scores plus the service's own label."""

    compound: float
    pos: float
    neu: float
    neg: float
    label: str  # positive | neutral | negative

    def to_dict(self) -> dict:
        """The contract's sentiment object."""
        return {"compound": self.compound, "pos": self.pos, "neu": self.neu, "neg": self.neg,
                "label": self.label}


@dataclass(frozen=True)
class SentenceScore:
    """One sentence: its span, VADER compound, the domain-adjusted score and its role."""

    start: int
    end: int
    compound: float
    label: str
    role: str = "other"  # story | verdict | complaint | other
    score: float = 0.0  # compound after the domain adjustments the label is built on

    def to_dict(self) -> dict:
        """Plain dict for storage."""
        return {"start": self.start, "end": self.end, "compound": self.compound,
                "label": self.label, "role": self.role, "score": self.score}


@dataclass(frozen=True)
class OutcomeClaim:
    """A typical-result claim ("pain-free after two visits") with its span."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        """Plain dict for storage."""
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class AnalysisResult:
    """Everything the analysis found about one text."""

    sentiment: Sentiment
    flags: tuple[FlagHit, ...]
    tags: tuple[str, ...]
    therapists_mentioned: tuple[str, ...]
    language: str
    sentences: tuple[SentenceScore, ...] = field(default=())
    outcome_claims: tuple[OutcomeClaim, ...] = field(default=())
    fingerprint: str = ""

    def to_dict(self) -> dict:
        """The public analysis contract, plus "sentences" and "outcome_claims"."""
        return {
            "sentiment": self.sentiment.to_dict(),
            "flags": [f.to_dict() for f in self.flags],
            "tags": list(self.tags),
            "therapists_mentioned": list(self.therapists_mentioned),
            "language": self.language,
            "sentences": [s.to_dict() for s in self.sentences],
            "outcome_claims": [c.to_dict() for c in self.outcome_claims],
        }
