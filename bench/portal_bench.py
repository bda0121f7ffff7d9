"""Benchmark of the portal's catalogue: search and item reads with 10,000 bilingual items,
through the real gateway, each figure beside a bare Flask hello-world measured in the same run.

    .venv/bin/python bench/portal_bench.py                          # SQLite, then PostgreSQL
    .venv/bin/python bench/portal_bench.py --databases sqlite --items 2000 --duration 5

For each database: a fresh database (``flask --app portal init-db``, then a bulk load of
synthetic English/French items with their labels and search rows; words follow a Zipf-like
law, so a domain word is in about half the items and a rarer one in a few), the portal under
gunicorn as deploy/local/stack.py starts it, bench/hello.py the same way behind an identical
nginx from deploy/gateway/render.py, and wrk (bench/portal.lua) rotating over request paths.
Targets are measured in alternating rounds with hello world (median of ``--rounds``), so a busy
moment of the machine weighs on both sides alike:

1. Search in process (no HTTP): ``run_search`` over 1,000 French and English requests with
   filters, median and p95 (information: what the database and the Python side cost).
2. Search through the gateway with the cache off (``PORTAL_CACHE_TTL_S=0``): latency with one
   connection per worker (target p95 < 30 ms), requests/s under load, an uncached item page.
3. With the cache on: an anonymous item page already cached (target >= 60 % of hello world's
   requests/s) and cached search pages.

Everything it starts is stopped on exit; only 127.0.0.1 is used. Exit status 1 when a target is
missed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    NginxPlatform,
    WrkResult,
    add_database_kind_arguments,
    bench_each_database_kind,
    fresh_database,
    load_average,
    print_section,
    run_wrk,
    web_workers,
)

LUA_SCRIPT = BENCH_DIR / "portal.lua"
COLUMNS = Columns(label=36, value=26, baseline=40, target=18)
ITEMS = "/api/v1/portal/content/items"

SEARCH_P95_TARGET_MS = 30.0
CACHED_RATIO_TARGET = 0.60


# ------------------------------------------------------------------------- synthetic content
WORDS = {
    "en": [
        "customs",
        "risk",
        "data",
        "model",
        "targeting",
        "border",
        "revenue",
        "trade",
        "clearance",
        "declaration",
        "audit",
        "valuation",
        "classification",
        "tariff",
        "analytics",
        "learning",
        "machine",
        "intelligence",
        "cloud",
        "ledger",
        "blockchain",
        "drone",
        "scanner",
        "image",
        "container",
        "cargo",
        "manifest",
        "passenger",
        "fraud",
        "smuggling",
        "integrity",
        "training",
        "governance",
        "strategy",
        "quality",
        "sharing",
        "platform",
        "dashboard",
        "selectivity",
        "inspection",
        "release",
        "time",
        "cost",
        "officer",
        "administration",
        "partner",
        "agency",
        "port",
        "corridor",
        "transit",
        "origin",
        "certificate",
        "invoice",
        "price",
        "anomaly",
        "detection",
        "prediction",
        "score",
        "rule",
        "profile",
        "network",
        "graph",
        "pipeline",
        "deployment",
        "monitoring",
        "ethics",
        "privacy",
        "law",
        "policy",
    ],
    "fr": [
        "douane",
        "risque",
        "données",
        "modèle",
        "ciblage",
        "frontière",
        "recettes",
        "commerce",
        "dédouanement",
        "déclaration",
        "contrôle",
        "valeur",
        "classement",
        "tarif",
        "analyse",
        "apprentissage",
        "automatique",
        "intelligence",
        "nuage",
        "registre",
        "chaîne",
        "blocs",
        "drone",
        "scanner",
        "image",
        "conteneur",
        "fret",
        "manifeste",
        "voyageur",
        "fraude",
        "contrebande",
        "intégrité",
        "formation",
        "gouvernance",
        "stratégie",
        "qualité",
        "partage",
        "plateforme",
        "tableau",
        "sélectivité",
        "inspection",
        "mainlevée",
        "délai",
        "coût",
        "agent",
        "administration",
        "partenaire",
        "agence",
        "port",
        "corridor",
        "transit",
        "origine",
        "certificat",
        "facture",
        "prix",
        "anomalie",
        "détection",
        "prédiction",
        "score",
        "règle",
        "profil",
        "réseau",
        "graphe",
        "déploiement",
        "suivi",
        "éthique",
        "confidentialité",
        "droit",
        "politique",
    ],
}
KINDS = ("resource", "resource", "resource", "case_study", "tool", "news", "event")
SUBTYPES = {"resource": ("guide", "publication", "training"), "tool": ("software", "dataset")}
TECHNOLOGIES = [
    "ai",
    "machine-learning",
    "big-data",
    "analytics",
    "biometrics",
    "blockchain",
    "cloud-computing",
    "geospatial",
    "internet-of-things",
    "virtual-reality",
    "robots-and-drones",
]
DOMAINS = [
    "risk-management",
    "revenue",
    "trade-facilitation",
    "border-enforcement",
    "post-clearance-audit",
    "classification",
    "valuation",
]
TOPICS = [
    "data-quality",
    "data-governance",
    "data-sharing",
    "training",
    "strategy",
    "ethics",
    "mlops",
]
REGIONS = ["west-africa", "central-africa", "east-africa", "global", "europe"]


FILLER = 1500  # generated words per language beside the domain words, for a long tail


def _vocabulary(language: str) -> tuple[list[str], list[float]]:
    """Return a language's words and Zipf-like weights: domain words first (most frequent),
    then generated words, so common words match most items and rarer ones a few."""
    rng = random.Random(f"words-{language}")
    syllables = ("ka", "lo", "mi", "ne", "tu", "ra", "si", "po", "de", "va", "zu", "ri", "fe")
    filler = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(FILLER * 2)}
    words = WORDS[language] + sorted(filler - set(WORDS[language]))[:FILLER]
    return words, [1.0 / (rank + 8) for rank in range(len(words))]


_VOCABULARIES: dict[str, tuple[list[str], list[float]]] = {}


def _sentence(rng: random.Random, language: str, count: int) -> str:
    if language not in _VOCABULARIES:
        _VOCABULARIES[language] = _vocabulary(language)
    words, weights = _VOCABULARIES[language]
    return " ".join(rng.choices(words, weights=weights, k=count)).capitalize()


def _languages(rng: random.Random) -> tuple[str, ...]:
    roll = rng.random()
    return ("en", "fr") if roll < 0.8 else ("en",) if roll < 0.9 else ("fr",)


def synthetic_rows(count: int, seed: int = 2026) -> dict[str, list[dict[str, Any]]]:
    """Return rows of ``count`` items: items, translations, labels and search-index rows."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    rows: dict[str, list[dict[str, Any]]] = {
        "items": [],
        "translations": [],
        "labels": [],
        "index": [],
    }
    for n in range(count):
        item_id = str(uuid.UUID(int=rng.getrandbits(128)))
        kind = rng.choice(KINDS)
        status = "published" if rng.random() < 0.9 else rng.choice(("draft", "archived"))
        published = now - timedelta(minutes=n * 7)
        languages = _languages(rng)
        tags = {
            "technology": rng.sample(TECHNOLOGIES, rng.randint(1, 3)),
            "domain": rng.sample(DOMAINS, rng.randint(1, 2)),
            "topic": rng.sample(TOPICS, rng.randint(0, 2)),
        }
        region = rng.choice(REGIONS)
        rows["items"].append(
            {
                "id": item_id,
                "slug": f"item-{n}",
                "kind": kind,
                "subtype": rng.choice(SUBTYPES[kind]) if kind in SUBTYPES else None,
                "status": status,
                "visibility": "public" if rng.random() < 0.85 else "members",
                "region": region,
                "published_at": published if status != "draft" else None,
                "event_start": published + timedelta(days=30) if kind == "event" else None,
                "version": 3,
                "created_by": "bench",
                "created_at": published,
                "updated_by": "bench",
                "updated_at": published,
                "contributors": "",
            }
        )
        labels = {("kind", kind), ("region", region), *(("language", lang) for lang in languages)}
        labels |= {(facet, value) for facet, values in tags.items() for value in values}
        rows["labels"] += [{"item_id": item_id, "facet": f, "value": v} for f, v in labels]
        for language in languages:
            text = {
                "item_id": item_id,
                "language": language,
                "title": _sentence(rng, language, rng.randint(4, 8)),
                "summary": _sentence(rng, language, rng.randint(12, 24)),
                "body": "\n\n".join(_sentence(rng, language, 40) for _ in range(rng.randint(2, 5))),
            }
            rows["translations"].append(text)
            rows["index"].append(
                {**text, "keywords": " ".join(tags["technology"] + tags["domain"])}
            )
    return rows


