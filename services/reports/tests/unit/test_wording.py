"""The report's sentences read naturally in each language: real plural forms, never "(s)"."""

import pytest

from reports import wording
from reports.notation import format_date, format_level, format_percent, horizon_text

COUNTS = (0, 1, 2, 5)
NB = "\u00a0"


def _each(language, render):
    t = wording.texts(language)
    return [render(t, n) for n in COUNTS]


PLURAL_SENTENCES = {
    "below_target": lambda t, n: wording.summary_below_target(t, count=n, total=6),
    "disagreements": lambda t, n: wording.summary_disagreements(t, count=n),
    "coverage": lambda t, n: wording.summary_coverage(t, coverage="88%", dont_know=n),
    "improved": lambda t, n: wording.summary_progress(t, improved=n, declined=3),
    "declined": lambda t, n: wording.summary_progress(t, improved=3, declined=n),
    "recommendations": lambda t, n: wording.summary_priorities(t, count=n, quick=1, listed=3),
    "quick_wins": lambda t, n: wording.summary_priorities(t, count=7, quick=n, listed=3),
    "overall": lambda t, n: wording.summary_overall(t, count=n, level="3.4", name="X"),
    "applicable": lambda t, n: wording.why_score(t, score="3.4", answered=n, applicable=n),
}


def _four(template):
    return [template.format(n=n, s="" if n == 1 else "s") for n in COUNTS]


def _four_fr(singular, plural):
    return [(singular if n < 2 else plural).format(n=n) for n in COUNTS]


EXPECTED = {
    ("below_target", "en"): [
        "0 of 6 areas are below their target level.",
        "1 of 6 areas is below its target level.",
        "2 of 6 areas are below their target level.",
        "5 of 6 areas are below their target level.",
    ],
    ("below_target", "fr"): _four_fr(
        "{n} domaine sur 6 est en dessous de son niveau visé.",
        "{n} domaines sur 6 sont en dessous de leur niveau visé.",
    ),
    ("disagreements", "en"): _four(
        "Respondents disagreed widely on {n} question{s}: see the area pages."
    ),
    ("disagreements", "fr"): _four_fr(
        f"Les répondants divergent fortement sur {{n}} question{NB}: voir les pages des domaines.",
        f"Les répondants divergent fortement sur {{n}} questions{NB}: voir les pages des domaines.",
    ),
    ("coverage", "en"): _four(
        "The answers cover 88% of the applicable questions, with {n} \u201cdon't know\u201d "
        "answer{s}."
    ),
    ("coverage", "fr"): _four_fr(
        f"Les réponses couvrent 88% des questions applicables, dont {{n}} réponse "
        f"«{NB}ne sait pas{NB}».",
        f"Les réponses couvrent 88% des questions applicables, dont {{n}} réponses "
        f"«{NB}ne sait pas{NB}».",
    ),
    ("improved", "en"): _four(
        "Since the previous assessment, {n} area{s} improved and 3 declined."
    ),
    ("improved", "fr"): _four_fr(
        "Depuis l'évaluation précédente, {n} domaine a progressé et 3 ont reculé.",
        "Depuis l'évaluation précédente, {n} domaines ont progressé et 3 ont reculé.",
    ),
    ("declined", "en"): _four("Since the previous assessment, 3 areas improved and {n} declined."),
    ("declined", "fr"): _four_fr(
        "Depuis l'évaluation précédente, 3 domaines ont progressé et {n} a reculé.",
        "Depuis l'évaluation précédente, 3 domaines ont progressé et {n} ont reculé.",
    ),
    ("recommendations", "fr"): [
        f"0 recommandation est classée par priorité, dont 1 gain rapide. "
        f"Par ordre de priorité{NB}:",
        f"1 recommandation est classée par priorité, dont 1 gain rapide. "
        f"Par ordre de priorité{NB}:",
        f"2 recommandations sont classées par priorité, dont 1 gain rapide. "
        f"Par ordre de priorité{NB}:",
        f"5 recommandations sont classées par priorité, dont 1 gain rapide. "
        f"Les trois premières{NB}:",
    ],
    ("quick_wins", "en"): [
        "7 recommendations are prioritized, 0 of them quick wins. The first three:",
        "7 recommendations are prioritized, 1 of them a quick win. The first three:",
        "7 recommendations are prioritized, 2 of them quick wins. The first three:",
        "7 recommendations are prioritized, 5 of them quick wins. The first three:",
    ],
    ("quick_wins", "fr"): _four_fr(
        f"7 recommandations sont classées par priorité, dont {{n}} gain rapide. "
        f"Les trois premières{NB}:",
        f"7 recommandations sont classées par priorité, dont {{n}} gains rapides. "
        f"Les trois premières{NB}:",
    ),
    ("applicable", "fr"): _four_fr(
        f"Le score de 3.4 est la moyenne pondérée des réponses renseignées, {{n}} sur {{n}} "
        f"question applicable\u202f; une réponse «{NB}ne sait pas{NB}» compte comme le niveau 1.",
        f"Le score de 3.4 est la moyenne pondérée des réponses renseignées, {{n}} sur {{n}} "
        f"questions applicables\u202f; une réponse «{NB}ne sait pas{NB}» compte comme le "
        "niveau 1.",
    ),
    ("overall", "fr"): _four_fr(
        "{n} domaine évalué donne un niveau indicatif de 3.4 (X). C'est le profil par domaine "
        "ci-dessous qui constitue le résultat\u202f; le chiffre d'ensemble ne fait que le "
        "résumer.",
        "Pris ensemble, les {n} domaines donnent un niveau indicatif de 3.4 (X). C'est le profil "
        "par domaine ci-dessous qui constitue le résultat\u202f; le chiffre d'ensemble ne fait "
        "que le résumer.",
    ),
}


