import copy

import pytest

from assessment.framework import FrameworkError, parse_framework

from .conftest import small_document


def test_a_valid_document_parses_into_areas_and_indicators(framework):
    assert [a.key for a in framework.areas] == ["strategy", "data"]
    assert framework.indicator("data.b").critical is True
    assert framework.indicator("strategy.b").weight == 2.0
    assert framework.indicator("nope") is None


def test_the_most_specific_recommendation_applies(framework):
    indicator = framework.indicator("strategy.a")
    assert indicator.recommendation_for(1).key == "strategy.a.basic"
    assert indicator.recommendation_for(3).key == "strategy.a.next"
    assert indicator.recommendation_for(5) is None


@pytest.mark.parametrize(
    "mutate, path",
    [
        (lambda d: d["areas"][0]["indicators"][0]["levels"].pop(3), "levels"),
        (lambda d: d["areas"][0]["indicators"][0]["question"].pop("fr"), "fr"),
        (lambda d: d["areas"][0]["indicators"][1].update(key="strategy.a"), "duplicate"),
        (lambda d: d["use_cases"][0]["minimum"].update(finance=2), "unknown areas"),
        (lambda d: d["areas"][0].update(colour="red"), "colour"),
        (
            lambda d: d["areas"][0]["indicators"][0]["recommendations"][0].update(effort="huge"),
            "effort",
        ),
    ],
)
def test_invalid_documents_are_refused_with_the_path_of_the_problem(mutate, path):
    document = copy.deepcopy(small_document())
    mutate(document)
    with pytest.raises(FrameworkError) as error:
        parse_framework(document)
    assert path in str(error.value.errors)
