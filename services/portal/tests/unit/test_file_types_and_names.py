"""What an uploaded file is (by its content, never its name) and the names it is sent back as."""

import io
import zipfile

import pytest

from portal.files.names import content_disposition, sanitize
from portal.files.sniff import OFFICE, UnsupportedType, detect

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
MACRO_WORD = "application/vnd.ms-word.document.macroEnabled.main+xml"


def office(main_part: str, content_type: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    """Return a minimal OOXML package whose main part is ``main_part``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="{main_part}" ContentType="{content_type}"/></Types>',
        )
        package.writestr(main_part.lstrip("/"), "<root/>")
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def kind(data: bytes, name: str = "upload") -> tuple[str, str]:
    found = detect(io.BytesIO(data), name)
    return found.media_type, found.extension


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ("application/pdf", "pdf")),
        (PNG, ("image/png", "png")),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", ("image/jpeg", "jpg")),
        (b"GIF89a\x01\x00\x01\x00", ("image/gif", "gif")),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", ("image/webp", "webp")),
        ("Notes de réunion\nligne 2\n".encode(), ("text/plain", "txt")),
    ],
)
def test_the_type_comes_from_the_magic_bytes(data, expected):
    assert kind(data, "named-as-anything.exe") == expected


@pytest.mark.parametrize("part", sorted(OFFICE))
def test_office_documents_are_told_apart_by_their_declared_main_part(part):
    content_type, media_type, extension = OFFICE[part]
    assert kind(office(part, content_type), "slides.zip") == (media_type, extension)


def test_a_real_spreadsheet_is_recognised():
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Pays"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert kind(buffer.getvalue())[1] == "xlsx"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (office("/word/document.xml", MACRO_WORD), "not a Word, Excel"),
        (
            office(
                "/word/document.xml",
                OFFICE["/word/document.xml"][0],
                extra={"word/vbaProject.bin": b"macro"},
            ),
            "macros",
        ),
        (office("/word/other.xml", OFFICE["/word/document.xml"][0]), "not a Word, Excel"),
        (b"PK\x03\x04 not really a zip", "not an Office document"),
    ],
)
def test_other_zip_archives_and_macro_documents_are_refused(data, reason):
    with pytest.raises(UnsupportedType, match=reason):
        detect(io.BytesIO(data), "report.docx")


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body>hi</body></html>",
        b"  \n<html><script>alert(1)</script>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
        b'<svg onload="alert(1)"/>',
        b"\xef\xbb\xbf<script>alert(document.cookie)</script>",
        b'Just text then <img src=x onerror="alert(1)">',
        b"<a href='javascript:alert(1)'>click</a>",
    ],
)
def test_markup_or_script_named_pdf_is_refused(data):
    with pytest.raises(UnsupportedType, match="markup or script"):
        detect(io.BytesIO(data), "case-study.pdf")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 20, "binary"),
        ("Ã©té".encode("latin-1") + b"\xff\xfe", "not UTF-8"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "binary"),
    ],
)
def test_unknown_binary_and_non_utf8_text_are_refused(data, reason):
    with pytest.raises(UnsupportedType, match=reason):
        detect(io.BytesIO(data), "file.txt")


def test_text_is_csv_only_when_named_so_and_detection_leaves_the_stream_at_its_start():
    stream = io.BytesIO(b"country;score\nSN;3\n")
    assert detect(stream, "scores.CSV").media_type == "text/csv"
    assert stream.tell() == 0
    assert kind(b"country;score\n", "scores.txt") == ("text/plain", "txt")


def test_only_plain_images_may_be_shown_inline():
    assert detect(io.BytesIO(PNG)).inline
    assert not detect(io.BytesIO(b"%PDF-1.4")).inline
    assert not detect(io.BytesIO(b"plain")).inline


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd", None, "passwd"),
        ("C:\\Users\\me\\Étude de cas.pdf", "pdf", "Étude de cas.pdf"),
        ("report.html", "pdf", "report.pdf"),
        ("no extension", "docx", "no extension.docx"),
        ("bad\x00na\x1bme\u202e.pdf", "pdf", "badname.pdf"),
        ('a<b>c:"d"|e?*.txt', "txt", "a_b_c__d__e__.txt"),
        ("   ...", "pdf", "file.pdf"),
        ("", None, "file"),
        ("Douane  sénégalaise\t2026.xlsx", "xlsx", "Douane sénégalaise 2026.xlsx"),
    ],
)
def test_file_names_lose_folders_and_control_characters_but_keep_accents(name, extension, expected):
    assert sanitize(name, extension=extension) == expected


def test_a_long_name_is_cut_but_keeps_its_extension():
    cut = sanitize("é" * 500 + ".pdf", extension="pdf")
    assert len(cut) == 120 and cut.endswith("é.pdf")


def test_the_download_header_carries_an_ascii_name_and_the_exact_utf8_one():
    header = content_disposition("Étude de cas 100%.pdf")
    assert header == (
        'attachment; filename="Etude de cas 100_.pdf"; '
        "filename*=UTF-8''%C3%89tude%20de%20cas%20100%25.pdf"
    )
    assert content_disposition("photo.png", inline=True).startswith("inline; ")