def test_what_is_missing_from_an_area_says_only_the_counts_it_has():
    en, fr = wording.texts("en"), wording.texts("fr")
    assert [wording.why_missing(fr, unanswered=n, not_applicable=0) for n in (1, 2)] == [
        "1 question est restée sans réponse.",
        "2 questions sont restées sans réponse.",
    ]
    assert [wording.why_missing(en, unanswered=0, not_applicable=n) for n in (1, 5)] == [
        "1 question was marked not applicable (excluded from the score).",
        "5 questions were marked not applicable (excluded from the score).",
    ]
    assert [wording.why_missing(fr, unanswered=1, not_applicable=n) for n in (1, 2)] == [
        "1 question est restée sans réponse et 1 a été jugée sans objet (exclue du score).",
        "1 question est restée sans réponse et 2 ont été jugées sans objet (exclues du score).",
    ]
    assert wording.why_missing(en, unanswered=2, not_applicable=1) == (
        "2 questions were not answered and 1 was marked not applicable (excluded from the score)."
    )


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("sentence", sorted(PLURAL_SENTENCES))
def test_each_plural_sentence_renders_0_1_2_and_5_in_the_language_plural_form(sentence, language):
    shown = _each(language, PLURAL_SENTENCES[sentence])
    assert all("(s)" not in text and "%(" not in text for text in shown), shown
    for count, text in zip(COUNTS, shown, strict=True):
        assert str(count) in text
    expected = EXPECTED.get((sentence, language))
    if expected is not None:
        assert shown == expected


def test_numbers_percentages_dates_and_horizons_are_written_the_language_way():
    assert format_level(2.6, "fr") == "2,6"
    assert format_level(2.6, "en") == "2.6"
    assert format_percent(0.52, "fr") == "52\u202f%"
    assert format_percent(52, "fr", of_one=False) == "52\u202f%"
    assert format_percent(0.52, "en") == "52%"
    assert format_date("2026-12-06T09:30:00Z", "fr") == "6 décembre 2026"
    assert format_date("2026-12-06T09:30:00Z", "en") == "6 December 2026"
    assert horizon_text("6-18", "fr") == "6\u201318 mois"
    assert wording.labels("fr")["colon"] == "\u00a0:"
    assert wording.labels("en")["colon"] == ":"