def bulk_load(database_url: str, count: int) -> float:
    """Insert ``count`` synthetic items with their search rows; return the seconds it took."""
    from sqlalchemy import insert

    from portal.catalogue.search import index_for
    from portal.models import ContentItem, ContentLabel, ContentTranslation
    from shared.db import Database

    started = time.perf_counter()
    rows = synthetic_rows(count)
    database = Database(database_url)
    index = index_for(database.engine.dialect.name)
    try:
        with database.session(write=True) as session, session.begin():
            for table, key in (
                (ContentItem.__table__, "items"),
                (ContentTranslation.__table__, "translations"),
                (ContentLabel.__table__, "labels"),
            ):
                for start in range(0, len(rows[key]), 5000):
                    session.execute(insert(table), rows[key][start : start + 5000])
            for start in range(0, len(rows["index"]), 2000):
                index.add_rows(session, rows["index"][start : start + 2000])
        if database.engine.dialect.name == "postgresql":
            # what a bulk import does next (autovacuum would, later): fresh planner statistics
            with database.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
    finally:
        database.dispose()
    return time.perf_counter() - started


def search_paths(rng: random.Random, count: int) -> list[str]:
    """Return ``count`` distinct-ish search requests: queries in both languages, filters, sorts."""
    paths = []
    for _ in range(count):
        language = rng.choice(("en", "fr"))
        params: dict[str, Any] = {"lang": language}
        roll = rng.random()
        if roll < 0.75:
            # domain words (frequent) and words of the long tail (rarer), one to three
            words, _ = _vocabulary(language)
            pool = WORDS[language] if rng.random() < 0.5 else words[100:800]
            params["q"] = " ".join(rng.sample(pool, rng.choice((1, 1, 2, 2, 3))))
        if rng.random() < 0.4:
            params["technology"] = rng.choice(TECHNOLOGIES)
        if rng.random() < 0.2:
            params["kind"] = rng.choice(KINDS)
        if rng.random() < 0.2:
            params["region"] = rng.choice(REGIONS)
        if rng.random() < 0.15:
            params["sort"] = rng.choice(("newest", "title"))
        if rng.random() < 0.1:
            params["page"] = rng.randint(2, 5)
        paths.append(f"{ITEMS}?{urlencode(params)}")
    return paths


