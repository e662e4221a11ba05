"""A demonstration seal drawn from the issuer's name, as inline SVG.

Laid out like an official round seal (《国务院关于国家行政机关和企业事业单位社会团体印章管理的规定》:
red ring, the body's name along the upper arc, a five-pointed star in the centre), but marked
"演示用章" under the star (the notice CSS draws it translucent): it must never pass for a real seal.
"""

import math
from functools import lru_cache

from django.utils.html import escape

from .fonts import css_context

RED = "#d8141e"


def _star(cx: float, cy: float, r: float) -> str:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382  # 0.382: the inner radius of a regular star
        angle = math.radians(-90 + i * 36)
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return f'<polygon points="{" ".join(points)}" fill="{RED}"/>'


@lru_cache(maxsize=64)
def seal_svg(name: str, size_mm: float = 42) -> str:
    """An SVG seal `size_mm` across (42 mm: the usual size of a county-level office seal)."""
    c, ring = 50.0, 47.0
    chars = list(name)
    # The name runs clockwise over the upper arc, wider for longer names (max 240°).
    span = min(240.0, 22.0 * len(chars) + 40)
    text_r = 36.0
    # Unquoted names: valid CSS for multi-word families, and safe inside the attribute.
    families = css_context()["title_fonts"].replace('"', "")
    glyphs = []
    for i, ch in enumerate(chars):
        angle = -90 - span / 2 + span * (i + 0.5) / len(chars)
        x = c + text_r * math.cos(math.radians(angle))
        y = c + text_r * math.sin(math.radians(angle))
        glyphs.append(
            f'<text x="{x:.2f}" y="{y:.2f}" transform="rotate({angle + 90:.2f} {x:.2f} {y:.2f})" '
            f'text-anchor="middle" dominant-baseline="central">{escape(ch)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" class="seal" '
        f'width="{size_mm}mm" height="{size_mm}mm">'
        f'<circle cx="{c}" cy="{c}" r="{ring}" fill="none" stroke="{RED}" stroke-width="2.6"/>'
        f'<g fill="{RED}" font-size="11" font-weight="bold" font-family="{families}">{"".join(glyphs)}</g>'
        f"{_star(c, c, 14)}"
        f'<text x="{c}" y="77" text-anchor="middle" fill="{RED}" font-size="7" font-weight="bold" font-family="{families}">演示用章</text>'
        "</svg>"
    )
