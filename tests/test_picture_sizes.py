"""A page's pictures keep their room while they load: each <img> gets the width and height its file
gives, or the one the editor left out in proportion, so a slow phone does not move the text later."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

from conftest import page_source, run_build, write_tree

TALL_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 660"><rect width="400" height="660"/></svg>\n'
WIDE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"><rect width="400" height="200"/></svg>\n'
SIZED_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 20 10"><rect width="20" height="10"/></svg>\n'


def picture(kind: str, size: tuple[int, int], orientation: int | None = None) -> bytes:
    data = io.BytesIO()
    image = Image.new("RGB", size, "white")
    if orientation is None:
        image.save(data, kind)
    else:  # a phone's photo: stored as the sensor saw it, with the turn to show it by in EXIF
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(data, kind, exif=exif)
    return data.getvalue()


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attrs = dict(attrs)
            self.found[attrs["alt"]] = attrs


def images(html: str) -> dict[str, dict[str, str | None]]:
    """{alt: the <img>'s attributes} for every picture of a page."""
    parser = _Images()
    parser.feed(html)
    return parser.found


BODY = """
![Tall with a width](images/tall.svg){ width="320" }

![Tall as it is](images/tall.svg)

![Sized drawing](images/sized.svg)

![Photo as it is](images/photo.png)

![Photo with a height](images/photo.png){ height="90" }

![Photo at half the width](images/photo.png){ width="50%" }

![Photo the editor sized](images/photo.png){ width="10" height="10" }

![Phone photo](images/turned.jpg){ width="100" }

![Damaged header](images/broken.png)
"""


def write_site(content: Path, tall: str = TALL_SVG) -> None:
    write_tree(content, {
        "en/sizes.md": page_source("Picture sizes", BODY),
        "en/images/tall.svg": tall,
        "en/images/sized.svg": SIZED_SVG,
        "en/images/photo.png": picture("PNG", (123, 45)),
        "en/images/turned.jpg": picture("JPEG", (300, 200), orientation=6),  # shown turned: 200 wide, 300 tall
        # Accepted as a PNG (its first and last bytes), but its header says no size.
        "en/images/broken.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x00IEND\xaeB`\x82",
    })


def built_images(content: Path, out: Path, *extra: str) -> dict[str, dict[str, str | None]]:
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return images((out / "sizes" / "index.html").read_text(encoding="utf-8"))


def size(attrs: dict) -> tuple[str | None, str | None]:
    return attrs.get("width"), attrs.get("height")


def test_each_picture_gets_the_size_its_file_gives(basic_content, tmp_path):
    write_site(basic_content)
    found = built_images(basic_content, tmp_path / "site")
    assert size(found["Tall with a width"]) == ("320", "528")  # 320 * 660 / 400
    assert size(found["Sized drawing"]) == ("200", "100")  # its own width and height, not its viewBox
    assert size(found["Photo as it is"]) == ("123", "45")
    assert size(found["Photo with a height"]) == ("246", "90")
    assert size(found["Phone photo"]) == ("100", "150")  # as shown: turned upright


def test_what_cannot_be_known_is_left_as_the_editor_wrote_it(basic_content, tmp_path):
    write_site(basic_content)
    found = built_images(basic_content, tmp_path / "site")
    # A drawing with only a viewBox has a shape but no size: a browser sizes it by the page, so
    # a size added here would change how it looks.
    assert size(found["Tall as it is"]) == (None, None)
    assert size(found["Photo at half the width"]) == ("50%", None)
    assert size(found["Photo the editor sized"]) == ("10", "10")
    assert size(found["Damaged header"]) == (None, None)


def test_a_picture_replaced_by_another_shape_changes_its_pages(basic_content, tmp_path):
    """The pages' cache knows the pictures' sizes: a new drawing under the old name is not given the old one's height."""
    write_site(basic_content)
    cache = ("--cache-dir", str(tmp_path / "cache"))
    assert size(built_images(basic_content, tmp_path / "site", *cache)["Tall with a width"]) == ("320", "528")
    (basic_content / "en/images/tall.svg").write_text(WIDE_SVG, encoding="utf-8")
    assert size(built_images(basic_content, tmp_path / "site", *cache)["Tall with a width"]) == ("320", "160")


def test_a_picture_written_as_html_gets_its_size_too(basic_content, tmp_path):
    write_site(basic_content)
    (basic_content / "en/sizes.md").write_text(page_source("Picture sizes", (
        '<figure><img src="images/tall.svg" width="200" alt="Raw tall"><figcaption>A caption.</figcaption></figure>\n\n'
        '<p><img alt="Raw photo" src="images/photo.png"/> and <img alt="Raw sized" src="images/photo.png" width="5" height="5"></p>\n\n'
        '<img alt="Raw empty width" src="images/photo.png" width>\n')))
    found = built_images(basic_content, tmp_path / "site")
    assert size(found["Raw tall"]) == ("200", "330")
    assert size(found["Raw photo"]) == ("123", "45")
    assert size(found["Raw sized"]) == ("5", "5")
    assert size(found["Raw empty width"]) == ("", None)
