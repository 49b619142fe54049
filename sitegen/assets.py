"""What a content folder may publish besides its pages: pictures and PDFs, checked by their content.

A file is published only when its type is one of these and it begins as its format's
specification says its files begin, so a ".png" that is really a web page is refused; an SVG is
published as svg.py cleans it. Any other file (.html, .js, .css, .xml, a program...) could run on
the site's origin or is of no use to patients, and is an error.
"""

from __future__ import annotations

import posixpath
import re

from .diagnostics import ContentError, ContentErrors, Diagnostic, Report, did_you_mean
from .model import Asset
from .sources import DATA_FILES, SourceFile, read_bytes
from .svg import clean_svg

# Each type a content folder may hold: what it is called, and how its files begin (None: svg.py reads it).
TYPES = {
    ".png": ("a PNG picture", rb"\x89PNG\r\n\x1a\n"),
    ".jpg": ("a JPEG picture", rb"\xff\xd8\xff"),
    ".jpeg": ("a JPEG picture", rb"\xff\xd8\xff"),
    ".gif": ("a GIF picture", rb"GIF8[79]a"),
    ".webp": ("a WebP picture", rb"RIFF.{4}WEBP"),
    ".avif": ("an AVIF picture", rb".{4}ftypavi[fs]"),
    ".svg": ("an SVG drawing", None),
    ".pdf": ("a PDF document", rb"%PDF-"),
}
SIGNATURES = {suffix: re.compile(rb"\A" + start, re.S) for suffix, (_, start) in TYPES.items() if start}
# How a complete file of each type ends (within its last bytes: some programs add a little after):
# a file cut short by a failed copy or download shows as a broken picture on the page.
ENDINGS = {
    ".png": lambda data: b"IEND\xaeB`\x82" in data[-4096:],
    ".jpg": lambda data: b"\xff\xd9" in data[-4096:],
    ".jpeg": lambda data: b"\xff\xd9" in data[-4096:],
    ".gif": lambda data: data.rstrip(b"\0").endswith(b";"),
    ".webp": lambda data: int.from_bytes(data[4:8], "little") + 8 <= len(data),
    ".pdf": lambda data: b"%%EOF" in data[-4096:],
}
# A picture heavier than this makes its page slow to open on a cheap phone's slow connection (the
# pages themselves weigh tens of KB), and every handout that prints it as heavy.
HEAVY_PICTURE_BYTES = 300_000
ALLOWED = ("Pages are .md files; pictures may be .png, .jpg, .jpeg, .gif, .webp, .avif or .svg, "
           "and documents .pdf. Remove the file or keep it outside the content folder.")


def load_assets(sources: list[SourceFile], report: Report) -> list[Asset]:
    """Return the files to publish as they are to be published, reporting the ones refused."""
    assets = []
    for source in sources:
        try:
            assets.append(Asset(source, checked(source)))
            _warn_if_heavy(assets[-1], report)
        except ContentError as exc:
            report.add(exc.diagnostic)
        except ContentErrors as exc:
            report.extend(exc.problems)
    return assets


def _warn_if_heavy(asset: Asset, report: Report) -> None:
    size = len(asset.data)
    if size > HEAVY_PICTURE_BYTES and not asset.source.rel.endswith((".pdf", ".svg")):
        report.warning(asset.source.shown, None, "picture.heavy",
                       f"this picture is {size / 1_000_000:.1f} MB: its page will be slow to open on a phone, "
                       f"and its handouts as big", "Save it smaller: about 1,200 pixels wide, as a JPEG at quality 80, "
                       f"is usually under {HEAVY_PICTURE_BYTES // 1000} KB and looks the same on a screen.")


def checked(source: SourceFile) -> bytes:
    """Return the bytes to publish for one file (an SVG cleaned), or raise ContentError."""
    name = posixpath.basename(source.rel)
    suffix = posixpath.splitext(name)[1]
    if suffix not in TYPES:
        what = f'files of the type "{suffix}"' if suffix else "a file without a type (like .png)"
        raise ContentError(Diagnostic(source.shown, None, "asset.type", f"{what} cannot be published", _hint(name, suffix, source.lang)))
    data = read_bytes(source.path)
    if suffix == ".svg":
        return clean_svg(data, source.shown)
    if not SIGNATURES[suffix].match(data):
        what = TYPES[suffix][0]
        raise ContentError(Diagnostic(source.shown, None, "asset.content", f"the file is named {suffix} but it is not {what}",
                                      f"Save it again as {what} from the program that made it, or give it the extension of its real type."))
    if suffix in ENDINGS and not ENDINGS[suffix](data):
        raise ContentError(Diagnostic(source.shown, None, "asset.truncated", f"the file is cut short: it is not a whole "
                                      f"{TYPES[suffix][0].split(' ', 1)[1]}",
                                      "It was probably not copied or downloaded completely: copy or save it again."))
    return data


def _hint(name: str, suffix: str, lang: str) -> str:
    if suffix.lower() in TYPES:
        return f'Rename it to "{name[: -len(suffix)]}{suffix.lower()}": the type is written in small letters.'
    if suffix in (".yml", ".yaml"):
        guess = "" if name in DATA_FILES else did_you_mean(name, DATA_FILES)
        return (f"{guess + ' ' if guess else ''}The only data files are {', '.join(sorted(DATA_FILES))}, "
                f"directly in the {lang}/ folder. Rename or move this one, or keep it outside the content folder.")
    if suffix in (".html", ".htm"):
        return "Write the page in Markdown, as a .md file. " + ALLOWED
    return ALLOWED
