"""Operations on notices: issue (number + render), sign, deliver. The only callers of transitions."""

import hashlib
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from workflows.core import regions
from workflows.core.scoping import in_scope
from workflows.core.services import audit

from .kinds import KINDS
from .models import Issuer, Notice
from .numbering import allocate, format_number
from .rendering import render_notice_pdf
from .signing import sign_pdf


def case_key_for(kind: str, case) -> str:
    return f"{kind}:{case._meta.label_lower}:{case.pk}"


def issue_notice(
    *,
    kind: str,
    issuer: Issuer,
    case,
    addressee_name: str,
    context: dict,
    region_code: str,
    addressee_id_number: str = "",
    user=None,
    issued_on: date | None = None,
    case_key: str | None = None,
    replaces: Notice | None = None,
) -> Notice:
    """Create the notice of `kind` for `case` once, with its number, and render its PDF.

    Idempotent: calling it again for the same case and kind (or case_key) returns the notice
    already issued; a notice whose rendering failed is rendered now, under its first number.
    """
    info = KINDS[kind]
    key = case_key or case_key_for(kind, case)
    notice = Notice.objects.filter(case_key=key).first()
    if notice is None:
        if not issuer.phone.strip():
            raise ValidationError(f"发文机关“{issuer.name}”尚未登记联系电话，文书无法印出联系电话；请先在“发文机关”中补充")
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
    ensure_rendered(notice)
    notice.sha256 = hashlib.sha256(pdf).hexdigest()
    notice.pdf.save(f"{notice.pk}-{notice.sha256[:12]}.pdf", ContentFile(pdf), save=False)
    notice.save(update_fields=["pdf", "sha256"])


def render_and_store(notice: Notice) -> None:

    store_pdf(notice, render_notice_pdf(notice))


# --- Signing and corrections -------------------------------------------------------------

SIGNED_FINAL = "该文书已签发，不能修改；如需更正请另行制发更正文书"
# Who signs (DESIGN §6): the township principal signs township decisions, the county
# civil-affairs head county decisions; keyed by the level of the issuer's region.
# Only petitions issue above the county: a city's or the province's 复查 / 复核 opinion
# (信访工作条例 arts 35–36), signed by that level's petition office.
SIGNING_ROLES = {"township": "township_principal", "county": "county_head", "city": "petition_officer", "province": "petition_officer"}


def ensure_rendered(notice: Notice) -> None:
    """A signed notice is final: nothing may re-render, re-sign or re-store it."""
    if notice.state != "rendered":
        raise ValidationError(SIGNED_FINAL)


def may_sign(user, notice: Notice) -> bool:
    """The user holds the issuer level's leader role in a region that covers the notice."""

    role = SIGNING_ROLES.get(regions.level_of(notice.issuer.region_id))
    if role is None or not in_scope(user, notice.region_code):
        return False
    codes = user.staff_roles.filter(role=role).values_list("region_id", flat=True)
    return any(notice.region_code.startswith(regions.prefix_of(code)) for code in codes)


def sign_notice(notice: Notice, user, password: str) -> Notice:
    """A leader signs a rendered notice after confirming their password.

    The PDF is rendered again with the leader's name as 签发人, signed with the issuer's
    certificate (PAdES B-B), stored, and the signing is written to the audit log.
    """
    if not password or not user.check_password(password):
        raise ValidationError("密码不正确，文书未签发")
    return _sign(notice, user, "")


def sign_under_authority(notice: Notice, user, authority: str) -> Notice:
    """Sign a notice whose decision the leader already signed, with their password, in another
    document: the per-case decisions of a review meeting's minutes (M8). `authority` names it."""
    if not authority:
        raise ValidationError("缺少签发依据")
    return _sign(notice, user, f"，依据{authority}")


def _sign(notice: Notice, user, authority_note: str) -> Notice:

    if not may_sign(user, notice):
        raise ValidationError("您不是本辖区的签发负责人（乡镇主要负责同志或县民政负责人），不能签发该文书")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("issuer").get(pk=notice.pk)
        ensure_rendered(notice)
        name = user.get_full_name() or user.get_username()
        unsigned = notice.pdf.name
        pdf = sign_pdf(render_notice_pdf(notice, signer_name=name), notice.issuer, reason=f"签发{notice.title}", signer_name=name)
        store_pdf(notice, pdf)
        notice.mark_signed(user, timezone.now())
        notice.save()
        audit(user, "sign", "notice", notice.pk, notice.region_code, f"签发 {notice.number}（签发人：{name}{authority_note}）")
        # The unsigned draft is no document anyone should be handed: drop it once signed.
        if unsigned and unsigned != notice.pdf.name:
            transaction.on_commit(lambda: notice.pdf.storage.delete(unsigned))
    return notice


def issue_correction(
    original: Notice, *, user, context: dict, addressee_name: str | None = None, addressee_id_number: str | None = None, issued_on: date | None = None
) -> Notice:
    """A correction is a new notice, with its own number, that names the one it replaces.

    The original stays as it was (a signed notice is final). Idempotent per original: one
    notice replaces another at most once; correct the correction to change it again.
    """
    if hasattr(original, "replaced_by"):
        return original.replaced_by
    return issue_notice(
        kind=original.kind,
        issuer=original.issuer,
        case=original.case,
        addressee_name=original.addressee_name if addressee_name is None else addressee_name,
        addressee_id_number=original.addressee_id_number if addressee_id_number is None else addressee_id_number,
        context={**context, "replaces_number": original.number},
        region_code=original.region_code,
        user=user,
        issued_on=issued_on,
        case_key=f"correction-of:{original.pk}",
        replaces=original,
    )
