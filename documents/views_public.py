"""Public verification of a notice by the token in its QR code, no login.

Shows only what proves the notice genuine: issuer, number, date, the addressee masked
(DESIGN §4.7), the file's hash, whether the stored file is intact, and its signature.
"""

from django.shortcuts import render

from .models import Notice
from .signing import validate_pdf


def verify(request, token):
    notice = Notice.objects.select_related("issuer", "replaces").filter(verify_token=token).first()
    if notice is None:
        return render(request, "documents/verify.html", {"notice": None}, status=404)
    intact = notice.file_intact() if notice.pdf else False
    signature = None
    if notice.state != "rendered" and notice.pdf:
        with notice.pdf.open("rb") as handle:
            signature = validate_pdf(handle.read())
    corrected_by = Notice.objects.filter(replaces=notice).only("number").first()
    context = {"notice": notice, "intact": intact, "signature": signature, "corrected_by": corrected_by}
    return render(request, "documents/verify.html", context)
