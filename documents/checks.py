"""`manage.py check`: the PDF renderer's system dependencies (DESIGN §2).

Without HarfBuzz-subset WeasyPrint falls back to fontTools and a one-page Chinese notice takes
seconds instead of ~0.1 s; without the CJK fonts notices print as empty boxes.
"""

import ctypes
import ctypes.util
import shutil
import subprocess

from django.core.checks import Error, Warning, register

from . import fonts as compact_fonts

# fontconfig family -> Debian package that provides it.
FONTS = {
    "AR PL UKai CN": "fonts-arphic-ukai",
    "Noto Serif CJK SC": "fonts-noto-cjk",
}


def harfbuzz_subset_loadable() -> bool:
    for name in filter(None, [ctypes.util.find_library("harfbuzz-subset"), "libharfbuzz-subset.so.0"]):
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def font_found(family: str) -> bool:
    if not shutil.which("fc-match"):
        return False
    result = subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True, timeout=10)
    return family in result.stdout.split(",")


@register()
def renderer_dependencies(app_configs, **kwargs):
    errors = []
    if not harfbuzz_subset_loadable():
        errors.append(
            Error(
                "无法加载 HarfBuzz 字体子集库，文书 PDF 生成将极慢。"
                " HarfBuzz-subset library (libharfbuzz-subset.so.0) cannot be loaded: PDF notices would take seconds each.",
                hint="sudo apt-get install libharfbuzz-subset0",
                id="documents.E001",
            )
        )
    for family, package in FONTS.items():
        if not font_found(family):
            errors.append(
                Error(
                    f"未找到中文字体“{family}”，文书将无法正确显示汉字。 CJK font '{family}' not found by fontconfig (fc-match).",
                    hint=f"sudo apt-get install {package} fontconfig",
                    id="documents.E002",
                )
            )
    missing = [compact_fonts.family(spec) for spec in compact_fonts.SPECS if spec not in compact_fonts.available()]
    if missing:
        errors.append(
            Warning(
                f"精简字体 {'、'.join(missing)} 尚未生成：文书仍可生成，但每份 PDF 会大一倍、慢约三成。"
                " Compact notice fonts not built: notices fall back to the full system fonts.",
                hint="python manage.py build_fonts（make install 会自动执行）",
                id="documents.W003",
            )
        )
    return errors
