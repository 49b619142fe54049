"""rawlinks.py: the addresses of links and pictures written as raw HTML, replaced and nothing else."""

from __future__ import annotations

import pytest

from sitegen.rawlinks import rewrite_addresses


def upper(address: str, kind: str) -> str:
    return f"{kind}:{address.upper()}"


@pytest.mark.parametrize("raw, expected", [
    ('<a href="a.md">A</a>', '<a href="link:A.MD">A</a>'),
    ("<a class=x href='a.md' title=t>A</a>", '<a class=x href="link:A.MD" title=t>A</a>'),
    ("<IMG SRC=images/k.svg alt=k>", '<IMG src="image:IMAGES/K.SVG" alt=k>'),
    ('<img\n  alt="k"\n  src="k.svg" />', '<img\n  alt="k"\n  src="image:K.SVG" />'),
    ('<p>1\n2 <a href="x.md?a=1&amp;b=2">x</a></p>', '<p>1\n2 <a href="link:X.MD?A=1&amp;B=2">x</a></p>'),
    ('<a data-href="a.md" href="b.md">', '<a data-href="a.md" href="link:B.MD">'),
    ('<a href="a.md" href="b.md">', '<a href="link:A.MD" href="b.md">'),  # a browser follows the first
    ('<a title="Tip: href=a.md is it" href="b.md">', '<a title="Tip: href=a.md is it" href="link:B.MD">'),
    ('<a/href="a.md">', '<a/href="link:A.MD">'),
    ("<a href=x/>", '<a href="link:X/">'),
])
def test_each_address_is_replaced_where_it_is_written(raw, expected):
    assert rewrite_addresses(raw, upper) == expected


@pytest.mark.parametrize("raw", ['<!-- <a href="a.md"> -->', "<pre>&lt;a href=\"a.md\"&gt;</pre>", "<a>no address</a>",
                                 '<span href="a.md">not a link</span>', 'Text about href="a.md".'])
def test_what_is_not_an_address_is_left_as_written(raw):
    assert rewrite_addresses(raw, upper) == raw


def test_an_address_left_out_takes_only_its_attribute():
    assert rewrite_addresses('<a class="x" href="symptom.md">A</a>', lambda a, k: None) == '<a class="x">A</a>'


@pytest.mark.parametrize("raw", ['<a href="javascript:go()">', '<a href="&#106;avascript:go()">', '<a href="java\tscript:x">',
                                 '<img src="data:image/png;base64,AAAA">'])
def test_what_the_sanitiser_refuses_is_left_for_it_to_report(raw):
    assert rewrite_addresses(raw, lambda a, k: None) == raw


def test_the_address_given_is_the_one_a_browser_reads():
    seen = []
    rewrite_addresses('<a href="caf&eacute;.md?x=1&amp;y=2">', lambda a, k: seen.append((a, k)) or a)
    assert seen == [("café.md?x=1&y=2", "link")]
