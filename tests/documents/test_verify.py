"""Public verification page /verify/<token>: no login, masked data."""

import pytest
from django.urls import reverse

from documents import services
from documents.models import Notice

from .pki import ID_NUMBER, PASSWORD, notice, pki, township_issuer  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def page(client, notice):
    return client.get(reverse("documents:verify", args=[notice.verify_token]))


def test_signed_notice_verifies_intact_and_valid(client, notice, principal):
    services.sign_notice(notice, principal, PASSWORD)
    notice = Notice.objects.get(pk=notice.pk)
    response = page(client, notice)
    html = response.content.decode()
    assert response.status_code == 200
    day = notice.issued_on
    for part in (notice.number, "长丰县水湖镇人民政府", f"{day.year}年{day.month}月{day.day}日", notice.sha256):
        assert part in html
    assert "存档文件完整" in html and "签名有效" in html and "王建国" in html
    assert "文件已被篡改" not in html


def test_verify_page_masks_the_addressee(client, notice):
    html = page(client, notice).content.decode()
    assert notice.masked_addressee in html and "张**" in html
    assert ID_NUMBER not in html and "张三丰" not in html
    assert "尚未签发" in html


def test_file_altered_by_one_byte_is_reported(client, notice, principal):
    services.sign_notice(notice, principal, PASSWORD)
    path = Notice.objects.get(pk=notice.pk).pdf.path
    with open(path, "r+b") as handle:
        handle.seek(400)
        byte = handle.read(1)
        handle.seek(400)
        handle.write(bytes([byte[0] ^ 0x01]))
    html = page(client, notice).content.decode()
    assert "文件已被篡改/不完整" in html and "存档文件完整" not in html
    assert "签名有效" not in html


def test_unknown_token_is_a_chinese_404(client, pki):
    response = client.get(reverse("documents:verify", args=["no-such-token"]))
    assert response.status_code == 404 and "未找到该文书" in response.content.decode()
