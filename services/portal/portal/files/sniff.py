"""What an uploaded file is, from its content (never its name), and whether it is allowed.

Allowed: PDF, PNG, JPEG, GIF, WebP, Word/Excel/PowerPoint (OOXML, macros refused), plain text
and CSV. Anything else is refused, and so is text that is markup or script (HTML, SVG, XML,
JavaScript) whatever it is named: such a file could run in a browser that renders it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO

HEAD = 8192
MAX_CONTENT_TYPES = 1024 * 1024
_OOXML = "application/vnd.openxmlformats-officedocument."


class UnsupportedType(Exception):
    """The content is not one of the allowed types (the reason says what was found)."""


@dataclass(frozen=True)
class Detected:
    """The media type found, the extension it goes by, and whether it may be shown inline."""

    media_type: str
    extension: str

    @property
    def inline(self) -> bool:
        """Return whether browsers may show it in the page (plain raster images only)."""
        return self.media_type in IMAGES


IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# main part of the package -> (its content type, media type, extension)
OFFICE = {
    "/word/document.xml": (
        _OOXML + "wordprocessingml.document.main+xml",
        _OOXML + "wordprocessingml.document",
        "docx",
    ),
    "/xl/workbook.xml": (
        _OOXML + "spreadsheetml.sheet.main+xml",
        _OOXML + "spreadsheetml.sheet",
        "xlsx",
    ),
    "/ppt/presentation.xml": (
        _OOXML + "presentationml.presentation.main+xml",
        _OOXML + "presentationml.presentation",
        "pptx",
    ),
}
ALLOWED = frozenset(
    {"application/pdf", *IMAGES, *(office[1] for office in OFFICE.values()), "text/plain"}
    | {"text/csv"}
)
_MAGIC = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)
_OVERRIDE = re.compile(r"<Override\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'(PartName|ContentType)\s*=\s*"([^"]*)"', re.IGNORECASE)
# What makes text active in a browser, whatever the name says.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|\?xml)"
    rb"|javascript:|<[a-z][a-z0-9]*(?:\s[^>]*)?>",
    re.IGNORECASE,
)
_BOMS = (b"\xef\xbb\xbf",)


def detect(stream: IO[bytes], name: str = "") -> Detected:
    """Return the type of the (seekable) ``stream``'s content, or raise UnsupportedType.

    ``name`` only tells CSV from plain text once the content is known to be text.
    """
    stream.seek(0)
    head = stream.read(HEAD)
    stream.seek(0)
    if not head:
        raise UnsupportedType("the file is empty")
    for magic, media_type, extension in _MAGIC:
        if head.startswith(magic):
            return Detected(media_type, extension)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detected("image/webp", "webp")
    if head.startswith(b"PK\x03\x04"):
        return _office(stream)
    return _text(head, name)


def _office(stream: IO[bytes]) -> Detected:
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES:
                raise UnsupportedType("a zip archive with an oversized [Content_Types].xml")
            types = package.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError):
        raise UnsupportedType("a zip archive that is not an Office document") from None
    finally:
        stream.seek(0)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UnsupportedType("an Office document with macros")
    overrides = {}
    for element in _OVERRIDE.findall(types):
        attributes = {k.lower(): v for k, v in _ATTRIBUTE.findall(element)}
        overrides[attributes.get("partname", "")] = attributes.get("contenttype", "")
    for part, (content_type, media_type, extension) in OFFICE.items():
        if overrides.get(part) == content_type and part.lstrip("/") in names:
            return Detected(media_type, extension)
    raise UnsupportedType("a zip archive that is not a Word, Excel or PowerPoint document")


def _text(head: bytes, name: str) -> Detected:
    body = head
    for bom in _BOMS:
        body = body.removeprefix(bom)
    if b"\x00" in body:
        raise UnsupportedType("binary content of an unknown type")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sniffed window may cut a character in two: only its last bytes may fail.
        if error.start < len(body) - 3 or len(head) < HEAD:
            raise UnsupportedType("text that is not UTF-8") from None
    if _MARKUP.search(body):
        raise UnsupportedType("markup or script (HTML, SVG, XML, JavaScript)")
    if name.lower().endswith(".csv"):
        return Detected("text/csv", "csv")
    return Detected("text/plain", "txt")
