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

Labels = dict[str, str]

KINDS: dict[str, Labels] = {
    "resource": {"en": "Resource", "fr": "Ressource"},
    "case_study": {"en": "Case study", "fr": "Étude de cas"},
    "tool": {"en": "Tool", "fr": "Outil"},
    "news": {"en": "News", "fr": "Actualité"},
    "event": {"en": "Event", "fr": "Événement"},
}

SUBTYPES: dict[str, dict[str, Labels]] = {
    "resource": {
        "guide": {"en": "Guide", "fr": "Guide"},
        "publication": {"en": "Publication", "fr": "Publication"},
        "training": {"en": "Training material", "fr": "Support de formation"},
        "report": {"en": "Report", "fr": "Rapport"},
        "standard": {"en": "Standard", "fr": "Norme"},
        "video": {"en": "Video", "fr": "Vidéo"},
    },
    "tool": {
        "self_assessment": {"en": "Self-assessment", "fr": "Auto-évaluation"},
        "software": {"en": "Software", "fr": "Logiciel"},
        "dataset": {"en": "Dataset", "fr": "Jeu de données"},
        "template": {"en": "Template", "fr": "Modèle"},
    },
    "event": {
        "conference": {"en": "Conference", "fr": "Conférence"},
        "workshop": {"en": "Workshop", "fr": "Atelier"},
        "webinar": {"en": "Webinar", "fr": "Webinaire"},
        "training": {"en": "Training course", "fr": "Formation"},
    },
    "case_study": {},
    "news": {},
}

VISIBILITIES: dict[str, Labels] = {
    "public": {"en": "Public", "fr": "Public"},
    "members": {"en": "Members only", "fr": "Réservé aux membres"},
}

STATUSES: dict[str, Labels] = {
    "draft": {"en": "Draft", "fr": "Brouillon"},
    "in_review": {"en": "In review", "fr": "En relecture"},
    "published": {"en": "Published", "fr": "Publié"},
    "archived": {"en": "Archived", "fr": "Archivé"},
}

LANGUAGES: dict[str, Labels] = {
    "en": {"en": "English", "fr": "Anglais"},
    "fr": {"en": "French", "fr": "Français"},
}

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

    result: dict[str, list[dict[str, object]]] = {
        "kind": entries(KINDS),
        "visibility": entries(VISIBILITIES),
        "status": entries(STATUSES),
        "language": entries(LANGUAGES),
    }
    for kind, subtypes in SUBTYPES.items():
        result[f"subtype.{kind}"] = entries(subtypes)
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
