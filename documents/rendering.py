"""Notice → HTML → PDF, laid out after GB/T 9704-2012 《党政机关公文格式》.

One entry point, `render_notice_pdf(notice, signer_name=None)`; `render_html` gives the same
document as HTML (tests, previews). The template is `notice.kind_info.template`; it reads the
notice's frozen `context` dict, whose keys per kind are documented, with an example of each, in
`documents.samples`.

Fonts (Debian packages, found through fontconfig, embedded and subset by HarfBuzz-subset):
- body: "AR PL UKai CN" (fonts-arphic-ukai). GB/T 9704 §7.1 asks for 仿宋 (FangSong); no
  free FangSong face is packaged, and a 楷 face is the nearest in look (thin, hand-drawn
  strokes, the face §7.2.3 itself uses for the 签发人 name). Page numbers and the verification
  block use it too, so that a notice embeds two fonts, not three.
- title, issuer mark, seal: "Noto Serif CJK SC" Bold (fonts-noto-cjk), the nearest to 小标宋.
- fallback for characters UKai lacks (e.g. 𠮷 U+20BB7 in names): "Noto Serif CJK SC", which
  covers CJK Extension B.
Each of the first two is used through its compact GB 2312 copy ("WJZ Body", "WJZ Title") when
`manage.py build_fonts` has made it, which keeps a one-page notice small: see documents.fonts.
"""

import atexit
import base64
import io
from functools import lru_cache

import qrcode
from django.conf import settings
from django.template.loader import render_to_string

from workflows.policy import procedure
from workflows.policy.calendar import cn_date

from .fonts import css_context
from .seal import seal_svg

_FONT_CONFIG = None
_STYLESHEETS = None


def _release():
    """Drop the FontConfiguration while the interpreter is whole: its __del__ run at shutdown
    finds its module half torn down and prints a TypeError."""
    global _FONT_CONFIG, _STYLESHEETS
    _FONT_CONFIG = _STYLESHEETS = None


atexit.register(_release)


def _weasy():
    """The FontConfiguration and parsed stylesheet, made once per process: parsing the CSS
    and loading fonts costs more than laying out a one-page notice."""
    global _FONT_CONFIG, _STYLESHEETS
    if _STYLESHEETS is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        _STYLESHEETS = [CSS(string=notice_css(), font_config=font_config)]
        _FONT_CONFIG = font_config
    return _FONT_CONFIG, _STYLESHEETS


def notice_css() -> str:
    return render_to_string("documents/notices/notice.css", css_context())


def verify_url(notice) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/verify/{notice.verify_token}"


def download_url() -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/notices/download"


@lru_cache(maxsize=256)
def qr_img(url: str) -> str:
    """The URL as a QR code <img> (error correction M survives a folded paper copy).

    A 1-bit PNG data URI, drawn with interpolation off so it stays sharp: WeasyPrint parses SVG
    paths in Python, and the few hundred squares of an SVG code cost ~25 ms per notice.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, box_size=1)
    code.add_data(url)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<img class="qr" alt="核验二维码" src="data:image/png;base64,{data}">'


#: The periods a decision's rights paragraph states (行政复议法, 行政诉讼法, 信访工作条例).
RIGHTS = {
    "review_days": procedure.ADMINISTRATIVE_REVIEW_DAYS,
    "litigation_months": procedure.ADMINISTRATIVE_LITIGATION_MONTHS,
    "petition_recheck_days": procedure.PETITION_RECHECK_DAYS,
}


def render_html(notice, signer_name: str | None = None) -> str:
    info = notice.kind_info
    url = verify_url(notice)
    return render_to_string(
        info.template,
        {
            "notice": notice,
            "kind": info,
            "c": notice.context,
            "issuer_name": notice.issuer.name,
            "issuer_phone": notice.issuer.phone,
            "signer_name": signer_name,
            "issued_on": cn_date(notice.issued_on),  # 成文日期 (GB/T 9704 §7.3.5.3)
            "seal": seal_svg(notice.issuer.name),
            "qr": qr_img(url),
            "verify_url": url,
            "download_url": download_url(),
            "rights": RIGHTS,
        },
    )


def render_notice_pdf(notice, signer_name: str | None = None) -> bytes:
    from weasyprint import HTML

    font_config, stylesheets = _weasy()
    return HTML(string=render_html(notice, signer_name)).write_pdf(stylesheets=stylesheets, font_config=font_config)
