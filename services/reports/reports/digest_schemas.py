"""Request and response schema of the forum digest preference (``reports.digest_api``)."""

from __future__ import annotations

from marshmallow import fields, validate

from reports.digests import FREQUENCIES
from shared.text import InputSchema


class DigestPreferenceSchema(InputSchema):
    """The caller's choice of an e-mail digest of their forum notifications."""

    frequency = fields.String(
        required=True,
        validate=validate.OneOf(FREQUENCIES),
        metadata={
            "description": "none (the default: in-app notifications only), daily or weekly",
            "enum": list(FREQUENCIES),
        },
    )