# ----------------------------------------------------------------- 1. search in the database
def bench_in_process(database_url: str, paths: list[str]) -> tuple[list[float], str]:
    """Time ``run_search`` for each path (anonymous reader); return the times in ms."""
    from urllib.parse import parse_qs

    from portal.catalogue.audience import ANONYMOUS
    from portal.catalogue.listing import SearchParams, run_search
    from portal.catalogue.search import index_for
    from portal.catalogue.snapshot import SnapshotHolder
    from shared.db import Database

    database = Database(database_url)
    index = index_for(database.engine.dialect.name)
    snapshots = SnapshotHolder()  # one per process, as the web workers keep theirs
    times = []
    try:
        for path in [*paths[:20], *paths]:  # the first 20 warm up
            query = parse_qs(urlsplit(path).query)
            params = SearchParams(
                q=query.get("q", [""])[0],
                technology=tuple(query.get("technology", [])),
                kind=tuple(query.get("kind", [])),
                region=tuple(query.get("region", [])),
                sort=query.get("sort", [""])[0],
                page=int(query.get("page", ["1"])[0]),
            )
            started = time.perf_counter()
            with database.session() as session:
                run_search(
                    session=session,
                    audience=ANONYMOUS,
                    index=index,
                    params=params,
                    language=query["lang"][0],
                    snapshots=snapshots,
                )
            times.append((time.perf_counter() - started) * 1000)
    finally:
        database.dispose()
    return times[20:], index.name


