"""Attachments of a petition: a file is what its name says, or it is refused with its name."""

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
#: What each accepted extension must begin with, and the type it is stored as.
SIGNATURES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}


def sniff(upload) -> tuple[str, str, bytes]:
    """(name, content type, bytes) of an uploaded file whose content matches its extension."""
    name = (getattr(upload, "name", "") or "附件").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError({"attachments": f"附件“{name}”的格式不支持，请上传 PDF、JPG 或 PNG 文件"})
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise ValidationError({"attachments": f"附件“{name}”超过10MB，请压缩后再上传"})
    data = upload.read()
    if len(data) > MAX_BYTES:
        raise ValidationError({"attachments": f"附件“{name}”超过10MB，请压缩后再上传"})
    magic, content_type = SIGNATURES[extension]
    if not data.startswith(magic):
        raise ValidationError({"attachments": f"附件“{name}”的内容不是{extension.upper()}文件，与文件名不符，请检查后重新上传"})
    return name, content_type, data
