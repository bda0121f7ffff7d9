"""Peer learning without ranking: opt-in regional aggregates of area scores (issue 16)."""
