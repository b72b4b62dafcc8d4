"""Spanish sentiment on VADER's rules (issue 11): one mechanism per test, each shown by short made-up
sentences, and the proof that a Spanish text's scores are never English VADER's."""
from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from moderation.analysis import analyze, spanish
from moderation.analysis.sentiment import analyze_sentiment


def compound(text: str) -> float:
    return spanish.polarity_scores(text)["compound"]


def label(text: str) -> str:
    return analyze_sentiment(text, language="es")[0].label


def test_a_lexicon_word_carries_its_valence() -> None:
    assert compound("El terapeuta es amable.") > 0.3
    assert compound("El terapeuta es grosero.") < -0.3


@pytest.mark.parametrize("negated", [
    "El terapeuta no es amable.",
    "El terapeuta nunca fue amable.",
    "Jamás fue amable.",
    "Tampoco fue amable.",
    "Ni amable ni puntual.",
])
def test_a_negator_among_the_three_words_before_flips_the_valence(negated: str) -> None:
    assert compound(negated) < 0


def test_negative_concord_is_one_negation_not_two() -> None:
    # "no … ninguna queja": two negators, one negation (English VADER would flip twice)
    assert compound("No tengo ninguna queja.") > 0
    assert compound("Tengo una queja.") < 0


def test_sin_negates_but_sin_duda_does_not() -> None:
    assert compound("Camino sin dolor.") > 0 > compound("Camino con dolor.")
    assert compound("Sin duda excelente.") == compound("Excelente.")


def test_a_negation_does_not_reach_past_a_comma() -> None:
    assert compound("No, el terapeuta es amable.") == compound("Sí, el terapeuta es amable.")


def test_boosters_raise_and_dampeners_lower_the_valence() -> None:
    plain = compound("Es amable.")
    assert compound("Es muy amable.") > plain
    assert compound("Es súper amable.") > plain
    assert compound("Es algo amable.") < plain
    assert compound("Es un poco amable.") < plain


def test_poco_before_a_word_reads_as_not() -> None:
    # "poco amable" is unkind, as VADER's "least" rule reads "the least helpful"
    assert compound("Es poco amable.") < 0


@pytest.mark.parametrize(("accented", "plain"), [
    ("Excelente atención, muy profesional.", "Excelente atencion, muy profesional."),
    ("Pésimo servicio, me lastimaron.", "pesimo servicio, me lastimaron."),
    ("Me ayudó muchísimo.", "Me ayudo muchisimo."),
])
def test_accents_make_no_difference(accented: str, plain: str) -> None:
    assert compound(accented) == compound(plain) != 0


def test_the_words_after_a_contrast_word_weigh_three_times_those_before() -> None:
    # VADER's rule for "but": ×0.5 before it, ×1.5 after it
    for word in ("pero", "aunque", "sin embargo"):
        both = spanish.run(f"Es amable {word} es grosero")
        plain = spanish.run("Es amable y es grosero")  # the same words without a contrast
        sia = SentimentIntensityAnalyzer()
        weighted = [v * 0.5 for v in plain.valences[:2]] + [0.0] * (len(both.valences) - 4) \
            + [v * 1.5 for v in plain.valences[-2:]]
        assert both.scores == sia.score_valence(weighted, f"Es amable {word} es grosero")
        assert compound(f"Es amable, {word} es grosero.") < 0 < compound(f"Es grosero, {word} es amable.")


def test_aunque_opening_a_sentence_concedes_its_own_clause() -> None:
    assert compound("Aunque es grosero, es amable.") > 0
    assert compound("Aunque es amable, es grosero.") < 0


def test_capitals_and_exclamation_marks_add_emphasis_as_in_vader() -> None:
    assert compound("El terapeuta es AMABLE y puntual.") > compound("El terapeuta es amable y puntual.")
    assert compound("Es amable!!") > compound("Es amable.")


def test_a_set_phrase_carries_its_own_valence_and_can_be_negated() -> None:
    assert compound("Valió la pena.") > 0 > compound("No valió la pena.")


def test_an_emoji_is_scored_as_vader_scores_it() -> None:
    assert compound("Gracias 😊") > compound("Gracias")


def test_a_logistics_gripe_after_praise_stays_a_gripe() -> None:
    assert label("Los terapeutas son excelentes, pero el estacionamiento es un problema.") == "positive"
    assert label("Los terapeutas son excelentes, pero el trato fue grosero.") == "negative"


def test_the_injury_story_counts_for_little_unless_the_problem_goes_on() -> None:
    assert label("Tenía un dolor terrible. Ahora camino bien, gracias.") == "positive"
    assert label("Sigo con el mismo dolor terrible.") == "negative"


def test_a_spanish_testimonials_scores_are_not_english_vaders() -> None:
    # given a Spanish testimonial, which English VADER reads almost as nothing
    text = "Los terapeutas son muy amables. No me dolió nada y ya camino sin bastón."
    english = SentimentIntensityAnalyzer().polarity_scores(text)
    # when it is analysed
    result = analyze(text)
    # then it is Spanish, and its scores are the Spanish scorer's, whole text and per sentence
    assert result.language == "es"
    ours = spanish.polarity_scores(text)
    assert result.sentiment.to_dict() == {**ours, "label": "positive"}
    assert result.sentiment.compound != english["compound"] and result.sentiment.pos != english["pos"]
    per_sentence = [s.compound for s in result.sentences]
    assert per_sentence == [compound(text[s.start:s.end]) for s in result.sentences]
    assert per_sentence != [SentimentIntensityAnalyzer().polarity_scores(text[s.start:s.end])["compound"]
                            for s in result.sentences]


def test_a_language_the_practice_does_not_accept_is_not_scored() -> None:
    # given a French testimonial (French is not an accepted language)
    text = "Le kiné était très gentil et la salle toujours propre, je recommande à tous mes voisins."
    # when it is analysed
    result = analyze(text)
    # then it is flagged non_english, labelled neutral, and carries no numbers and no sentences
    assert result.language == "fr" and "non_english" in {f.code for f in result.flags}
    assert result.sentiment.to_dict() == {"compound": 0.0, "pos": 0.0, "neu": 0.0, "neg": 0.0, "label": "neutral"}
    assert result.sentences == ()
