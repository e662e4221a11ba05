"""The compact GB 2312 notice fonts (documents.fonts): what they hold, that notices use them, and
that a notice stays within 120 KB."""

import subprocess
from datetime import date

import pytest
from fontTools.ttLib import TTFont

from documents import checks, fonts
from documents.kinds import KINDS
from documents.models import Issuer, Notice
from documents.numbering import format_number
from documents.rendering import render_notice_pdf
from documents.samples import sample_addressee, sample_context
from tests.helpers import pdf_text

BODY = next(spec for spec in fonts.SPECS if spec.key == "Body")


def test_body_copy_holds_gb2312_with_low_glyph_ids(settings, tmp_path):
    settings.FONT_CACHE_DIR = tmp_path
    assert not fonts.is_current(BODY)
    path = fonts.build(BODY)
    font = TTFont(path)
    cmap = font.getBestCmap()
    assert font["maxp"].numGlyphs < 8000  # GB 2312's 7,445 characters plus ASCII and punctuation
    for ch in "最低生活保障申请受理通知书〔〕：，。—0123456789ABC":
        assert ord(ch) in cmap, ch
    assert 0x20BB7 not in cmap  # 𠮷 is not GB 2312: it falls through to the system faces
    assert fonts.is_current(BODY)


def test_changed_version_rebuilds(settings, tmp_path, monkeypatch):
    settings.FONT_CACHE_DIR = tmp_path
    fonts.build(BODY)
    monkeypatch.setattr(fonts, "VERSION", fonts.VERSION + 1)
    assert not fonts.is_current(BODY)


def test_missing_copies_are_a_warning(settings, tmp_path):
    settings.FONT_CACHE_DIR = tmp_path
    warning = {e.id: e for e in checks.renderer_dependencies(None)}["documents.W003"]
    assert "WJZ Body" in warning.msg and "WJZ Title" in warning.msg
    assert "build_fonts" in warning.hint
    context = fonts.css_context()
    assert context["font_faces"] == [] and context["body_fonts"].startswith('"AR PL UKai CN"')


def sample_notice(kind: str = "acceptance", addressee: str | None = None) -> Notice:
    info = KINDS[kind]
    return Notice(
        kind=kind,
        issuer=Issuer(name="长丰县民政局", number_prefix="皖长民", phone="0551-66710001"),
        word=info.word,
        year=2026,
        seq=1,
        number=format_number("皖长民", info.word, 2026, 1),
        title=info.title,
        addressee_name=addressee or sample_addressee(kind),
        context=sample_context(kind),
        issued_on=date(2026, 11, 28),
    )


def pdffonts(pdf: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_one_page_notice_uses_the_copies_and_is_small():
    """`make install` builds the copies; without them this notice is ~140 KB."""
    assert fonts.available() == list(fonts.SPECS), "请先运行 python manage.py build_fonts"
    pdf = render_notice_pdf(sample_notice())
    listed = pdffonts(pdf)
    assert "WJZ-Body" in listed and "WJZ-Title" in listed
    assert "Noto" not in listed and "UKai" not in listed
    assert len(pdf) <= 120 * 1024, f"{len(pdf) / 1024:.1f} KB"


@pytest.mark.parametrize("name", ["𠮷野家", "王堃"])
def test_characters_outside_gb2312_still_print(name):
    pdf = render_notice_pdf(sample_notice(addressee=name))
    assert f"{name}：" in pdf_text(pdf)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_sample_notice_needs_only_the_compact_faces(kind):
    """The charset covers what our templates and sample texts print (a missing symbol, such as
    the 间隔号 · before VERSION 2, pulls a whole system face back in)."""
    faces = {row.split()[0].split("+", 1)[1] for row in pdffonts(render_notice_pdf(sample_notice(kind))).splitlines()[2:]}
    assert faces == {"WJZ-Body", "WJZ-Title-Bold"}
