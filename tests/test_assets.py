"""Only safe files are published: the types allowed, checked by their content, SVGs cleaned or refused,
no file read through a link out of content/ or from a FIFO, and no file written over the build's own."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import py_svg_hush
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sitegen import printhtml
from sitegen.diagnostics import ContentError
from sitegen.diagnostics import ContentErrors
from sitegen.pipeline import BuildOptions, build
from sitegen.svg import MAX_DEPTH, clean_svg

from conftest import FIXTURES, ROOT, add_language, run_build, tree_digest

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n{}\n</svg>\n'
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
# The first bytes of each allowed type, as its format's specification gives them, a little more,
# and the way a whole file of the type ends.
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
GOOD = {
    "en/images/a.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + PNG_END,
    "en/images/b.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff\xd9",
    "en/images/c.jpeg": b"\xff\xd8\xff\xe1\x00\x10Exif\x00\xff\xd9",
    "en/images/d.gif": b"GIF89a\x01\x00\x01\x00" + bytes(10) + b";",
    "en/images/e.webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(28),
    "en/images/f.avif": b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00",
    "en/leaflet.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n%%EOF\n",
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A site built from the good fixture, to prove that failed builds leave it untouched."""
    out = tmp_path_factory.mktemp("published") / "site"
    assert run_build("--content", str(FIXTURES / "basic"), "--out", str(out), "--no-handouts").returncode == 0
    return out


