"""Texts of the catalogue's pages a template shows by a value (a facet, a sort, a field, a step
of the workflow): the English texts, marked for the portal's gettext catalog and translated at use
(``gettext(label_of.facet[facet])``). The pages' other texts are written in their templates."""

from __future__ import annotations

from types import MappingProxyType

from shared.translations import N_

# value -> a facet or scheme of the catalogue (filters, classification)
FACETS: dict[str, str] = {
    "kind": N_("Kind"),
    "technology": N_("Technology"),
    "domain": N_("Customs domain"),
    "topic": N_("Topic"),
    "region": N_("Region"),
    "language": N_("Language"),
    "status": N_("Status"),
}


# value -> an order of the results
SORTS: dict[str, str] = {
    "relevance": N_("Relevance"),
    "newest": N_("Newest first"),
    "title": N_("Title"),
    "event_date": N_("Event date"),
}


# value -> a section of a case study
SECTIONS: dict[str, str] = {
    "problem": N_("The problem"),
    "technology": N_("The technology"),
    "results": N_("Results"),
    "lessons": N_("Lessons learned"),
}


# value -> a field of the editor's and the proposal's forms
FIELDS: dict[str, str] = {
    "kind": N_("Kind"),
    "subtype": N_("Subtype"),
    "none": N_("(none)"),
    "visibility": N_("Visibility"),
    "featured": N_("Feature on the home page"),
    "region": N_("Region"),
    "slug": N_("Address (slug)"),
    "administration": N_("Administration the case is about"),
    "launch_url": N_("Address of the tool"),
    "event_start": N_("Event start"),
    "event_end": N_("Event end"),
    "title": N_("Title"),
    "summary": N_("Summary"),
    "body": N_("Body (Markdown)"),
    "links": N_("Links: one per line, as “label | address”"),
    "problem": N_("The problem"),
    "technology": N_("The technology"),
    "results": N_("Results"),
    "lessons": N_("Lessons learned"),
}


# value -> a step of the editorial workflow, as a button
ACTIONS: dict[str, str] = {
    "submit": N_("Send for review"),
    "publish": N_("Publish"),
    "archive": N_("Archive"),
    "reopen": N_("Back to draft"),
}


# value -> what a step of the workflow did, once done
DONE: dict[str, str] = {
    "submit": N_("Sent for review."),
    "publish": N_("Published."),
    "archive": N_("Archived."),
    "reopen": N_("Back to draft."),
}


# value -> an entry of an item's history
HISTORY: dict[str, str] = {
    "created": N_("created"),
    "proposed": N_("proposed by a member"),
    "updated": N_("changed"),
    "submitted": N_("sent for review"),
    "published": N_("published"),
    "archived": N_("archived"),
    "reopened": N_("back to draft"),
    "resubmitted": N_("new version sent by the member"),
}

# What the templates read: ``label_of.facet``, ``label_of.sort``...
LABEL_OF = MappingProxyType(
    {
        "facet": FACETS,
        "sort": SORTS,
        "section": SECTIONS,
        "field": FIELDS,
        "action": ACTIONS,
        "done": DONE,
        "history": HISTORY,
    }
)
