"""Recording what happened to a signed notice: delivery (送达) and acknowledgement (签收).

Kept apart from services.py so that staff pages have one small place to call; like
services, these functions are the only callers of the delivery transitions.
"""

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from workflows.core.services import audit

from .models import DeliveryMethod, Notice, NoticeState

MAX_PROOF_BYTES = 10 * 1024 * 1024
# A scan of the 送达回证: the extension must agree with the file's first bytes, so that a
# renamed executable or HTML page is not stored and later served as a "proof".
PROOF_SIGNATURES = {
    ".pdf": b"%PDF-",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
}


# Sent (notice=, user=) inside the transaction that recorded a delivery, so that a process
# waiting for it (the application's 送达 task) moves on whichever page recorded it.
notice_delivered = Signal()


def check_proof(upload) -> None:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in PROOF_SIGNATURES:
        raise ValidationError("送达回证只能是 PDF、JPG 或 PNG 文件")
    if upload.size > MAX_PROOF_BYTES:
        raise ValidationError("送达回证不能超过 10 MB")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(PROOF_SIGNATURES[suffix]):
        raise ValidationError("送达回证的文件内容与扩展名不符，请上传真实的 PDF、JPG 或 PNG 文件")


def _locked(notice: Notice) -> Notice:
    # Re-read under a row lock: two clerks recording at once must not both pass the state check.
    return Notice.objects.select_for_update().get(pk=notice.pk)


def _audit(user, action: str, notice: Notice, detail: str) -> None:
    audit(user, action, "notice", notice.pk, notice.region_code, detail)


@transaction.atomic
def record_delivery(notice: Notice, user, method: str, day: date, proof_file=None) -> Notice:
    """Mark a signed notice delivered on `day` by `method`, with an optional 送达回证 scan."""
    notice = _locked(notice)
    if notice.state != NoticeState.SIGNED:
        raise ValidationError(f"只有已签发的文书才能记录送达，该文书当前状态为“{notice.get_state_display()}”")
    if method not in DeliveryMethod.values:
        raise ValidationError("请选择有效的送达方式")
    if day > timezone.localdate():
        raise ValidationError("送达日期不能晚于今天")
    if notice.signed_at and day < timezone.localdate(notice.signed_at):
        raise ValidationError("送达日期不能早于签发日期")
    if proof_file is not None:
        check_proof(proof_file)
        notice.delivery_proof.save(f"{notice.pk}{Path(proof_file.name).suffix.lower()}", proof_file, save=False)
    notice.mark_delivered(method, day)
    notice.save()
    _audit(user, "deliver", notice, f"{DeliveryMethod(method).label} {day:%Y-%m-%d}")
    notice_delivered.send(sender=Notice, notice=notice, user=user)
    return notice


@transaction.atomic
def record_acknowledgement(notice: Notice, user, when=None) -> Notice:
    """The addressee confirmed receipt (签收) of a delivered notice."""
    notice = _locked(notice)
    if notice.state != NoticeState.DELIVERED:
        raise ValidationError(f"只有已送达的文书才能确认签收，该文书当前状态为“{notice.get_state_display()}”")
    notice.mark_acknowledged(when or timezone.now())
    notice.save()
    _audit(user, "acknowledge", notice, "")
    return notice