def build_with(tmp_path, published, files: dict[str, bytes | str], prepare=None, command=("build",)):
    """Build the fixture with files added (and prepare(content) run) over a copy of the published site."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    for rel, data in files.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    if prepare:
        prepare(content)
    out = tmp_path / "site"
    shutil.copytree(published, out)
    before = tree_digest(out)
    args = [*command, "--content", str(content)] + (["--out", str(out), "--no-handouts"] if command == ("build",) else [])
    result = run_build(*args, cwd=tmp_path, timeout=60)
    return result, before == tree_digest(out)


def assert_refused(result, unchanged: bool, where: str, *words: str):
    """Exit 1, the file (and line) named in an error, each of words and a hint shown, and the site untouched."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert any(line.startswith(f"content/{where}") and "error[" in line for line in result.stderr.splitlines()), result.stderr
    for word in words:
        assert word in result.stderr
    assert "hint:" in result.stderr
    assert unchanged, "the previously published site must stay byte-for-byte the same"


# Types that are not allowed, whatever they hold ----------------------------------------------------

@pytest.mark.parametrize("rel, data, words", [
    ("en/images/x.html", HTML, ['files of the type ".html"', "Markdown"]),
    ("en/page.htm", HTML, ['files of the type ".htm"']),
    ("en/app.js", b"alert(1)\n", ['".js"', ".png, .jpg"]),
    ("en/style.css", b"body { background: url(https://tracker.example/) }\n", ['".css"']),
    ("en/images/feed.xml", b"<?xml version='1.0'?><rss/>\n", ['".xml"']),
    ("en/contact.php", b"<?php system($_GET['c']); ?>\n", ['".php"']),
    ("en/setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", ['".exe"']),
    ("en/run.sh", b"#!/bin/sh\nrm -rf ~\n", ['".sh"']),
    ("en/images/README", b"notes\n", ["a file without a type"]),
    ("en/images/photo.JPG", GOOD["en/images/b.jpg"], ['Rename it to "photo.jpg"']),
    ("en/404.html", HTML, ['".html"']),
    ("en/sitemap.xml", b"<urlset/>\n", ['".xml"']),
    ("en/robots.txt", b"User-agent: *\nDisallow: /\n", ['".txt"']),
    ("en/images/notes.yml", b"a: 1\n", ['".yml"', "glossary.yml, jargon.yml, warning-signs.yml"]),
    ("en/glossary.yaml", b"- term: knee\n", ['".yaml"', 'Did you mean "glossary.yml"?']),
    ("en/living/glossary.yml", b"- term: knee\n", ['".yml"', "directly in the en/ folder"]),
])
def test_a_type_that_is_not_allowed_is_refused(tmp_path, published, rel, data, words):
    result, unchanged = build_with(tmp_path, published, {rel: data})
    assert_refused(result, unchanged, rel + ": error[asset.type]", *words)


@pytest.mark.parametrize("rel, data, what", [
    ("en/images/x.png", HTML, "not a PNG picture"),
    ("en/images/x.jpg", GOOD["en/images/a.png"], "not a JPEG picture"),
    ("en/images/x.gif", b"GIF, or so I say\n", "not a GIF picture"),
    ("en/images/x.webp", b"RIFF\x24\x00\x00\x00WAVEfmt ", "not a WebP picture"),
    ("en/images/x.avif", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "not an AVIF picture"),
    ("en/leaflet.pdf", HTML, "not a PDF document"),
    ("en/images/empty.png", b"", "not a PNG picture"),
])
def test_a_file_whose_content_is_not_its_type_is_refused(tmp_path, published, rel, data, what):
    result, unchanged = build_with(tmp_path, published, {rel: data})
    assert_refused(result, unchanged, rel + ": error[asset.content]", what, "extension of its real type")


@pytest.mark.parametrize("rel", ["en/images/a.png", "en/images/b.jpg", "en/images/d.gif", "en/images/e.webp",
                                 "en/leaflet.pdf"])
def test_a_file_cut_short_is_refused(tmp_path, published, rel):
    whole = GOOD[rel]
    result, unchanged = build_with(tmp_path, published, {rel: whole[:-6]})  # a copy that stopped before the end
    assert_refused(result, unchanged, rel + ": error[asset.truncated]", "the file is cut short", "copy or save it again")


def test_allowed_files_are_published_as_they_are(tmp_path, published):
    result, _ = build_with(tmp_path, published, GOOD)
    assert result.returncode == 0, result.stderr
    for rel, data in GOOD.items():
        assert (tmp_path / "site" / rel.removeprefix("en/")).read_bytes() == data


def test_a_picture_too_heavy_for_a_phone_is_published_with_a_warning_that_says_how_to_shrink_it(tmp_path, published):
    heavy = GOOD["en/images/b.jpg"][:-2] + bytes(400_000) + b"\xff\xd9"  # a 0.4 MB JPEG
    light = GOOD["en/images/a.png"]
    result, _ = build_with(tmp_path, published, {"en/images/photo.jpg": heavy, "en/images/small.png": light})
    assert result.returncode == 0, result.stderr
    assert ("content/en/images/photo.jpg: warning[picture.heavy]: this picture is 0.4 MB: its page will be slow "
            "to open on a phone") in result.stderr
    assert "1,200 pixels wide" in result.stderr
    assert result.stderr.count("picture.heavy") == 1, "the small picture gets no warning"
    assert (tmp_path / "site/images/photo.jpg").read_bytes() == heavy


# SVG: cleaned, and refused when the cleaning would remove anything ------------------------------

UNSAFE_SVG = {
    "script": ('<circle r="4"/>\n<script>alert(document.cookie)</script>', 3, "<script>"),
    "event_handler": ('<circle r="4" onclick="alert(1)"/>', 2, 'onclick="alert(1)"'),
    "onload_on_root": ('<circle r="4"/>', 1, 'onload="alert(1)"'),
    "foreign_object": ('<foreignObject width="9" height="9"><p xmlns="http://www.w3.org/1999/xhtml">Hi</p></foreignObject>',
                       2, "<foreignObject>"),
    "javascript_link": ('<a href="javascript:alert(1)"><circle r="4"/></a>', 2, 'href="javascript:alert(1)"'),
    "entity_encoded_javascript": ('<a href="&#106;avascript:alert(1)"><circle r="4"/></a>', 2, 'href="javascript:alert(1)"'),
    "link_to_another_host": ('<a href="https://phish.example/login"><circle r="4"/></a>', 2, "https://phish.example/login"),
    "use_from_another_host": ('<use href="http://evil.example/sprite.svg#icon"/>', 2, "http://evil.example/sprite.svg#icon"),
    "xlink_image_from_another_host": ('<image xlink:href="https://tracker.example/pixel.png" width="1" height="1"/>', 2,
                                      "xlink:href"),
    "css_url_to_another_host": ("<style>circle { fill: url(http://tracker.example/a.svg#p) }</style>", 2, "<style>"),
    "css_import": ('<style>@import "https://tracker.example/a.css";</style>', 2, "@import"),
    "style_attribute_url": ('<circle r="4" style="fill: url(https://tracker.example/p)"/>', 2, "style="),
    "data_uri_with_html": ('<image href="data:text/html;base64,{}" width="9" height="9"/>'.format(
        base64.b64encode(HTML).decode()), 2, "data:text/html"),
    "data_uri_with_svg": ('<image href="data:image/svg+xml;base64,{}" width="9" height="9"/>'.format(
        base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').decode()), 2, "data:image/svg+xml"),
    "reference_to_a_file": ('<image href="../../../secret.png" width="9" height="9"/>', 2, "secret.png"),
    "xhtml_script": ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>', 2, "<h:script>"),
    "animation_that_sets_a_link": ('<a><set attributeName="href" to="javascript:alert(1)"/><circle r="4"/></a>', 2,
                                   'attributeName="href"'),
    "editor_data": ('<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" id="v"/>', 2,
                    "plain SVG"),
}


def unsafe_svg(case: str) -> str:
    body, _, _ = UNSAFE_SVG[case]
    svg = SVG.format(body)
    return svg.replace("<svg ", '<svg onload="alert(1)" ', 1) if case == "onload_on_root" else svg


@pytest.mark.parametrize("case", sorted(UNSAFE_SVG))
def test_an_unsafe_svg_is_refused_with_its_line(tmp_path, published, case):
    _, line, words = UNSAFE_SVG[case]
    result, unchanged = build_with(tmp_path, published, {"en/images/knee.svg": unsafe_svg(case)})
    assert_refused(result, unchanged, f"en/images/knee.svg:{line}: error[svg.unsafe]", words, "not allowed in a published picture")


@pytest.mark.parametrize("data, where, words", [
    (b"<html><body><p>Hello<br></body></html>", "en/images/knee.svg:1: error[svg.invalid]", "not well-formed XML"),
    (b"<html><body><script>alert(1)</script></body></html>", "en/images/knee.svg:1: error[svg.invalid]", "it starts with <html>"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "en/images/knee.svg:3: error[svg.unsafe]", "<!ENTITY"),
    ('<svg xmlns="http://www.w3.org/2000/svg">\n' + "<g>" * (MAX_DEPTH + 1) + "</g>" * (MAX_DEPTH + 1) + "</svg>",
     "en/images/knee.svg:2: error[svg.depth]", f"more than {MAX_DEPTH} deep"),
    (b"", "en/images/knee.svg:1: error[svg.invalid]", "no element found"),
])
def test_a_file_named_svg_that_is_no_safe_svg_is_refused(tmp_path, published, data, where, words):
    result, unchanged = build_with(tmp_path, published, {"en/images/knee.svg": data})
    assert_refused(result, unchanged, where, words)


def test_a_safe_svg_is_published_as_the_cleaner_leaves_it(tmp_path, published):
    source = SVG.format('<!-- drawn by hand -->\n<defs><circle id="dot" r="4"/></defs>\n<use xlink:href="#dot" fill="#b3261e"/>\n'
                        '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>\n<text>Knee &amp; leg</text>')
    result, _ = build_with(tmp_path, published, {"en/images/knee.svg": source})
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "site/images/knee.svg").read_bytes()
    assert data == py_svg_hush.filter_svg(source.encode(), keep_data_url_mime_types={"image": ["png"]})
    assert b"drawn by hand" not in data and b"xlink" not in data
    root = ET.fromstring(data)  # still a well-formed drawing, with everything it shows
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("svg:use", ns).get("href") == "#dot" and root.find("svg:use", ns).get("fill") == "#b3261e"
    assert root.find("svg:text", ns).text == "Knee & leg"
    assert root.find("svg:image", ns).get("href").startswith("data:image/png;base64,")


@pytest.mark.parametrize("path", [f"content/{lang}/images/{name}.svg" for lang in ("en", "es")
                                  for name in ("skeleton", "spine", "x-ray", "treatment-reach", "phone-number")]
                         + ["tests/fixtures/basic/en/images/knee.svg"])
def test_the_bundled_drawings_look_the_same_cleaned(tmp_path, path):
    """Drawn as the handouts draw them (Typst), the cleaned drawing gives the same pixels."""
    import typst

    original = (ROOT / path).read_bytes()
    fonts = [str(ROOT / "templates/fonts")]
    pixels = []
    for name, data in (("original.svg", original), ("cleaned.svg", clean_svg(original, path))):
        (tmp_path / name).write_bytes(data)
        page = f'#set page(width: 420pt, height: auto, margin: 10pt)\n#image("{name}", width: 400pt)'.encode()
        pixels.append(typst.compile(page, root=str(tmp_path), format="png", ppi=72, font_paths=fonts,
                                    ignore_system_fonts=True))
    assert pixels[0] == pixels[1]


def test_handouts_print_the_published_picture(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    svg = content / "en/images/knee.svg"
    svg.write_text("<!-- a comment the cleaner drops -->\n" + svg.read_text())
    out = tmp_path / "site"
    result = build(BuildOptions(content, out, ROOT / "templates", handouts=False, search=False, cache_dir=None))
    assert result.published, [d.format() for d in result.report.items]
    page = result.site.by_rel["en/index.md"]
    files: list[Path] = []
    html = printhtml.local_images(page.rendered.html, page, result.site, out, files)
    assert files == [out / "images/knee.svg"] and 'src="images/knee.svg"' in html
    assert files[0].read_bytes() != svg.read_bytes()  # the cleaned file, not the editor's


# Property: whatever an SVG holds, it is refused, or published without anything that runs or fetches.

SAFE_PARTS = ['<circle r="3" fill="#b3261e"/>', '<rect width="2" height="2" id="r"/>', '<use href="#r"/>',
              '<text x="1" y="2">Spine</text>', '<path d="M0,0 L5,5" stroke="black"/>']
UNSAFE_PARTS = ["<script>alert(1)</script>", '<circle onmouseover="alert(1)"/>', "<foreignObject><b>x</b></foreignObject>",
                '<a href="javascript:alert(1)"><rect width="1" height="1"/></a>', '<use href="https://evil.example/x#a"/>',
                '<image xlink:href="http://evil.example/p.png"/>', "<style>rect { fill: url(https://evil.example/p) }</style>",
                '<style>@import url("//evil.example/a.css");</style>', '<image href="data:text/html,&lt;script&gt;"/>',
                '<rect style="background: url(http://evil.example/t)"/>', '<a href="//evil.example/"><text>x</text></a>']


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SAFE_PARTS + UNSAFE_PARTS), min_size=1, max_size=6),
       st.integers(min_value=0, max_value=3))
