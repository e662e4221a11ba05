"""Operations on notices: issue (number + render), sign, deliver. The only callers of transitions."""

import hashlib
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from .kinds import KINDS
from .models import Issuer, Notice
from .numbering import allocate, format_number


def case_key_for(kind: str, case) -> str:
    return f"{kind}:{case._meta.label_lower}:{case.pk}"


def issue_notice(*, kind: str, issuer: Issuer, case, addressee_name: str, context: dict, region_code: str, addressee_id_number: str = "", user=None, issued_on: date | None = None, case_key: str | None = None, replaces: Notice | None = None) -> Notice:
    """Create the notice of `kind` for `case` once, with its number, and render its PDF.

    Idempotent: calling it again for the same case and kind (or case_key) returns the notice
    already issued; a notice whose rendering failed is rendered now, under its first number.
    """
    info = KINDS[kind]
    key = case_key or case_key_for(kind, case)
    notice = Notice.objects.filter(case_key=key).first()
    if notice is None:
        notice = _create(info, issuer, case, key, addressee_name, addressee_id_number, context, region_code, user, issued_on or timezone.localdate(), replaces)
    if not notice.pdf:
        render_and_store(notice)
    return notice


def _create(info, issuer, case, key, addressee_name, addressee_id_number, context, region_code, user, issued_on, replaces) -> Notice:
    try:
        with transaction.atomic():
            seq = allocate(issuer, info.word, issued_on.year)
            return Notice.objects.create(
                kind=info.key,
                issuer=issuer,
                region_code=region_code,
                word=info.word,
                year=issued_on.year,
                seq=seq,
                number=format_number(issuer.number_prefix, info.word, issued_on.year, seq),
                title=info.title,
                addressee_name=addressee_name,
                addressee_id_number=addressee_id_number,
                case_type=ContentType.objects.get_for_model(case) if case is not None else None,
                case_id=case.pk if case is not None else None,
                case_key=key,
                context=context,
                issued_on=issued_on,
                created_by=user,
                replaces=replaces,
                access_code="" if not info.citizen else Notice._meta.get_field("access_code").get_default(),
            )
    except IntegrityError:
        # Someone issued it at the same moment; theirs stands and our number rolled back.
        return Notice.objects.get(case_key=key)


def store_pdf(notice: Notice, pdf: bytes) -> None:
    notice.sha256 = hashlib.sha256(pdf).hexdigest()
    notice.pdf.save(f"{notice.pk}-{notice.sha256[:12]}.pdf", ContentFile(pdf), save=False)
    notice.save(update_fields=["pdf", "sha256"])


def render_and_store(notice: Notice) -> None:
    from .rendering import render_notice_pdf

    store_pdf(notice, render_notice_pdf(notice))
