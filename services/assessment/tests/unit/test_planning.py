from assessment.planning import compare, feasibility, prioritize, remap_answers, roadmap
from assessment.scoring import DONT_KNOW, Answer, score_assessment


def _answers(**levels):
    return {k.replace("_", "."): Answer(v) for k, v in levels.items()}


def test_use_cases_within_reach_and_what_is_missing(framework):
    answers = _answers(strategy_a=3, strategy_b=3, strategy_c=3, data_a=2, data_b=2, data_c=2)
    rows = {r.use_case: r for r in feasibility(framework, score_assessment(framework, answers))}
    assert rows["chat"].within_reach is True
    assert rows["risk"].within_reach is False
    assert rows["risk"].missing == (("data", 3, 2.0),)


def test_foundations_and_critical_gaps_come_first(framework):
    answers = _answers(strategy_a=2, strategy_b=2, strategy_c=2, data_a=2, data_b=2, data_c=2)
    priorities = prioritize(framework, answers, score_assessment(framework, answers))
    assert (
        priorities[0].indicator == "data.b"
    )  # critical, in a foundation area, blocking a use case
    assert [p.rank for p in priorities] == list(range(1, len(priorities) + 1))
    assert all(p.gap > 0 for p in priorities)


def test_targets_decide_the_gaps(framework):
    answers = _answers(strategy_a=3, strategy_b=3, strategy_c=3)
    result = score_assessment(framework, answers)
    assert prioritize(framework, answers, result, {"strategy": 3}) == []
    raised = prioritize(framework, answers, result, {"strategy": 5})
    assert {p.indicator for p in raised} == {"strategy.a", "strategy.b", "strategy.c"}
    assert all(p.recommendation.key.endswith(".next") for p in raised)


def test_dont_know_is_a_gap_to_close(framework):
    answers = {"data.a": Answer(DONT_KNOW)}
    (priority,) = prioritize(framework, answers, score_assessment(framework, answers))
    assert priority.level == 1.0
    assert priority.recommendation.key == "data.a.basic"


def test_roadmap_puts_quick_wins_first(framework):
    answers = _answers(strategy_a=1, strategy_b=3, strategy_c=3, data_a=3, data_b=3, data_c=3)
    priorities = prioritize(
        framework, answers, score_assessment(framework, answers), {"strategy": 5, "data": 5}
    )
    phases = roadmap(priorities)
    assert set(phases) == {"0-6", "6-18", "18-36"}
    assert sum(len(v) for v in phases.values()) == len(priorities)
    assert all(p.quick_win for p in phases["0-6"] if p.recommendation.horizon != "0-6")


def test_progress_since_an_earlier_assessment(framework):
    before = score_assessment(framework, _answers(data_a=2, data_b=2, data_c=2))
    after = score_assessment(framework, _answers(data_a=3, data_b=3, data_c=3))
    assert compare(before, after) == {"strategy": None, "data": 1.0}


def test_answers_of_an_old_version_are_remapped():
    old = {"old.a": Answer(2), "gone": Answer(3), "same": Answer(4)}
    assert remap_answers(old, {"old.a": "new.a", "gone": None}) == {
        "new.a": Answer(2),
        "same": Answer(4),
    }
