"""Password hashing with argon2id; hashes made with older parameters are upgraded at login."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12


class Passwords:
    """Hashes and verifies passwords with the configured argon2id parameters."""

    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self.hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Passwords:
        """Build the hasher from the app's ``PORTAL_ARGON2_*`` settings."""
        return cls(
            time_cost=int(config["PORTAL_ARGON2_TIME_COST"]),
            memory_kib=int(config["PORTAL_ARGON2_MEMORY_KIB"]),
            parallelism=int(config["PORTAL_ARGON2_PARALLELISM"]),
        )

    @cached_property
    def _dummy_hash(self) -> str:
        return self.hasher.hash("not-a-real-password-only-for-timing")

    def hash(self, password: str) -> str:
        """Return the argon2id hash of ``password``."""
        return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Return whether ``password`` matches ``password_hash``."""
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def verify_nobody(self, password: str) -> None:
        """Spend the time of one verification, for an unknown account (no timing oracle)."""
        self.verify(self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        """Return whether ``password_hash`` was made with other parameters than the current ones."""
        return self.hasher.check_needs_rehash(password_hash)
