"""Modules reused by reference, and the validation command's messages."""

import copy
import json
from pathlib import Path

import pytest
import yaml

from assessment.framework import FrameworkError, parse_framework
from assessment.framework_check import describe, validate_folders
from assessment.framework_refs import resolve
from assessment.frameworks import FRAMEWORKS_DIR, read_framework_dir, repository_frameworks

from .conftest import small_document

SOURCE = small_document()  # test-fw 1.0: areas strategy (strategy.a-c) and data (data.a-c)


def _lookup(key, version):
    return SOURCE if (key, version) == ("test-fw", "1.0") else None


def _host(*areas):
    document = copy.deepcopy(small_document())
    document.update(key="host-fw", areas=list(areas), use_cases=[])
    return document


def _reason(document):
    with pytest.raises(FrameworkError) as error:
        resolve(document, _lookup)
    return str(error.value.errors)


def test_a_reference_brings_the_modules_questions_unchanged_and_marks_their_origin():
    entry = {
        "reuse": "test-fw@1.0/strategy",
        "indicators": ["strategy.c", "strategy.a"],
        "name": {"en": "Plans", "fr": "Plans"},
    }
    framework = parse_framework(resolve(_host(entry), _lookup))
    area = framework.area("strategy")
    assert [i.key for i in area.indicators] == ["strategy.c", "strategy.a"]
    assert area.name == {"en": "Plans", "fr": "Plans"}
    assert framework.indicator("strategy.a").critical is True  # the module's own definition
    assert area.origin == ("test-fw", "1.0", "strategy")
    assert ("test-fw", "1.0", "strategy") in framework.modules()


def test_a_module_reused_twice_keeps_its_first_declaration_as_origin():
    middle = parse_framework(resolve(_host({"reuse": "test-fw@1.0/data"}), _lookup)).document

    def lookup(key, version):
        return middle if key == "host-fw" else _lookup(key, version)

    third = _host({"reuse": "host-fw@1.0/data"})
    third["key"] = "third-fw"
    assert parse_framework(resolve(third, lookup)).area("data").origin == ("test-fw", "1.0", "data")


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"reuse": "nope@1.0/strategy"}, "unknown reference nope@1.0/strategy: no framework"),
        ({"reuse": "test-fw@2.0/strategy"}, "no framework test-fw 2.0"),
        ({"reuse": "test-fw@1.0/finance"}, "test-fw 1.0 has no area finance"),
        ({"reuse": "test-fw/strategy"}, "malformed reference"),
        ({"reuse": "test-fw@1.0/data", "indicators": ["data.z"]}, "no indicators data.z"),
        ({"reuse": "test-fw@1.0/data", "colour": "red"}, "unknown fields colour"),
        ({"reuse": "host-fw@1.0/data"}, "cannot reuse its own area"),
    ],
)
def test_a_wrong_reference_is_refused_with_what_is_wrong(entry, message):
    assert message in _reason(_host(entry))


def test_an_unresolved_reference_is_never_parsed_as_an_area():
    with pytest.raises(FrameworkError) as error:
        parse_framework(_host({"reuse": "test-fw@1.0/data"}))
    assert "reference not resolved" in str(error.value.errors)


def test_the_shipped_blockchain_tool_reuses_the_ai_tools_modules_by_reference_only():
    shipped = {f.key: f for f in repository_frameworks()}
    ai, chain = shipped["ai-ml-readiness"], shipped["blockchain-readiness"]
    raw = read_framework_dir(FRAMEWORKS_DIR / "blockchain-readiness" / "1.0")
    assert [a["reuse"] for a in raw["areas"] if "reuse" in a] == [
        "ai-ml-readiness@1.0/strategy",
        "ai-ml-readiness@1.0/governance",
        "ai-ml-readiness@1.0/skills",
    ]
    shared = set(ai.modules()) & set(chain.modules())
    assert {origin[2] for origin in shared} == {"strategy", "governance", "skills"}
    for origin in shared:
        for indicator in chain.modules()[origin].indicators:
            assert ai.indicator(indicator.key) == indicator  # same question, levels, advice


# -- the validation command -----------------------------------------------------------------


def _fresh():
    """The small document with no shared sub-objects (deepcopy keeps them shared)."""
    return json.loads(json.dumps(small_document()))


