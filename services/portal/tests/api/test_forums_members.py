"""The mentions picker's lookup (``GET /api/v1/portal/forums/members?q=``): signed-in forum
members find up to 10 active forum members by the start of their name or of a word of it,
accents and case aside, as id, name and administration, never an e-mail address."""

from sqlalchemy import update

from portal.models import User

MEMBERS = "/api/v1/portal/forums/members"


def _add_users(app, demo, names, *, roles="respondent", administration="demo", active=True):
    """Add users named ``names`` to an administration (none: ``administration=None``)."""
    with app.extensions["db"].session(write=True) as session, session.begin():
        for n, name in enumerate(names):
            session.add(
                User(
                    email=f"{roles}-{n}-{abs(hash(name))}@lookup.example",
                    display_name=name,
                    password_hash="x",
                    roles_text=roles,
                    administration_id=demo[administration] if administration else None,
                    active=active,
                )
            )


def test_anonymous_callers_get_a_401_problem(client, people):
    anonymous = client.get(MEMBERS, query_string={"q": "demo"})
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"] == "application/problem+json"
    assert client.get(MEMBERS, query_string={"q": "demo"}, headers=people["member"]).json


def test_a_member_finds_members_by_the_start_of_a_word_with_their_administration_only(
    client, people, demo
):
    found = client.get(MEMBERS, query_string={"q": "coord"}, headers=people["respondent"])
    assert found.status_code == 200, found.json
    assert found.json == [
        {
            "id": demo["users"]["coordinator@demo.example"],
            "name": "Demo Coordinator",
            "administration": "Demo Customs Administration",
        },
        {
            "id": demo["users"]["coordinator@other.example"],
            "name": "Other Coordinator",
            "administration": "Other Customs Administration",
        },
    ]
    editor = client.get(MEMBERS, query_string={"q": "demo ed"}, headers=people["other"]).json
    assert editor == [
        {"id": demo["users"]["editor@demo.example"], "name": "Demo Editor", "administration": None}
    ]
    assert "@" not in found.text and "roles" not in found.text and "email" not in found.text


def test_the_match_ignores_accents_and_case_both_ways(app, client, people, demo):
    _add_users(app, demo, ["Hélène Érard", "Helene Martin", "Zoë Ødegård"])
    names = lambda q: [  # noqa: E731 - a short reader of the names found
        m["name"] for m in client.get(MEMBERS, query_string={"q": q}, headers=people["member"]).json
    ]
    assert names("hele") == ["Hélène Érard", "Helene Martin"]
    assert names("HÉLÈ") == ["Hélène Érard", "Helene Martin"]
    assert names("erard") == ["Hélène Érard"]
    assert names("zoe") == ["Zoë Ødegård"]
    assert names("nobody") == []


def test_at_most_ten_members_are_returned_those_whose_name_starts_so_first(
    app, client, people, demo
):
    _add_users(app, demo, [f"Agent {n:02d}" for n in range(12)])
    _add_users(app, demo, ["Chief Agent"])
    found = client.get(MEMBERS, query_string={"q": "agent"}, headers=people["member"]).json
    assert [m["name"] for m in found] == [f"Agent {n:02d}" for n in range(10)]
    chief = client.get(MEMBERS, query_string={"q": "chief ag"}, headers=people["member"]).json
    assert [m["name"] for m in chief] == ["Chief Agent"]


def test_inactive_users_clients_and_users_of_no_administration_are_left_out(
    app, client, people, demo
):
    _add_users(app, demo, ["Quentin Gone"], active=False)
    _add_users(app, demo, ["Quentin Robot"], roles="client")
    _add_users(app, demo, ["Quentin Nowhere"], administration=None)
    _add_users(app, demo, ["Quentin Here"])
    found = client.get(MEMBERS, query_string={"q": "quentin"}, headers=people["member"]).json
    assert [m["name"] for m in found] == ["Quentin Here"]
    respondent = demo["users"]["respondent@demo.example"]
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(update(User).where(User.id == respondent).values(active=False))
    found = client.get(MEMBERS, query_string={"q": "demo r"}, headers=people["member"]).json
    assert [m["name"] for m in found] == ["Demo Reviewer"]


def test_an_empty_or_missing_query_is_refused_with_a_422_problem(client, people):
    for query in ({}, {"q": ""}, {"q": "x" * 101}):
        refused = client.get(MEMBERS, query_string=query, headers=people["member"])
        assert refused.status_code == 422, query
        assert refused.headers["Content-Type"] == "application/problem+json"


def test_the_lookup_lets_in_exactly_whom_the_forums_let_in(app, client, people, demo):
    from shared.pages import reads_forums

    cases = {
        "Ximena Editor": ("editor", None),
        "Ximena Operator": ("operator", None),
        "Ximena Coordinator": ("coordinator", "demo"),
        "Ximena Respondent": ("respondent", "other"),
        "Ximena Client": ("client", "demo"),
        "Ximena Both": ("client,respondent", "demo"),
        "Ximena Nobody": ("respondent", None),
    }
    for name, (roles, administration) in cases.items():
        _add_users(app, demo, [name], roles=roles, administration=administration)
    found = client.get(MEMBERS, query_string={"q": "ximena"}, headers=people["member"]).json
    expected = [
        name
        for name, (roles, administration) in cases.items()
        if reads_forums(roles.split(","), administration)
    ]
    assert sorted(m["name"] for m in found) == sorted(expected)
    assert len(expected) == 4


def test_underscores_in_the_query_are_letters_not_wildcards(app, client, people, demo):
    _add_users(app, demo, ["Yannick x_ray", "Yannick xoray"])
    found = client.get(MEMBERS, query_string={"q": "yannick x_r"}, headers=people["member"]).json
    assert [m["name"] for m in found] == ["Yannick x_ray"]
