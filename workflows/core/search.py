"""Finding a household by what a caseworker has at hand: a full ID number, its last digits,
any member's name, or part of the address. Every kind is one filter on the same scoped list,
so the page costs the same number of queries whatever was typed.

Indexes (migration core 0003): the ID number's unique index for a full number; an index on the
reversed number for its last digits (PostgreSQL: `reverse(id_number) text_pattern_ops`, so
`LIKE '4321%'` on the reverse is an index range); member names by prefix
(`varchar_pattern_ops`). An address is matched inside the user's own region only, which the
region index already narrows to one township's rows.
"""

import re
import unicodedata

from django.db.models import Q, QuerySet
from django.db.models.functions import Reverse

from .models import Member

FULL_ID = re.compile(r"^\d{17}[\dX]$")
ID_TAIL = re.compile(r"^\d{3,16}[\dX]$")  # 4 to 17 of the last characters
HINT = "可按以下任一方式查找：完整身份证号；身份证号后4至6位；任一家庭成员姓名（或姓名开头）；详细地址中的词，如村组、门牌号。"


def normalise(term: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", term or "")).upper()


def kind_of(term: str) -> str:
    if FULL_ID.match(term):
        return "id"
    if ID_TAIL.match(term):
        return "id_tail"
    return "text"


def search_households(queryset: QuerySet, term: str) -> QuerySet:
    term = normalise(term)
    if not term:
        return queryset
    kind = kind_of(term)
    if kind == "id":
        members = Member.objects.filter(id_number=term)
    elif kind == "id_tail":
        members = Member.objects.annotate(id_reversed=Reverse("id_number")).filter(id_reversed__startswith=term[::-1])
    else:
        members = Member.objects.filter(name__startswith=term)
        return queryset.filter(Q(pk__in=members.values("household_id")) | Q(address__contains=term))
    return queryset.filter(pk__in=members.values("household_id"))
