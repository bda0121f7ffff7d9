"""The peer aggregate's arithmetic: quartiles, median and the k-threshold rule."""

from __future__ import annotations

import statistics

import pytest

from assessment.peers.aggregate import REGIONS, distribute, quantile, validate_threshold
from assessment.peers.texts import in_languages


def test_five_scores_give_quartiles_and_median_like_the_inclusive_method():
    scores = [3.0, 1.0, 4.0, 2.0, 5.0]
    result = distribute(scores)
    expected = statistics.quantiles(scores, n=4, method="inclusive")
    assert result is not None
    assert (result.count, result.first_quartile, result.median, result.third_quartile) == (
        5,
        expected[0],
        expected[1],
        expected[2],
    )


def test_even_count_interpolates_the_median():
    assert quantile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 0.5) == 3.5


def test_four_administrations_give_nothing():
    assert distribute([1.0, 2.0, 3.0, 4.0]) is None


def test_a_higher_threshold_hides_five():
    assert distribute([1.0, 2.0, 3.0, 4.0, 5.0], threshold=6) is None


@pytest.mark.parametrize("value", [4, 0, -1, True, 4.9])
def test_threshold_below_five_is_refused(value):
    with pytest.raises(ValueError):
        validate_threshold(value)


def test_distribution_holds_no_individual_values():
    result = distribute([1.0, 2.0, 3.0, 4.0, 5.0])
    assert set(vars(result)) == {"count", "first_quartile", "median", "third_quartile"}


def test_six_wco_regions_have_english_and_french_labels():
    assert set(REGIONS) == {"wca", "esa", "mena", "ap", "eur", "amc"}
    names = [in_languages(name) for name in REGIONS.values()]
    assert all(set(n) == {"en", "fr"} and n["en"] != n["fr"] for n in names if n["en"] != "Europe")
    assert in_languages(REGIONS["wca"])["fr"] == "Afrique occidentale et centrale"