def test_an_svg_is_refused_or_published_without_anything_that_runs_or_fetches(parts, nesting):
    svg = SVG.format("<g>" * nesting + "".join(parts) + "</g>" * nesting)
    try:
        cleaned = clean_svg(svg.encode(), "x.svg").decode()
    except (ContentError, ContentErrors):
        assert any(part in UNSAFE_PARTS for part in parts), "a safe drawing must be published"
        return
    assert not any(part in UNSAFE_PARTS for part in parts), "an unsafe part was published without a word"
    lowered = cleaned.lower().replace("http://www.w3.org/2000/svg", "")
    for danger in ("<script", "foreignobject", "onmouseover", "javascript:", "http:", "https:", "//evil", "@import", "data:text"):
        assert danger not in lowered
    ET.fromstring(cleaned)


# Links out of content/ and files that are not ordinary files -------------------------------------

def link_out(rel: str):
    """Move content/rel outside the content folder and leave a link to it in its place."""
    def prepare(content: Path):
        path = content / rel
        outside = content.parent / ("outside-" + path.name)
        shutil.move(path, outside)
        os.symlink(outside, path)
    return prepare


@pytest.mark.parametrize("rel", ["site.yml", "en/glossary.yml", "en/jargon.yml", "en/images/knee.svg"])
def test_a_link_out_of_the_content_folder_is_refused(tmp_path, published, rel):
    files = {"en/jargon.yml": "- osteolytic\n"} if rel == "en/jargon.yml" else {}
    result, unchanged = build_with(tmp_path, published, files, link_out(rel))
    assert_refused(result, unchanged, f"{rel}: error[symlink.outside]", "a link to a file outside the content folder")


