"""Capacity-building requests: from an assessment's gaps, a coordinator drafts a request for
technical assistance, reviews it and sends it to the platform operators' queue (the portal); the
status the operators give it flows back. Only what the coordinator chose leaves the
administration's private space."""
