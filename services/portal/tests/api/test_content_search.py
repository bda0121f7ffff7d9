"""Search quality in English and French, accents, facets and visibility: the same cases run on
SQLite (FTS5) and PostgreSQL (tsvector), whichever TEST_DB selects."""

import pytest

from portal.catalogue.search_postgres import PostgresSearchIndex, document_index
from shared.testing import uses_postgresql

RISK_TITLE = {
    "kind": "resource",
    "subtype": "guide",
    "technologies": ["machine-learning"],
    "domains": ["risk-management"],
    "region": "west-africa",
    "translations": {
        "en": {
            "title": "Risk management with machine learning",
            "summary": "Targeting consignments with models",
            "body": "Selectivity and targeting.",
        },
        "fr": {
            "title": "Gestion des risques par apprentissage automatique",
            "summary": "Cibler les envois avec des modèles",
            "body": "Sélectivité et ciblage.",
        },
    },
}
RISK_BODY = {
    "kind": "case_study",
    "technologies": ["analytics"],
    "domains": ["revenue"],
    "region": "central-africa",
    "translations": {
        "en": {
            "title": "Revenue dashboards in Cameroon",
            "summary": "Analytics for revenue",
            "body": "Dashboards also show the risk of undervaluation.",
        },
        "fr": {
            "title": "Tableaux de bord des recettes au Cameroun",
            "summary": "Analyse pour les recettes",
            "body": "Les tableaux montrent aussi les risques de sous-évaluation.",
        },
    },
}
DATA_QUALITY_FR = {
    "kind": "resource",
    "subtype": "publication",
    "topics": ["data-quality"],
    "region": "west-africa",
    "translations": {
        "fr": {
            "title": "Qualité des données douanières",
            "summary": "Nettoyer les déclarations avant l'analyse",
            "body": "Les données sont la matière première de l'IA.",
        }
    },
}
BLOCKCHAIN_EN = {
    "kind": "tool",
    "subtype": "software",
    "technologies": ["blockchain"],
    "domains": ["trade-facilitation"],
    "region": "global",
    "translations": {
        "en": {
            "title": "Blockchain certificate of origin",
            "summary": "Sharing certificates between administrations",
            "body": "A ledger for trade documents and data exchange.",
        }
    },
}
MEMBERS_ONLY = {
    "kind": "resource",
    "technologies": ["machine-learning"],
    "region": "west-africa",
    "visibility": "members",
    "translations": {
        "en": {"title": "Members risk model handbook", "body": "Internal data notes."},
        "fr": {"title": "Manuel du modèle de risques des membres", "body": "Données internes."},
    },
}
DRAFT = {
    "kind": "news",
    "technologies": ["ai"],
    "region": "west-africa",
    "translations": {
        "fr": {"title": "Brouillon sur les risques et les données", "body": "Pas encore prêt."}
    },
}


@pytest.fixture
def catalogue(content):
    ids = {
        name: content.published(data)["id"]
        for name, data in (
            ("risk_title", RISK_TITLE),
            ("risk_body", RISK_BODY),
            ("data_fr", DATA_QUALITY_FR),
            ("blockchain", BLOCKCHAIN_EN),
            ("members", MEMBERS_ONLY),
        )
    }
    ids["draft"] = content.create(DRAFT)["id"]
    return ids


def _ids(result):
    return [item["id"] for item in result["items"]]


def _counts(result, facet):
    return {entry["value"]: entry["count"] for entry in result["facets"][facet]}


def test_a_title_match_ranks_above_a_body_match_in_english(content, catalogue):
    result = content.search(q="risk", lang="en")
    assert _ids(result)[:2] == [catalogue["risk_title"], catalogue["risk_body"]]
    assert result["items"][0]["score"] > result["items"][1]["score"]


def test_a_title_match_ranks_above_a_body_match_in_french(content, catalogue):
    result = content.search(q="risques", lang="fr")
    assert _ids(result)[:2] == [catalogue["risk_title"], catalogue["risk_body"]]
    assert result["items"][0]["title"] == "Gestion des risques par apprentissage automatique"
    assert result["items"][0]["language"] == "fr"


@pytest.mark.parametrize("query", ["donnees", "DONNÉES", "données", "qualite des donnees"])
def test_search_ignores_accents_and_case(content, catalogue, query):
    result = content.search(q=query, lang="fr")
    assert _ids(result)[0] == catalogue["data_fr"]
    assert catalogue["draft"] not in _ids(result)


def test_a_french_query_finds_french_versions_and_an_english_query_english_ones(content, catalogue):
    french = content.search(q="apprentissage automatique", lang="en")
    assert _ids(french) == [catalogue["risk_title"]]
    english = content.search(q="certificate of origin", lang="fr")
    assert _ids(english) == [catalogue["blockchain"]]
    # only an English version exists: served in English even to a French reader
    assert english["items"][0]["language"] == "en"


def test_plural_and_singular_forms_match(content, catalogue):
    assert _ids(content.search(q="certificates"))[0] == catalogue["blockchain"]
    assert catalogue["risk_title"] in _ids(content.search(q="models"))


def test_tag_labels_are_searchable_in_both_languages(content, catalogue):
    assert _ids(content.search(q="blockchain"))[0] == catalogue["blockchain"]
    assert catalogue["blockchain"] in _ids(content.search(q="chaîne de blocs", lang="fr"))


