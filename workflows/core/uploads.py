"""What every strict file import shares (DESIGN §4.5, §4.6): the errors of a file, listed in
reading order (the first 50, the rest counted), and one pass that fingerprints the upload and
picks its encoding."""

import codecs
import hashlib

from django.core.exceptions import ValidationError

MAX_LISTED_ERRORS = 50
READ_SIZE = 1 << 20


class RowErrors:
    """A file's errors in reading order: the first MAX_LISTED_ERRORS kept, all counted.

    Each error carries its row and its place among a row's checks (an integer the importer
    defines), so that errors found while reading and errors found by the database merge into
    the order a reader of the file expects."""

    def __init__(self, title: str):
        self.title, self.count = title, 0
        self.kept: list[tuple[int, int, str]] = []

    def add(self, row: int, check: int, message: str) -> None:
        self.count += 1
        if len(self.kept) < MAX_LISTED_ERRORS:
            self.kept.append((row, check, message))

    def merge(self, other: "RowErrors") -> None:
        self.kept = sorted(self.kept + other.kept)[:MAX_LISTED_ERRORS]
        self.count += other.count

    def raise_if_any(self, last: str | None = None) -> None:
        if not self.count and last is None:
            return
        shown = [message for _, _, message in self.kept]
        total = self.count + (last is not None)
        if last is not None and len(shown) < MAX_LISTED_ERRORS:
            shown.append(last)
        more = f"\n……另有{total - len(shown)}处错误" if total > len(shown) else ""
        raise ValidationError(f"{self.title}有误，未导入任何数据：\n" + "\n".join(shown) + more)


def digest_and_encoding(stream) -> tuple[str, str]:
    """One pass over the upload: its SHA-256, and the encoding to read it in (UTF-8 when every
    byte decodes as UTF-8, else GB18030). The stream is left at its start."""
    digest, decoder, utf8 = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")(), True
    for chunk in iter(lambda: stream.read(READ_SIZE), b""):
        digest.update(chunk)
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    stream.seek(0)
    return digest.hexdigest(), "utf-8-sig" if utf8 else "gb18030"
