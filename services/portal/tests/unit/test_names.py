"""Folded names: what the members lookup matches on, kept beside every user's display name."""

from portal.models import User
from portal.names import folded


def test_a_name_is_folded_without_accents_case_or_punctuation():
    assert folded("Hélène Lefèvre-DUPRÉ") == "helene lefevre dupre"
    assert folded("  Zoë  Ødegård, Straße ") == "zoe ødegard strasse"
    assert folded("João d'Ávila") == "joao d avila"
    assert folded("—") == ""


def test_a_users_folded_name_follows_its_display_name():
    user = User(display_name="Amélie Crémieux", email="a@example.org", password_hash="x")
    assert user.name_key == "amelie cremieux"
    user.display_name = "Amélie Thévenin"
    assert user.name_key == "amelie thevenin"
