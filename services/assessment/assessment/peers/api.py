"""HTTP API of peer learning (``/api/v1/assessment``): opting in and out, regional aggregates
and an assessment's comparison with them. Thin views over ``participation`` and ``published``."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask.views import MethodView
from flask_smorest import Api, Blueprint

from assessment.frameworks import FrameworkCache
from assessment.peers import pages as peer_pages
from assessment.peers import participation, published
from assessment.peers import schemas as s
from assessment.peers.texts import ERRORS
from shared.auth import Role, current_principal, require
from shared.errors import register_titles

blp = Blueprint(
    "peers",
    __name__,
    url_prefix="/api/v1/assessment",
    description="Peer learning without ranking: opt-in regional aggregates (never an individual "
    "value, nothing below 5 administrations)",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.CLIENT)


def register(app: Flask, rest: Api) -> None:
    """Check the threshold setting; register the peer-learning API on ``rest``, its page form
    on ``app``."""
    participation.threshold_of(app.config)  # refuses to start below 5
    register_titles(ERRORS, domain="assessment")
    rest.register_blueprint(blp)
    app.register_blueprint(peer_pages.bp)


def _db() -> Any:
    return current_app.extensions["db"]


def _cache() -> FrameworkCache:
    cache: FrameworkCache = current_app.extensions["frameworks"]
    return cache


def _threshold() -> int:
    return participation.threshold_of(current_app.config)


@blp.route("/assessments/<assessment_id>/peer-learning")
class PeerLearning(MethodView):
    """Whether an assessment contributes to its region's aggregate."""

    @require(*MEMBERS)
    @blp.response(200, s.PeerLearningSchema)
    def get(self, assessment_id: str) -> Any:
        """Say whether the assessment is opted in, and to which region."""
        with _db().session() as session:
            return participation.participation(
                session=session,
                principal=current_principal(),
                cache=_cache(),
                assessment_id=assessment_id,
            )

    @require(Role.COORDINATOR)
    @blp.arguments(s.PeerLearningInSchema)
    @blp.response(200, s.PeerLearningSchema)
    def put(self, data: dict[str, Any], assessment_id: str) -> Any:
        """Opt a submitted assessment in to a region's aggregate (recomputed at once)."""
        with _db().session(write=True) as session:
            return participation.opt_in(
                session=session,
                principal=current_principal(),
                cache=_cache(),
                assessment_id=assessment_id,
                region=data["region"],
                threshold=_threshold(),
            )

    @require(Role.COORDINATOR)
    @blp.response(204)
    def delete(self, assessment_id: str) -> None:
        """Opt the assessment out: its contribution leaves the aggregate at once."""
        with _db().session(write=True) as session:
            participation.opt_out(
                session=session,
                principal=current_principal(),
                cache=_cache(),
                assessment_id=assessment_id,
                threshold=_threshold(),
            )


@blp.route("/assessments/<assessment_id>/peer-comparison")
class PeerComparison(MethodView):
    """An assessment's own scores beside its region's distribution."""

    @require(*MEMBERS)
    @blp.arguments(s.ComparisonQuerySchema, location="query")
    @blp.response(200, s.PeerComparisonSchema)
    def get(self, query: dict[str, Any], assessment_id: str) -> Any:
        """Return the own scores per area beside the regional distribution (not a benchmark)."""
        with _db().session() as session:
            return published.comparison(
                session=session,
                principal=current_principal(),
                cache=_cache(),
                assessment_id=assessment_id,
                region=query["region"],
                threshold=_threshold(),
            )


@blp.route("/peer-aggregates")
class PeerAggregates(MethodView):
    """Regional aggregates of opted-in assessments."""

    @require()
    @blp.arguments(s.AggregateQuerySchema, location="query")
    @blp.response(200, s.PeerAggregatesSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """Return a region's per-area median and quartiles, or "not enough participants"."""
        with _db().session() as session:
            return published.aggregates(
                session=session, cache=_cache(), threshold=_threshold(), **query
            )
