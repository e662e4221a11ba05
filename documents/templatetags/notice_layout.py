"""Template filters for the layout of notices."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def break_before(title: str, phrase: str):
    """A title that may wrap only before `phrase`, keeping both parts whole.

    GB/T 9704 §7.3.1: a title that needs two lines breaks where the words stay whole (词意完整);
    CJK text otherwise wraps at any character and can leave "要" of "纪要" alone on a line. Each
    part is kept on one line and the only break opportunity is between them, so a title that
    fits stays on one line.
    """
    title = str(title)
    at = title.find(phrase)
    if at <= 0:
        return format_html('<span class="keep">{}</span>', title)
    return format_html('<span class="keep">{}</span><wbr><span class="keep">{}</span>', title[:at], title[at:])
