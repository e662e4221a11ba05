"""Helpers shared by test modules (fixtures live in conftest.py and tests/personas.py)."""

import os
import subprocess
from pathlib import Path


def pdf_text(pdf, *, layout: bool = False) -> str:
    """The text poppler's pdftotext reads from a PDF: bytes, a path, or a stored file (Notice.pdf).
    `layout` keeps the page's physical layout (columns side by side on one line)."""
    if isinstance(pdf, str | os.PathLike):
        data = Path(pdf).read_bytes()
    elif hasattr(pdf, "open"):
        with pdf.open("rb") as handle:
            data = handle.read()
    else:
        data = pdf
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()