def test_check_refuses_a_jargon_list_linked_from_outside(tmp_path, published):
    result, _ = build_with(tmp_path, published, {"en/jargon.yml": "- osteolytic\n"}, link_out("en/jargon.yml"),
                           command=("check",))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/en/jargon.yml: error[symlink.outside]" in result.stdout + result.stderr


def test_a_link_inside_the_content_folder_is_followed(tmp_path, published):
    def prepare(content: Path):
        os.symlink("knee.svg", content / "en/images/knee-again.svg")
    result, _ = build_with(tmp_path, published, {}, prepare)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/images/knee-again.svg").read_bytes() == (tmp_path / "site/images/knee.svg").read_bytes()


def fifo(rel: str):
    def prepare(content: Path):
        path = content / rel
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    return prepare


def unix_socket(rel: str):
    def prepare(content: Path):
        path, cwd = content / rel, os.getcwd()
        os.chdir(path.parent)  # bound by its name alone: a socket's path must be short
        try:
            with socket.socket(socket.AF_UNIX) as server:
                server.bind(path.name)
        finally:
            os.chdir(cwd)
    return prepare


@pytest.mark.parametrize("rel, make, what", [
    ("en/x.md", fifo, "a named pipe (FIFO)"),
    ("en/symptoms.md", fifo, "a named pipe (FIFO)"),
    ("en/images/knee.svg", fifo, "a named pipe (FIFO)"),
    ("en/glossary.yml", fifo, "a named pipe (FIFO)"),
    ("site.yml", fifo, "a named pipe (FIFO)"),
    ("en/s.md", unix_socket, "a socket"),
])
def test_a_special_file_is_refused_and_never_opened(tmp_path, published, rel, make, what):
    result, unchanged = build_with(tmp_path, published, {}, make(rel))
    assert_refused(result, unchanged, f"{rel}: error[file.special]", f"this is {what}, not an ordinary file")


