"""Whether a peer-learning event calls for a new revision of a report (pure: no I/O; ADR 0012).

A report is a dated snapshot of a submission. Opting in or out changes what the administration
chose, so its current report gains or loses the peer section in a new revision. A region's
aggregate published for the first time (or again after a withdrawal) gives the section to the
opted-in reports that lack it; a later recomputation of an aggregate already shown, or its
withdrawal, builds nothing: each report says when the distribution it shows was computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from reports.models import JobStatus

Distribution = Mapping[str, Any] | None


class Trigger(StrEnum):
    """What kind of peer-learning event is being considered."""

    PARTICIPATION = "participation"  # peer_participation.opted_in / opted_out
    AGGREGATE = "aggregate"  # peer_aggregate.published / withdrawn


def _region(distribution: Distribution) -> str | None:
    return None if distribution is None else str(distribution.get("region") or "") or None


def needs_new_revision(
    *, status: str, shown: Distribution, current: Distribution, trigger: Trigger
) -> bool:
    """Return whether the current report (``status``, the distribution its build ``shown``)
    needs a new revision now that the read model gives ``current``."""
    if status in (JobStatus.QUEUED, JobStatus.FAILED):
        return False  # its build (or its retry's) reads the read model when it starts
    if _region(shown) == _region(current):
        return False  # the same section (or none): a newer computation is not worth a build
    # A withdrawal leaves the dated snapshots of what was published.
    return not (trigger is Trigger.AGGREGATE and current is None)
