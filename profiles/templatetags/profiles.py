from django import template
from django.utils.html import format_html_join

from profiles.rendering import footnote_groups

register = template.Library()


@register.simple_tag
def footnotes(markers):
    """A claim's footnote markers, adjacent uses of one reference joined into one marker whose
    tooltip gives every quote; each use keeps an anchor for its backlink.

    A tag in Python rather than an included template: a long profile has hundreds of claims.
    """
    return format_html_join(
        "",
        '<sup class="footnote{}"><a href="#ref-{}" id="{}" title="{}">[{}]</a>{}</sup>',
        (
            (
                " disputing" if group["disputing"] else "",
                group["number"],
                group["ids"][0],
                group["title"],
                group["number"],
                format_html_join("", '<span id="{}"></span>', ((anchor,) for anchor in group["ids"][1:])),
            )
            for group in footnote_groups(markers)
        ),
    )
