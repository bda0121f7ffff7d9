"""Managed vocabularies of the catalogue: kinds and subtypes (fixed), and the term schemes
editors extend (technology, domain, topic, region), seeded with labels in English and French.

Topic terms are the tags the readiness framework's recommendations carry, so a report can match
portal resources by tag.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.catalogue import state
from portal.models import VocabularyTerm
from shared.auth import Principal
from shared.errors import ApiError
from shared.i18n import COMPLETE
from shared.translations import N_, language_name, texts_for

Labels = dict[str, str]

DOMAIN = "portal"

# The fixed vocabularies: code -> its label, the English text, translated by the portal's catalog
# at use (``label``); the schemes below are terms in the database, labelled by the editors.
KINDS: dict[str, str] = {
    "resource": N_("Resource"),
    "case_study": N_("Case study"),
    "tool": N_("Tool"),
    "news": N_("News"),
    "event": N_("Event"),
}

SUBTYPES: dict[str, dict[str, str]] = {
    "resource": {
        "guide": N_("Guide"),
        "publication": N_("Publication"),
        "training": N_("Training material"),
        "report": N_("Report"),
        "standard": N_("Standard"),
        "video": N_("Video"),
    },
    "tool": {
        "self_assessment": N_("Self-assessment"),
        "software": N_("Software"),
        "dataset": N_("Dataset"),
        "template": N_("Template"),
    },
    "event": {
        "conference": N_("Conference"),
        "workshop": N_("Workshop"),
        "webinar": N_("Webinar"),
        "training": N_("Training course"),
    },
    "case_study": {},
    "news": {},
}

VISIBILITIES: dict[str, str] = {
    "public": N_("Public"),
    "members": N_("Members only"),
}

STATUSES: dict[str, str] = {
    "draft": N_("Draft"),
    "in_review": N_("In review"),
    "published": N_("Published"),
    "archived": N_("Archived"),
}

# The languages an item is written in (content); their names are Babel's, in the reader's language.
LANGUAGES = ("en", "fr")

SCHEMES = ("technology", "domain", "topic", "region")

SEED: dict[str, dict[str, tuple[str, str]]] = {
    "technology": {
        "ai": ("Artificial intelligence", "Intelligence artificielle"),
        "machine-learning": ("Machine learning", "Apprentissage automatique"),
        "big-data": ("Big data", "Mégadonnées"),
        "analytics": ("Data analytics", "Analyse de données"),
        "biometrics": ("Biometrics", "Biométrie"),
        "blockchain": ("Blockchain", "Chaîne de blocs"),
        "cloud-computing": ("Cloud computing", "Informatique en nuage"),
        "geospatial": ("Geospatial technology", "Technologies géospatiales"),
        "internet-of-things": ("Internet of things", "Internet des objets"),
        "virtual-reality": ("Virtual reality", "Réalité virtuelle"),
        "robots-and-drones": ("Robots and drones", "Robots et drones"),
    },
    "domain": {
        "risk-management": ("Risk management", "Gestion des risques"),
        "revenue": ("Revenue collection", "Recouvrement des recettes"),
        "trade-facilitation": ("Trade facilitation", "Facilitation des échanges"),
        "border-enforcement": ("Border enforcement", "Contrôle aux frontières"),
        "post-clearance-audit": ("Post-clearance audit", "Contrôle a posteriori"),
        "classification": ("Tariff classification", "Classement tarifaire"),
        "valuation": ("Customs valuation", "Valeur en douane"),
        "origin": ("Rules of origin", "Règles d'origine"),
        "transit": ("Transit", "Transit"),
        "passenger-control": ("Passenger control", "Contrôle des voyageurs"),
        "cargo-inspection": ("Cargo inspection", "Inspection des marchandises"),
        "anti-smuggling": ("Fight against smuggling", "Lutte contre la contrebande"),
        "capacity-building": ("Capacity building", "Renforcement des capacités"),
        "data-governance": ("Data governance", "Gouvernance des données"),
        "integrity": ("Integrity", "Intégrité"),
    },
    "topic": {
        "ai": ("Artificial intelligence", "Intelligence artificielle"),
        "machine-learning": ("Machine learning", "Apprentissage automatique"),
        "big-data": ("Big data", "Mégadonnées"),
        "analytics": ("Data analytics", "Analyse de données"),
        "data-governance": ("Data governance", "Gouvernance des données"),
        "data-quality": ("Data quality", "Qualité des données"),
        "data-sharing": ("Data sharing", "Partage de données"),
        "cloud-computing": ("Cloud computing", "Informatique en nuage"),
        "blockchain": ("Blockchain", "Chaîne de blocs"),
        "cybersecurity": ("Cybersecurity", "Cybersécurité"),
        "mlops": ("MLOps", "MLOps"),
        "infrastructure": ("IT infrastructure", "Infrastructure informatique"),
        "connectivity": ("Connectivity", "Connectivité"),
        "risk-management": ("Risk management", "Gestion des risques"),
        "revenue": ("Revenue collection", "Recouvrement des recettes"),
        "trade-facilitation": ("Trade facilitation", "Facilitation des échanges"),
        "border-enforcement": ("Border enforcement", "Contrôle aux frontières"),
        "post-clearance-audit": ("Post-clearance audit", "Contrôle a posteriori"),
        "classification": ("Tariff classification", "Classement tarifaire"),
        "valuation": ("Customs valuation", "Valeur en douane"),
        "strategy": ("Strategy", "Stratégie"),
        "governance": ("Governance", "Gouvernance"),
        "procurement": ("Procurement", "Achats publics"),
        "ethics": ("Ethics", "Éthique"),
        "legal": ("Legal framework", "Cadre juridique"),
        "data-protection": ("Data protection", "Protection des données"),
        "training": ("Training and skills", "Formation et compétences"),
        "change-management": ("Change management", "Conduite du changement"),
        "partnerships": ("Partnerships", "Partenariats"),
        "integrity": ("Integrity", "Intégrité"),
    },
    "region": {
        "global": ("Global", "Monde"),
        "africa": ("Africa", "Afrique"),
        "west-africa": ("West Africa", "Afrique de l'Ouest"),
        "central-africa": ("Central Africa", "Afrique centrale"),
        "east-africa": ("East Africa", "Afrique de l'Est"),
        "southern-africa": ("Southern Africa", "Afrique australe"),
        "north-africa": ("North Africa", "Afrique du Nord"),
        "europe": ("Europe", "Europe"),
        "americas": ("Americas", "Amériques"),
        "asia-pacific": ("Asia-Pacific", "Asie-Pacifique"),
        "middle-east": ("Middle East", "Moyen-Orient"),
    },
}

CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def label(message: str, language: str) -> str:
    """Return the label of a fixed vocabulary (its English text) in ``language``."""
    return texts_for(language, DOMAIN).gettext(message)


def language_label(code: str, language: str) -> str:
    """Return the name of the content language ``code`` as a label in ``language`` (Anglais)."""
    name = language_name(code, language)
    return name[:1].upper() + name[1:]


def fixed_label(facet: str, value: str, language: str) -> str | None:
    """Return the label of ``value`` in the fixed vocabulary ``facet`` (None if not one)."""
    if facet == "language":
        return language_label(value, language) if value in LANGUAGES else None
    fixed = {"kind": KINDS, "visibility": VISIBILITIES, "status": STATUSES}.get(facet, {})
    return label(fixed[value], language) if value in fixed else None


def seed(session: Session) -> int:
    """Add the seeded terms that are missing (idempotent); return how many were added."""
    existing = {
        (scheme, code)
        for scheme, code in session.execute(select(VocabularyTerm.scheme, VocabularyTerm.code))
    }
    added = 0
    for scheme, terms in SEED.items():
        for code, (label_en, label_fr) in terms.items():
            if (scheme, code) not in existing:
                session.add(
                    VocabularyTerm(scheme=scheme, code=code, label_en=label_en, label_fr=label_fr)
                )
                added += 1
    return added


def labels_by_scheme(session: Session) -> dict[str, dict[str, Labels]]:
    """Return every term's labels: scheme -> code -> {en, fr}."""
    found: dict[str, dict[str, Labels]] = {scheme: {} for scheme in SCHEMES}
    for term in session.scalars(select(VocabularyTerm).order_by(VocabularyTerm.code)):
        found.setdefault(term.scheme, {})[term.code] = term.labels
    return found