# ------------------------------------------------------------------------- the HTTP stack
def run_wrk_over(
    url: str, paths: list[str], workdir: Path, *, seconds: float, connections: int
) -> WrkResult:
    """Run wrk (bench/portal.lua) against ``url`` rotating over ``paths``."""
    paths_file = workdir / f"paths-{uuid.uuid4().hex[:8]}.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    return run_wrk(
        LUA_SCRIPT,
        url,
        seconds=seconds,
        connections=connections,
        threads=2,
        env={"BENCH_PATHS_FILE": str(paths_file)},
    )


class Platform(NginxPlatform):
    """The portal and the hello-world app behind one nginx gateway."""

    def __init__(self, workdir: Path, database_url: str, redis_url: str) -> None:
        super().__init__(workdir, ("gateway", "hello_gateway", "portal", "assessment"))
        self.gateway = f"http://127.0.0.1:{self.ports['gateway']}"
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(workdir),
            "REDIS_URL": redis_url,
            "PORTAL_DATABASE_URL": database_url,
            "AUTH_ISSUER": self.gateway,
            "AUTH_JWKS_URL": f"http://127.0.0.1:{self.ports['portal']}/.well-known/jwks.json",
            "LOG_LEVEL": "WARNING",
        }

    def init_db(self) -> None:
        """Create the portal's tables, search index and vocabularies."""
        self.processes.run(
            "init-db", ["flask", "--app", "portal", "init-db"], self.env, timeout_s=300
        )

    def start(self) -> None:
        """Start hello world and two identical gateways: one before it, one before the portal."""
        self.processes.start(
            "hello-web", self.web_argv("assessment", "hello:create_app()"), self.env
        )
        self.hello_gateway = self._start_gateway(
            "hello-gateway", self.ports["hello_gateway"], "assessment"
        )
        self._start_gateway("gateway", self.ports["gateway"], "portal")

    def _start_gateway(self, name: str, port: int, upstream: str) -> str:
        """Start an nginx from the gateway template whose routes all go to ``upstream``."""
        target = f"127.0.0.1:{self.ports[upstream]}"
        variables = {
            "PORTAL_UPSTREAM": target,
            "ASSESSMENT_UPSTREAM": target,
            "REPORTS_UPSTREAM": target,
        }
        return self.start_nginx(name, port, variables, self.env)

    def start_portal(self, cache_ttl_s: int) -> None:
        """(Re)start the portal's gunicorn with the cache on or off."""
        self.processes.stop("portal-web")
        env = {**self.env, "PORTAL_CACHE_TTL_S": str(cache_ttl_s)}
        self.processes.start("portal-web", self.web_argv("portal"), env)
        self.wait_for([f"{self.gateway}/api/v1/portal/readyz", f"{self.hello_gateway}/hello"])


def _run(
    platform: Platform, url: str, paths: list[str], args: argparse.Namespace, connections: int
) -> WrkResult:
    """Warm up, then measure one wrk run."""
    workdir = platform.workdir
    run_wrk_over(url, paths, workdir, seconds=args.warmup, connections=connections)
    result = run_wrk_over(url, paths, workdir, seconds=args.duration, connections=connections)
    platform.processes.check_alive()
    return result


