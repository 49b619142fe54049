"""How big a picture is, so a page can say so in its <img> and keep the picture's room while it loads.

Without a height, a phone lays the page out as if the picture were a line tall, then moves the
text down once it arrives: a reader loses their place. Rasters are read by imagesize (their
header only, a photo's turn by its camera included); an SVG by its own width, height and viewBox.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import imagesize

RASTERS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
MAX_SIDE = 65535  # JPEG's largest; a bigger side is a damaged file
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.S)
_PIXELS = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*\Z")


@dataclass(frozen=True)
class PictureSize:
    width: float
    height: float
    natural: bool  # the size a browser shows it at when the page gives none (an SVG's viewBox gives only its shape)


def picture_size(rel: str, data: bytes) -> PictureSize | None:
    """Return a picture's size in CSS pixels, or None when its file does not say."""
    name = rel.lower()
    if name.endswith(".svg"):
        return _svg_size(data)
    if name.endswith(RASTERS):
        try:
            info = imagesize.get_info(io.BytesIO(data), dpi=False, colors=False, channels=False)
        except Exception:  # a header it cannot read: the page simply gives no size, as before
            return None
        return _checked(PictureSize(info.width, info.height, True))
    return None


def _checked(size: PictureSize) -> PictureSize | None:
    """The size, unless a side is nothing or more than any picture format holds (a damaged header)."""
    return size if 0 < size.width <= MAX_SIDE and 0 < size.height <= MAX_SIDE else None


def _svg_size(data: bytes) -> PictureSize | None:
    root = _SVG_ROOT.search(data)
    if root is None:
        return None
    tag = root.group(0).decode("utf-8", "replace")
    width, height = _attribute(tag, "width"), _attribute(tag, "height")
    size = [_pixels(width), _pixels(height)]
    if None not in size:
        return _checked(PictureSize(size[0], size[1], True))
    box = _attribute(tag, "viewBox")
    numbers = (box or "").replace(",", " ").split()
    try:
        box_width, box_height = float(numbers[2]), float(numbers[3])
    except (IndexError, ValueError):
        return None
    if width is None and height is None:
        return _checked(PictureSize(box_width, box_height, False))
    return None  # one side in cm or %: its shape is not the viewBox's


def _attribute(tag: str, name: str) -> str | None:
    found = re.search(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)')""", tag)
    return None if found is None else found.group(1) if found.group(1) is not None else found.group(2)


def _pixels(value: str | None) -> float | None:
    found = _PIXELS.match(value or "")
    return float(found.group(1)) if found else None


def fill_size(attrs: dict[str, str], size: PictureSize | None) -> dict[str, str]:
    """Return the width and height to add to an <img> with these attributes: the missing one in
    proportion to the one the editor gave, or the natural size when it gave neither. A width or
    height the editor gave is never changed, nor one in % (whose height cannot be known)."""
    if size is None:
        return {}
    width, height = attrs.get("width"), attrs.get("height")
    if width is None and height is None:
        return {"width": _round(size.width), "height": _round(size.height)} if size.natural else {}
    if height is None and width.strip().isdigit():
        return {"height": _round(int(width) * size.height / size.width)}
    if width is None and height.strip().isdigit():
        return {"width": _round(int(height) * size.width / size.height)}
    return {}


def _round(value: float) -> str:
    return str(max(1, round(value)))
