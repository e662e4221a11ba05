"""Issuers and notices for the documents tests (numbering, citizen download, staff pages)."""

from django.utils import timezone
from weasyprint import HTML

from documents import services
from documents.models import Issuer
from tests.factories import TOWNSHIP_A, VILLAGE_A

# Names that must come out as text: as typed, and as they must appear in HTML.
HOSTILE_NAMES = [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("张&三", "张&amp;三"),
    ('O\'Brien "老王"', "O&#x27;Brien &quot;老王&quot;"),
    ("𠮷野家", "𠮷野家"),
]


def use_small_pdfs(monkeypatch):
    """These tests are about numbers, access and state, not layout: a one-line PDF naming the
    notice renders in milliseconds and still differs per notice."""
    monkeypatch.setattr("documents.rendering.render_notice_pdf", lambda notice, signer_name=None: HTML(string=f"<p>{notice.pk}</p>").write_pdf())


def make_issuer(region: str = TOWNSHIP_A, prefix: str = "水政", name: str = "长丰县水湖镇人民政府", phone: str = "0551-66710002") -> Issuer:
    return Issuer.objects.create(region_id=region, name=name, number_prefix=prefix, phone=phone)


def issue(issuer: Issuer, key: str, kind: str = "approval", name: str = "张三", region_code: str = VILLAGE_A, **kwargs):
    return services.issue_notice(kind=kind, issuer=issuer, case=None, case_key=key, addressee_name=name, context={}, region_code=region_code, **kwargs)


def sign(notice, user):
    notice.mark_signed(user, timezone.now())
    notice.save()
    return notice
