"""Compact copies of the notice fonts, made once per machine by `manage.py build_fonts`.

WeasyPrint 70 subsets embedded fonts with HarfBuzz keeping glyph ids (RETAIN_GIDS): a subset
keeps an empty slot for every glyph id below its highest one. The simplified-Chinese glyphs of
Noto Serif CJK sit at ids 30,000–65,000 and UKai's at up to 26,000, so a one-page notice carried
~135 KB of mostly empty font tables (a notice should stay within 120 KB). Here each face is cut down with
fontTools to the GB 2312 repertoire (6,763 hanzi and 682 symbols, which covers nearly every
notice), ASCII and the CJK punctuation blocks, and its glyphs renumbered from 1; the highest
glyph id falls to ~7,600 and the notice to a fraction of the size. Characters outside that set
(rare name characters such as 𠮷 or 堃) fall through the CSS font list to the full system faces,
so nothing prints as a box; only such a notice is larger.

The copies live in FONT_CACHE_DIR (default var/fonts) and are never committed: they are derived
from the Debian packages' files, whose licences (Arphic Public License, SIL OFL) allow it.
"""

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class FontSpec:
    key: str  # the @font-face family name is f"WJZ {key}"
    source: str  # fontconfig pattern of the system face it is cut from
    suffix: str


SPECS = (
    FontSpec("Body", "AR PL UKai CN", ".ttf"),
    FontSpec("Title", "Noto Serif CJK SC:style=Bold", ".otf"),
)


def cache_dir() -> Path:
    return Path(getattr(settings, "FONT_CACHE_DIR", settings.BASE_DIR / "var" / "fonts"))


def family(spec: FontSpec) -> str:
    return f"WJZ {spec.key}"


def derived_path(spec: FontSpec) -> Path:
    return cache_dir() / f"wjz-{spec.key.lower()}{spec.suffix}"


def _manifest_path(spec: FontSpec) -> Path:
    return derived_path(spec).with_suffix(".json")


def system_face(pattern: str) -> tuple[str, int] | None:
    """(file, index in a .ttc) of the face fontconfig picks for `pattern`, if it is that family."""
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", pattern], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = out.split("\n")
    if len(lines) < 3 or pattern.split(":")[0] not in lines[2].split(","):
        return None
    return lines[0], int(lines[1] or 0)


def charset() -> set[int]:
    """GB 2312 (both levels and its symbol rows), ASCII and Latin-1 (· × ° § in names and
    amounts; Python's codec maps GB 2312's 间隔号 to U+30FB, while texts use U+00B7), General
    Punctuation, CJK Symbols and Punctuation, and the full-width forms."""
    code_points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFF60))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                code_points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return code_points


# Bump when charset() or the subsetting options change, so that `build_fonts` remakes the copies.
VERSION = 2


def _source_stamp(face: tuple[str, int]) -> dict:
    stat = os.stat(face[0])
    return {"version": VERSION, "file": face[0], "index": face[1], "size": stat.st_size, "mtime": int(stat.st_mtime)}


def is_current(spec: FontSpec) -> bool:
    face = system_face(spec.source)
    if face is None or not derived_path(spec).exists() or not _manifest_path(spec).exists():
        return False
    try:
        return json.loads(_manifest_path(spec).read_text()) == _source_stamp(face)
    except (OSError, ValueError):
        return False


def build(spec: FontSpec) -> Path:
    """Cut `spec`'s system face down to `charset()`; written atomically, so that a worker never
    reads half a file."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    face = system_face(spec.source)
    if face is None:
        raise FileNotFoundError(f"未找到系统字体“{spec.source}”")
    font = TTFont(face[0], fontNumber=face[1])
    options = subset.Options()
    # No OpenType layout features: the SC face's cmap already maps to simplified forms, and
    # keeping 'locl'/'vert' would pull the other regions' glyphs back in.
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge timestamps; fontTools cannot subset them
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=charset())
    subsetter.subset(font)
    target = derived_path(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=spec.suffix, delete=False) as tmp:
        font.save(tmp)
    os.replace(tmp.name, target)
    _manifest_path(spec).write_text(json.dumps(_source_stamp(face)))
    return target


def available() -> list[FontSpec]:
    """The compact faces present on this machine (the CSS declares only these)."""
    return [spec for spec in SPECS if derived_path(spec).exists()]


def css_context() -> dict:
    """Template context of notice.css: the @font-face rules of the compact faces present and
    the font lists that put them first, before the full system faces they were cut from."""
    present = {spec.key for spec in available()}
    body = (["WJZ Body"] if "Body" in present else []) + ["AR PL UKai CN", "Noto Serif CJK SC"]
    title = (["WJZ Title"] if "Title" in present else []) + ["Noto Serif CJK SC"]
    return {
        "font_faces": [
            {"family": family(spec), "url": derived_path(spec).resolve().as_uri(), "weight": "bold" if spec.key == "Title" else "normal"}
            for spec in available()
        ],
        "body_fonts": ", ".join(f'"{name}"' for name in body),
        "title_fonts": ", ".join(f'"{name}"' for name in title),
    }
