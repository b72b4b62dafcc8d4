"""Finding a testimonial from what a moderator remembers of it: its words, the condition typed, the
patient's name as shown ("Stephanie M."), their surname, their email (matched exactly) or its number."""
from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal

from reviews.models import Testimonial

_INITIAL = re.compile(r"^\w\.?$")
_NUMBER = re.compile(r"^#?(\d{1,12})$")


def _term_q(term: str) -> Q:
    """One word of the search: in the text, the condition or either name; a lone letter ("M.") is a last initial."""
    if _INITIAL.match(term):
        return Q(last_name__istartswith=term[0])
    match = _NUMBER.match(term)
    words = (Q(body__icontains=term) | Q(condition__icontains=term) | Q(first_name__icontains=term)
             | Q(last_name__icontains=term))
    return words | Q(pk=int(match.group(1))) if match else words


def testimonial_search(*, queryset: QuerySet[Testimonial], term: str) -> QuerySet[Testimonial]:
    """`queryset` narrowed to what `term` names. An email matches exactly (any case), never a part of
    one: a moderator looking for a patient's address must not see their neighbours'. The words of any
    other term must each match (quoted phrases stay together). Indexed on PostgreSQL (trigram and
    UPPER(email), migrations reviews 0008 and 0012)."""
    term = term.replace("\x00", "").strip()  # PostgreSQL refuses NUL bytes; nobody searches for one
    if not term:
        return queryset
    if "@" in term and " " not in term:
        return queryset.filter(email__iexact=term)
    condition = Q()
    for word in smart_split(term):
        if word[:1] in {'"', "'"} and word[-1:] == word[:1] and len(word) > 1:
            word = unescape_string_literal(word)
        if word:
            condition &= _term_q(word)
    return queryset.filter(condition)
