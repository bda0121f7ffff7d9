import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.scoring import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Answer,
    consolidate,
    explain_area,
    score_area,
    score_assessment,
)

KEYS = ["strategy.a", "strategy.b", "strategy.c", "data.a", "data.b", "data.c"]
values = st.one_of(st.integers(1, 5), st.sampled_from([DONT_KNOW, NOT_APPLICABLE]))
confidences = st.sampled_from([None, "low", "medium", "high"])
answer_sets = st.dictionaries(st.sampled_from(KEYS), st.builds(Answer, values, confidences))


def test_area_score_is_the_weighted_mean(framework):
    area = framework.area("strategy")
    answers = {"strategy.a": Answer(4), "strategy.b": Answer(2), "strategy.c": Answer(5)}
    result = score_area(area, answers)
    assert result.score == pytest.approx((4 + 2 * 2 + 5) / 4)
    assert result.level == 3
    assert result.percentage == pytest.approx((13 / 4 - 1) / 4 * 100)
    assert result.cap is None
    assert result.coverage == 1.0


def test_a_missing_critical_foundation_caps_the_area(framework):
    area = framework.area("data")
    result = score_area(area, {"data.a": Answer(5), "data.b": Answer(1), "data.c": Answer(5)})
    assert result.raw_score == pytest.approx(11 / 3)
    assert result.score == 2.0
    assert result.level == 2
    assert result.cap.indicator == "data.b"
    assert [c.note for c in explain_area(area, {"data.b": Answer(1), "data.a": Answer(5)})] == [
        "answered",
        "caps_area",
        "unanswered",
    ]


def test_dont_know_counts_as_a_gap_and_is_reported(framework):
    area = framework.area("data")
    result = score_area(
        area, {"data.a": Answer(DONT_KNOW), "data.b": Answer(3), "data.c": Answer(3)}
    )
    assert result.score == pytest.approx(7 / 3)
    assert result.dont_know == ("data.a",)
    assert result.coverage == 1.0
    assert result.confidence == pytest.approx(2 / 3 * 0.75)


def test_nothing_answered_gives_no_score(framework):
    result = score_assessment(framework, {})
    assert result.overall is None
    assert all(a.score is None and a.coverage == 0 for a in result.areas.values())


def test_confidence_reflects_declared_confidence(framework):
    area = framework.area("strategy")
    high = score_area(area, {k: Answer(3, "high") for k in KEYS[:3]})
    low = score_area(area, {k: Answer(3, "low") for k in KEYS[:3]})
    assert high.confidence == 1.0
    assert low.confidence == 0.5


@settings(max_examples=300, deadline=None)
@given(answer_sets)
def test_scores_are_bounded(framework, answers):
    result = score_assessment(framework, answers)
    for area in result.areas.values():
        if area.score is not None:
            assert 1.0 <= area.score <= 5.0
            assert 0.0 <= area.percentage <= 100.0
            assert 1 <= area.level <= 5
        assert 0.0 <= area.coverage <= 1.0
        assert 0.0 <= area.confidence <= 1.0
    if result.overall is not None:
        assert 1.0 <= result.overall <= 5.0


@settings(max_examples=300, deadline=None)
@given(answer_sets, st.sampled_from(KEYS), st.integers(1, 5), st.integers(0, 4))
def test_raising_an_answer_never_lowers_a_score(framework, answers, key, start, step):
    lower = {**answers, key: Answer(start)}
    higher = {**answers, key: Answer(min(5, start + step))}
    low, high = score_assessment(framework, lower), score_assessment(framework, higher)
    for name, area in low.areas.items():
        if area.score is None:
            assert high.areas[name].score is None
        else:
            assert high.areas[name].score >= area.score - 1e-9
    assert high.overall >= low.overall - 1e-9


@settings(max_examples=200, deadline=None)
@given(answer_sets, st.randoms())
def test_the_order_of_answers_does_not_matter(framework, answers, rnd):
    items = list(answers.items())
    rnd.shuffle(items)
    assert score_assessment(framework, dict(items)) == score_assessment(framework, answers)


@settings(max_examples=300, deadline=None)
@given(answer_sets, st.sampled_from(KEYS))
def test_not_applicable_does_not_move_a_score(framework, answers, key):
    without = {k: v for k, v in answers.items() if k != key}
    marked = {**without, key: Answer(NOT_APPLICABLE)}
    a, b = score_assessment(framework, without), score_assessment(framework, marked)
    for name in a.areas:
        assert a.areas[name].score == b.areas[name].score
    assert a.overall == b.overall


def test_consolidation_takes_the_median_and_flags_wide_spread():
    team = [Answer(1), Answer(2), Answer(4), Answer(5)]
    consensus = consolidate("data.a", team)
    assert consensus.answer.value == 3.0
    assert consensus.disagreement is True
    close = consolidate("data.a", [Answer(3), Answer(3), Answer(4)])
    assert close.disagreement is False
    assert close.answer.value == 3


def test_the_agreed_answer_wins_over_the_median():
    consensus = consolidate("data.a", [Answer(1), Answer(5)], agreed=Answer(2, "high"))
    assert consensus.answer == Answer(2, "high")
    assert consensus.agreed and consensus.disagreement


def test_consolidating_only_unknowns():
    assert consolidate("x", [Answer(DONT_KNOW), Answer(NOT_APPLICABLE)]).answer.value == DONT_KNOW
    assert consolidate("x", [Answer(NOT_APPLICABLE)] * 3).answer.value == NOT_APPLICABLE
    assert consolidate("x", []).answer is None
