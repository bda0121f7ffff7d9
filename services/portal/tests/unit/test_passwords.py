from portal.passwords import Passwords

FAST = {"time_cost": 1, "memory_kib": 1024, "parallelism": 1}


def test_a_hash_is_argon2id_and_verifies_only_the_right_password():
    passwords = Passwords(**FAST)
    stored = passwords.hash("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "correct horse battery")
    assert not passwords.verify(stored, "correct horse batterY")


def test_a_corrupt_hash_never_verifies():
    passwords = Passwords(**FAST)
    assert not passwords.verify("not-a-hash", "anything at all")
    assert not passwords.verify("", "")


def test_a_hash_made_with_other_parameters_needs_a_rehash():
    old = Passwords(**FAST).hash("long enough password")
    assert not Passwords(**FAST).needs_rehash(old)
    assert Passwords(time_cost=2, memory_kib=2048, parallelism=1).needs_rehash(old)


def test_an_unknown_account_still_costs_a_verification(monkeypatch):
    passwords = Passwords(**FAST)
    calls = []
    original = passwords.verify
    monkeypatch.setattr(passwords, "verify", lambda h, p: calls.append(h) or original(h, p))
    passwords.verify_nobody("whatever password")
    assert len(calls) == 1
    assert calls[0].startswith("$argon2id$")