def unknown_codes(session: Session, scheme: str, codes: list[str]) -> list[str]:
    """Return the codes of ``codes`` that are not terms of ``scheme``."""
    if not codes:
        return []
    known = set(
        session.scalars(
            select(VocabularyTerm.code).where(
                VocabularyTerm.scheme == scheme, VocabularyTerm.code.in_(set(codes))
            )
        )
    )
    return sorted(set(codes) - known)


def list_vocabularies(*, session: Session, language: str) -> dict[str, list[dict[str, object]]]:
    """Return every vocabulary (kinds, subtypes, schemes) with labels, for forms and filters."""
    terms = labels_by_scheme(session)

    def entries(mapping: dict[str, Labels]) -> list[dict[str, object]]:
        return [
            {"code": code, "label": labels.get(language) or labels["en"], "labels": labels}
            for code, labels in mapping.items()
        ]

    def translated(mapping: dict[str, str]) -> list[dict[str, object]]:
        # "labels" holds the languages every text has (as a term's), "label" the reader's.
        return [
            {
                "code": code,
                "label": label(message, language),
                "labels": {lang: label(message, lang) for lang in COMPLETE},
            }
            for code, message in mapping.items()
        ]

    result: dict[str, list[dict[str, object]]] = {
        "kind": translated(KINDS),
        "visibility": translated(VISIBILITIES),
        "status": translated(STATUSES),
        "language": [
            {
                "code": code,
                "label": language_label(code, language),
                "labels": {lang: language_label(code, lang) for lang in COMPLETE},
            }
            for code in LANGUAGES
        ],
    }
    for kind, subtypes in SUBTYPES.items():
        result[f"subtype.{kind}"] = translated(subtypes)
    for scheme in SCHEMES:
        result[scheme] = entries(terms.get(scheme, {}))
    return result


def add_term(
    *, session: Session, principal: Principal, scheme: str, code: str, labels: Labels
) -> VocabularyTerm:
    """Add a term to an editable vocabulary (editors); 409 when the code exists."""
    if scheme not in SCHEMES:
        raise ApiError(404, "not_found")
    if not CODE_PATTERN.match(code):
        raise ApiError(422, "validation_failed", errors={"code": ["lowercase words joined by -"]})
    with session.begin():
        if session.get(VocabularyTerm, (scheme, code)) is not None:
            raise ApiError(409, "term_exists")
        term = VocabularyTerm(
            scheme=scheme,
            code=code,
            label_en=labels["en"].strip(),
            label_fr=labels["fr"].strip(),
            created_by=principal.subject,
        )
        session.add(term)
        state.bump(session)  # processes reload the labels they keep
    return term