def _alternating(
    platform: Platform, args: argparse.Namespace, runs: dict[str, tuple[str, list[str], int]]
) -> dict[str, WrkResult]:
    """Measure each target once per round, in turn (so a busy moment of the machine hits all of
    them alike); return each target's median round by rate."""
    found: dict[str, list[WrkResult]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, (url, paths, connections) in runs.items():
            found[name].append(_run(platform, url, paths, args, connections))
    return {name: sorted(r, key=lambda x: x.rate)[len(r) // 2] for name, r in found.items()}


def bench_database_kind(kind: str, args: argparse.Namespace, redis_url: str) -> list[Line]:
    """Load, serve and measure one database; print its sections; return its lines."""
    rng = random.Random(7)
    paths = search_paths(rng, args.queries)
    with tempfile.TemporaryDirectory(prefix="sc-portal-bench-") as tmp:
        workdir = Path(tmp)
        with fresh_database(
            None if kind == "sqlite" else args.postgres_url,
            workdir / "portal.db",
            f"sc_portal_bench_{os.getpid()}",
        ) as database_url:
            platform = Platform(workdir, database_url, redis_url)
            try:
                platform.init_db()
                load_s = bulk_load(database_url, args.items)
                times, engine = bench_in_process(database_url, paths)
                platform.start()
                platform.start_portal(cache_ttl_s=0)
                gw, hello = platform.gateway, platform.hello_gateway
                item_paths = [f"{ITEMS}/item-{n}?lang=fr" for n in range(0, 400, 8)]
                item_paths = [p for p in item_paths if _public(platform, p)][:30]
                cold = _alternating(
                    platform,
                    args,
                    {
                        "hello": (hello, ["/hello"], 2),
                        "search": (gw, paths, 2),
                        "search_load": (gw, paths, args.connections),
                        "item": (gw, item_paths, args.connections),
                    },
                )
                platform.start_portal(cache_ttl_s=600)
                for path in item_paths + paths:  # fill the cache: popular pages are cached
                    platform.stack.http_status(f"{gw}{path}")
                warm = _alternating(
                    platform,
                    args,
                    {
                        "hello": (hello, ["/hello"], args.connections),
                        "item": (gw, item_paths, args.connections),
                        "search": (gw, paths, args.connections),
                    },
                )
            finally:
                platform.processes.stop()
    return report(kind, engine, args, load_s, times, cold, warm)


def _public(platform: Platform, path: str) -> bool:
    return bool(platform.stack.http_status(f"{platform.gateway}{path}") == 200)


def report(
    kind: str,
    engine: str,
    args: argparse.Namespace,
    load_s: float,
    times: list[float],
    cold: dict[str, WrkResult],
    warm: dict[str, WrkResult],
) -> list[Line]:
    """Print one database's figures; return them."""
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[18]  # exclusive method, unlike harness.p95
    search, hello2 = cold["search"], cold["hello"]
    hello16 = warm["hello"]
    ratio = warm["item"].rate / hello16.rate
    errors = sum(r.errors for r in (*cold.values(), *warm.values()))
    hello_text = f"hello world {hello16.rate:,.0f} /s"

    def share(result: WrkResult) -> str:
        return f"{hello_text} ({result.rate / hello16.rate:.0%})"

    lines = [
        Line("bulk load", f"{args.items:,} items in {load_s:.1f} s", "EN+FR, labels, search rows"),
        Line(
            "search in process (run_search)",
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
            f"{len(times)} queries, {engine}",
        ),
        Line(
            "search via gateway, 2 conns",
            search.latency(),
            f"hello world {hello2.latency()}",
            f"p95 < {SEARCH_P95_TARGET_MS:.0f} ms",
            search.p95_us / 1000 < SEARCH_P95_TARGET_MS,
        ),
        Line(
            f"search via gateway, {args.connections} conns",
            f"{cold['search_load'].rate:,.0f} /s",
            share(cold["search_load"]),
        ),
        Line("item page, cache off", f"{cold['item'].rate:,.0f} /s", share(cold["item"])),
        Line(
            "item page, cached",
            f"{warm['item'].rate:,.0f} /s",
            share(warm["item"]),
            f">= {CACHED_RATIO_TARGET:.0%} of hello",
            ratio >= CACHED_RATIO_TARGET,
        ),
        Line("search pages, cached", f"{warm['search'].rate:,.0f} /s", share(warm["search"])),
        Line("failed requests", f"{errors}", "all runs", "none", errors == 0),
    ]
    print_section(
        f"{kind}: {args.items:,} items; nginx + gunicorn --workers {web_workers('portal')}; "
        f"wrk {args.duration:.0f} s "
        f"after {args.warmup:.0f} s warm-up; median of {args.rounds} alternating rounds; "
        f"{load_average()}",
        lines,
        COLUMNS,
    )
    return lines


# ------------------------------------------------------------------------------- entry point
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql", help="which, comma-separated")
    parser.add_argument("--items", type=int, default=10_000, help="synthetic items to load")
    parser.add_argument("--queries", type=int, default=1000, help="search requests to rotate")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per run")
    parser.add_argument("--connections", type=int, default=16, help="connections under load")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    add_database_kind_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return 0 when every target is met."""
    return bench_each_database_kind(parse_args(argv), bench_database_kind)


if __name__ == "__main__":
    sys.exit(main())