def _write(root: Path, document: dict) -> Path:
    folder = root / document["key"] / document["version"]
    folder.mkdir(parents=True)
    (folder / "framework.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return folder


def _problems(tmp_path, mutate):
    document = _fresh()
    document["key"] = "draft-fw"
    mutate(document)
    folder = _write(tmp_path, document)
    return validate_folders([folder], root=FRAMEWORKS_DIR)["draft-fw/1.0"]


@pytest.mark.parametrize(
    "mutate, line",
    [
        (
            lambda d: d["areas"][0]["indicators"][1]["question"].pop("fr"),
            "areas[0] (strategy) > indicators[1] (strategy.b) > question > fr: French text missing",
        ),
        (
            lambda d: d["areas"][1]["name"].update(fr=""),
            "areas[1] (data) > name > fr: French text is empty",
        ),
        (lambda d: d["levels"].pop(), "levels: name exactly five levels, 1 to 5"),
        (
            lambda d: d["areas"][0]["indicators"][0]["levels"].pop("5"),
            "indicators[0] (strategy.a) > levels: describe exactly the levels 1 to 5",
        ),
        (
            lambda d: d["areas"][1]["indicators"][0].update(key="strategy.a"),
            "indicators: duplicate keys: strategy.a",
        ),
        (
            lambda d: d["areas"].append({"reuse": "ai-ml-readiness@9.9/strategy"}),
            "areas[2] (reuse ai-ml-readiness@9.9/strategy) > reuse: unknown reference",
        ),
        (lambda d: d.update(version="2.0"), "the folder draft-fw/1.0 declares draft-fw 2.0"),
    ],
)
def test_the_validator_names_each_problem_where_it_is(tmp_path, mutate, line):
    if line.startswith("the folder"):
        document = _fresh()
        document["key"] = "draft-fw"
        folder = _write(tmp_path, document)
        mutate(document)
        (folder / "framework.yaml").write_text(yaml.safe_dump(document), "utf-8")
        problems = validate_folders([folder])["draft-fw/1.0"]
    else:
        problems = _problems(tmp_path, mutate)
    assert any(line in problem for problem in problems), problems


def test_a_draft_reusing_a_shipped_module_validates_against_the_repository(tmp_path):
    problems = _problems(
        tmp_path,
        lambda d: d["areas"].append(
            {"reuse": "ai-ml-readiness@1.0/skills", "indicators": ["skills.partnerships"]}
        ),
    )
    assert problems == []


def test_every_shipped_framework_validates():
    folders = sorted(p.parent for p in FRAMEWORKS_DIR.glob("*/*/framework.yaml"))
    report = validate_folders(folders)
    assert set(report) == {f"{f.parent.name}/{f.name}" for f in folders}
    assert {"ai-ml-readiness/1.0", "blockchain-readiness/1.0"} <= set(report)
    assert all(problems == [] for problems in report.values()), report


def test_problems_read_as_one_line_each_without_a_document():
    errors = {
        "areas": {
            0: {"indicators": {2: {"guidance": {"en": ["Missing data for required field."]}}}}
        }
    }
    assert describe(errors) == ["areas[0] > indicators[2] > guidance > en: English text missing"]


def test_the_command_exits_with_an_error_and_lists_the_problems(app, tmp_path):
    document = _fresh()
    document["key"] = "draft-fw"
    document["areas"][0]["description"].pop("fr")
    folder = _write(tmp_path, document)
    runner = app.test_cli_runner()
    failed = runner.invoke(args=["frameworks", "validate", str(folder)])
    assert failed.exit_code == 1
    assert "draft-fw/1.0: 1 problem" in failed.output
    assert "areas[0] (strategy) > description > fr: French text missing" in failed.output
    passed = runner.invoke(args=["frameworks", "validate"])
    assert passed.exit_code == 0, passed.output
    assert "blockchain-readiness/1.0: valid (7 areas" in passed.output


def test_a_wrong_reference_and_other_problems_are_reported_in_one_run(tmp_path):
    def mutate(document):
        document["areas"].append({"reuse": "ai-ml-readiness@1.0/finance"})
        document["title"].pop("fr")

    problems = _problems(tmp_path, mutate)
    assert "title > fr: French text missing" in problems
    assert any("ai-ml-readiness 1.0 has no area finance" in line for line in problems)
    assert len(problems) == 2, problems
