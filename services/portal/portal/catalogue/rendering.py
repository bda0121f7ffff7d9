"""Markdown to safe HTML: rendered with markdown-it-py, then sanitized with nh3 (an allow-list).

Raw HTML in the Markdown is allowed through the renderer on purpose and then cleaned, so a body
may hold a table or a <kbd> while scripts, event handler attributes, styles and links with
``javascript:`` (or any scheme but http, https and mailto) never reach a page.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "abbr": {"title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def sanitize(html: str) -> str:
    """Return ``html`` reduced to the allowed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


@lru_cache(maxsize=2048)
def to_html(markdown: str) -> str:
    """Return the sanitized HTML of a Markdown text (empty for an empty text)."""
    if not markdown.strip():
        return ""
    return sanitize(_parser().render(markdown)).strip()