def test_query_syntax_and_stop_words_are_harmless(content, catalogue):
    for query in ['"risk', "risk AND (", "NEAR(risk", "risk*", "le la les", "-", "\u02bc"]:
        response = content.search(q=query)
        assert isinstance(response["total"], int)
    assert content.search(q="the of")["total"] == 4  # only stop words: browse everything


def test_facet_counts_follow_the_readers_visibility(content, catalogue):
    public = content.search(q="")
    assert public["total"] == 4
    assert _counts(public, "kind") == {"resource": 2, "case_study": 1, "tool": 1}
    assert _counts(public, "region") == {"west-africa": 2, "central-africa": 1, "global": 1}
    assert _counts(public, "technology") == {"machine-learning": 1, "analytics": 1, "blockchain": 1}
    assert _counts(public, "language") == {"en": 3, "fr": 3}
    member = content.search("member")
    assert member["total"] == 5
    assert _counts(member, "technology")["machine-learning"] == 2
    assert _counts(member, "region")["west-africa"] == 3
    editor = content.search("editor")
    assert editor["total"] == 6
    assert _counts(editor, "kind")["news"] == 1
    assert _counts(editor, "technology")["ai"] == 1


def test_facet_counts_describe_the_search_results(content, catalogue):
    result = content.search(q="risk")
    assert set(_ids(result)) == {catalogue["risk_title"], catalogue["risk_body"]}
    assert _counts(result, "kind") == {"resource": 1, "case_study": 1}
    assert _counts(result, "domain") == {"risk-management": 1, "revenue": 1}
    member = content.search("member", q="risk")
    assert catalogue["members"] in _ids(member)
    assert _counts(member, "kind") == {"resource": 2, "case_study": 1}


def test_filters_combine_with_search_and_each_other(content, catalogue):
    assert _ids(content.search(q="risk", kind="case_study")) == [catalogue["risk_body"]]
    assert _ids(content.search(region="global")) == [catalogue["blockchain"]]
    both = content.search(technology=["blockchain", "analytics"], sort="title")
    assert _ids(both) == [catalogue["blockchain"], catalogue["risk_body"]]
    french_only = content.search(language="fr", q="data")
    assert catalogue["blockchain"] not in _ids(french_only)
    assert _ids(content.search(topic="data-quality")) == [catalogue["data_fr"]]
    assert content.search(domain="valuation")["total"] == 0


def test_sorting_by_title_uses_the_readers_language(content, catalogue):
    english = content.search(sort="title", lang="en")
    titles = [item["title"] for item in english["items"]]
    assert titles == sorted(titles, key=str.lower)
    french = content.search(sort="title", lang="fr")
    assert french["items"][0]["title"] == "Blockchain certificate of origin"
    assert french["items"][1]["title"] == "Gestion des risques par apprentissage automatique"


def test_newest_first_is_the_default_without_a_query(content, catalogue):
    result = content.search()
    assert _ids(result)[0] == catalogue["blockchain"]
    dates = [item["published_at"] for item in result["items"]]
    assert dates == sorted(dates, reverse=True)


def test_pages_split_the_results_and_keep_the_total(content, catalogue):
    first = content.search(page_size=3, sort="title")
    second = content.search(page_size=3, page=2, sort="title")
    assert first["total"] == second["total"] == 4
    assert first["pages"] == 2
    assert len(first["items"]) == 3
    assert len(second["items"]) == 1
    assert not set(_ids(first)) & set(_ids(second))
    beyond = content.search(page=9)
    assert beyond["items"] == []
    assert beyond["total"] == 4


def test_members_and_draft_items_never_appear_in_public_search(content, catalogue):
    for query in ("", "risk", "risques", "members", "donnees", "brouillon"):
        ids = _ids(content.search(q=query, page_size=100))
        assert catalogue["members"] not in ids
        assert catalogue["draft"] not in ids
    assert catalogue["draft"] not in _ids(content.search("member", q="brouillon"))


def test_a_broad_query_ranks_by_where_its_words_are(content, catalogue, monkeypatch):
    # Past EXACT_LIMIT matching versions (here: any), relevance is the title/summary/body tier.
    monkeypatch.setattr("portal.catalogue.search.EXACT_LIMIT", 0)
    english = content.search(q="risk", lang="en")
    assert _ids(english)[:2] == [catalogue["risk_title"], catalogue["risk_body"]]
    french = content.search(q="risques", lang="fr")
    assert _ids(french)[:2] == [catalogue["risk_title"], catalogue["risk_body"]]
    assert _ids(content.search(q="donnees"))[0] == catalogue["data_fr"]
    assert _counts(english, "kind") == {"resource": 1, "case_study": 1}


@pytest.mark.skipif(not uses_postgresql(), reason="PostgreSQL only: the TEST_DB=postgresql run")
def test_each_language_branch_of_a_search_reads_only_its_languages_index(app, catalogue):
    sql = PostgresSearchIndex._ranked("document", ["en", "fr"])
    with app.extensions["db"].engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")  # a few rows: it would scan
        plan = "\n".join(
            row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", {"q": "risk"})
        )
        indexes = {
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'content_search'"
            )
        }
    assert f"Bitmap Index Scan on {document_index('en')}" in plan
    assert f"Bitmap Index Scan on {document_index('fr')}" in plan
    assert "ix_content_search_document" not in indexes  # the index over both is gone
