"""profiles.uris: readable addresses (IRIs) written as URIs for the formats that require them."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rfc3986_validator import validate_rfc3986

from profiles.uris import host_language, readable, uri


@pytest.mark.parametrize(
    "entered, expected",
    [
        ("https://zh.wikipedia.org/wiki/蔡奇", "https://zh.wikipedia.org/wiki/%E8%94%A1%E5%A5%87"),
        (
            "https://例子.中国/新闻?q=北京#第一段",
            "https://xn--fsqu00a.xn--fiqs8s/%E6%96%B0%E9%97%BB?q=%E5%8C%97%E4%BA%AC#%E7%AC%AC%E4%B8%80%E6%AE%B5",
        ),
        ("https://user:pä@Bücher.de:8080/a b", "https://user:p%C3%A4@xn--bcher-kva.de:8080/a%20b"),
        ("https://a.org/100%/x%2F", "https://a.org/100%25/x%2F"),  # a lone % escaped, an escape kept
        ("https://en.wikipedia.org/wiki/Cai_Qi", "https://en.wikipedia.org/wiki/Cai_Qi"),
        ("https://a.org/%E8%94%A1?x=1&y=%20", "https://a.org/%E8%94%A1?x=1&y=%20"),  # a URI stays as it is
        ("https://a.org/x[1]#a#b", "https://a.org/x%5B1%5D#a%23b"),
        ("http://[::1]:8000/a b", "http://[::1]:8000/a%20b"),
        ("", ""),
    ],
)
def test_an_address_is_written_as_a_uri(entered, expected):
    assert uri(entered) == expected
    assert not expected or validate_rfc3986(expected, rule="URI")


def test_the_readable_form_of_a_uri_is_the_address_as_entered():
    for entered in ("https://zh.wikipedia.org/wiki/蔡奇", "https://例子.中国/新闻?q=北京#第一段"):
        assert readable(uri(entered)) == entered
    # Escapes of URI syntax, of spaces and of bytes that are not UTF-8 stay escaped.
    assert readable("https://a.org/a%2Fb%20c%FF") == "https://a.org/a%2Fb%20c%FF"


@pytest.mark.parametrize(
    "url, language",
    [
        ("https://zh.wikipedia.org/wiki/蔡奇", "zh"),
        ("https://en.m.wikipedia.org/wiki/Cai_Qi", "en"),
        ("https://zh-yue.wikipedia.org/wiki/x", "zh-yue"),
        ("https://www.wikipedia.org/", None),
        ("https://commons.wikimedia.org/wiki/x", None),
        ("https://en.people.cn/n3/x.html", None),  # only Wikimedia projects name their language so
        ("https://zh.wikipedia.org.example.com/", None),
    ],
)
def test_a_wikimedia_address_names_its_language(url, language):
    assert host_language(url) == language


@settings(max_examples=300, deadline=None)
@given(
    host=st.sampled_from(["zh.wikipedia.org", "例子.中国", "Bücher.de", "[::1]:8080", "a.org:443"]),
    path=st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    query=st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
)
def test_any_address_becomes_a_valid_uri(host, path, query):
    assert validate_rfc3986(uri(f"https://{host}/{path}?{query}"), rule="URI")
