from django import template

from profiles.rendering import footnote_groups as group_markers

register = template.Library()


@register.filter
def footnote_groups(markers):
    """Footnote markers of one claim, adjacent uses of one reference joined."""
    return group_markers(markers)