# Files written where the build writes its own ----------------------------------------------------

@pytest.mark.parametrize("rel, data, where", [
    ("en/pagefind/pagefind.js.png", GOOD["en/images/a.png"], "the search index (the whole pagefind/ folder)"),
    ("en/assets/favicon.svg", (FIXTURES / "basic/en/images/knee.svg").read_bytes(), "a file of the site's design"),
    ("en/symptoms/symptoms.pdf", GOOD["en/leaflet.pdf"], "a handout of content/en/symptoms.md"),
    ("en/living/living-packet-large-print.pdf", GOOD["en/leaflet.pdf"], "a handout of content/en/living/index.md"),
    ("en/search.md", (FIXTURES / "basic/en/symptoms.md").read_bytes(), "the search page"),
    ("en/pagefind.md", (FIXTURES / "basic/en/symptoms.md").read_bytes(), "the search index"),
])
def test_a_file_where_the_build_writes_its_own_is_refused(tmp_path, published, rel, data, where):
    result, unchanged = build_with(tmp_path, published, {rel: data})
    assert_refused(result, unchanged, f"{rel}: error[output.reserved]", where, "Rename the file or move it")


def test_a_default_language_folder_named_like_another_language_is_refused(tmp_path, published):
    """content/en/es/images/knee.svg would be written where content/es/images/knee.svg is: the folder is named."""
    def prepare(content: Path):
        add_language(content, "es")
        shutil.copytree(content / "en", content / "es")
        (content / "en/es/images").mkdir(parents=True)
        shutil.copy(content / "en/images/knee.svg", content / "en/es/images/knee.svg")
    result, unchanged = build_with(tmp_path, published, {}, prepare)
    assert_refused(result, unchanged, "en/es/images/knee.svg: error[name.language]",
                   'the folder "en/es" has the name of the es language, so its files would be published where the es pages are')
    assert "output.duplicate" not in result.stderr
