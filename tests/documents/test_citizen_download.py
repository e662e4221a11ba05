"""Citizen download by 文号 + 查询码: the right pair only, no hint that a number exists, a wait."""

import re
import time

import pytest

from documents import citizen
from tests.factories import make_regions, make_user
from workflows.core.models import AuditLog
from workflows.core.shared_cache import shared_cache as cache

from .notice_helpers import HOSTILE_NAMES, issue, make_issuer, sign, use_small_pdfs

URL = "/notices/download"


@pytest.fixture
def notice(db, monkeypatch, settings):
    settings.NOTICE_DOWNLOAD_MAX_TRIES = 3
    cache.clear()  # counters from other tests (CI's cache is a shared Redis)
    use_small_pdfs(monkeypatch)
    make_regions()
    signed = sign(issue(make_issuer(), "approval:1"), make_user("leader"))
    yield signed
    cache.clear()


def post(client, number, code, ip="10.0.0.1"):
    return client.post(URL, {"number": number, "code": code}, REMOTE_ADDR=ip)


def page(response) -> str:
    """The page without its per-response CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def without_input(html: str) -> str:
    """The page without what was typed (the form gives it back)."""
    return re.sub(r' value="[^"]*"', "", html)


def test_form_is_shown_in_chinese(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "文号" in response.content.decode() and "查询码" in response.content.decode()


def test_right_pair_downloads_the_stored_file(client, notice):
    response = post(client, notice.number, notice.access_code.lower())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == notice.pdf.open("rb").read()
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Chinese title, RFC 6266
    log = AuditLog.objects.get(action="citizen_download")
    assert (log.user, log.object_type, log.object_id) == (None, "notice", str(notice.pk))


@pytest.mark.parametrize("left, right", [("[", "]"), ("(", ")"), ("（", "）"), ("［", "］"), ("【", "】"), ("〔", "〕")])
def test_any_brackets_in_the_number_are_accepted(client, notice, left, right):
    typed = notice.number.replace("〔", left).replace("〕", right)
    assert post(client, typed, notice.access_code).status_code == 200


def test_full_width_digits_and_spaces_are_accepted(client, notice):
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    typed = " " + notice.number.replace("〔", "（ ").replace("〕", "）　").translate(full_width) + " "
    code = " ".join(notice.access_code.lower()).translate(full_width)
    response = post(client, typed, code)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_form_keeps_what_was_typed_after_a_failure(client, notice):
    typed = notice.number.replace("〔", "(").replace("〕", ")")
    html = page(post(client, typed, "ZZZZZZZZ"))
    assert "文号或查询码不正确" in html
    assert f'value="{typed}"' in html and 'value="ZZZZZZZZ"' in html


def test_wrong_code_and_unknown_number_get_the_same_answer(client, notice):
    wrong_code = post(client, notice.number, "ZZZZZZZZ", ip="10.0.0.2")
    unknown = post(client, "水政救决字〔2026〕999号", notice.access_code, ip="10.0.0.3")
    assert wrong_code.status_code == unknown.status_code == 200
    assert without_input(page(wrong_code)) == without_input(page(unknown))
    assert "文号或查询码不正确" in page(unknown)
    assert notice.addressee_name not in page(wrong_code) and notice.title not in page(wrong_code)
    assert not AuditLog.objects.filter(action="citizen_download").exists()


def test_unsigned_notice_says_it_is_being_signed_to_its_addressee_only(client, db, monkeypatch):
    cache.clear()
    use_small_pdfs(monkeypatch)
    make_regions()
    draft = issue(make_issuer(), "approval:draft")
    # The right pair: not "wrong code", but when it can be downloaded; and no file yet.
    right = post(client, draft.number, draft.access_code)
    assert right.status_code == 200 and right["Content-Type"].startswith("text/html")
    assert citizen.NOT_YET_SIGNED in page(right) and "文号或查询码不正确" not in page(right)
    # A wrong code learns nothing about the draft.
    assert "文号或查询码不正确" in page(post(client, draft.number, "ZZZZZZZZ"))
    assert not AuditLog.objects.filter(action="citizen_download").exists()
    # Once signed, the same pair downloads the signed file.
    signed = sign(draft, make_user("leader"))
    response = post(client, signed.number, signed.access_code)
    assert response.status_code == 200 and b"".join(response.streaming_content) == signed.pdf.open("rb").read()


def test_notice_not_addressed_to_a_citizen_is_never_downloadable(client, notice):
    roster = sign(issue(notice.issuer, "roster:1", kind="roster"), notice.signed_by)
    assert not roster.kind_info.citizen
    for code in ["", roster.access_code, notice.access_code]:
        response = post(client, roster.number, code or "AAAAAAAA")
        assert response.status_code == 200 and "文号或查询码不正确" in page(response)


def test_after_n_failures_even_the_right_code_waits(client, notice, monkeypatch):
    for _ in range(3):
        assert post(client, notice.number, "ZZZZZZZZ").status_code == 200
    blocked = post(client, notice.number, notice.access_code)
    assert blocked.status_code == 429
    assert "尝试次数过多，请 15 分钟后再试" in page(blocked)

    # Another address with the right code is not held up by this one's failures.
    assert post(client, notice.number, notice.access_code, ip="10.9.9.9").status_code == 200
    # Per address: this client may not move on to guessing other numbers.
    assert post(client, "水政救决字〔2026〕5号", "ZZZZZZZZ").status_code == 429

    later = time.time() + citizen.WINDOW_SECONDS + 1
    monkeypatch.setattr(citizen.time, "time", lambda: later)
    assert post(client, notice.number, notice.access_code).status_code == 200


def test_wait_message_counts_down_in_minutes(client, notice, monkeypatch):
    # From now, not a fixed instant: the database cache (no Redis) dates its entries by this
    # clock and expires them by the real one.
    clock = [time.time()]
    monkeypatch.setattr(citizen.time, "time", lambda: clock[0])
    for _ in range(3):
        post(client, "水政救决字〔2026〕77号", "ZZZZZZZZ")
    clock[0] += 11 * 60
    assert "请 4 分钟后再试" in page(post(client, "水政救决字〔2026〕77号", "ZZZZZZZZ"))


@pytest.mark.parametrize("raw, escaped", HOSTILE_NAMES)
def test_what_was_typed_comes_back_as_text(client, db, raw, escaped):
    # An empty code: the form is shown again with the number as typed.
    html = client.post(URL, {"number": raw, "code": ""}).content.decode()
    assert escaped in html
    assert raw == escaped or raw not in html


def test_strangers_guessing_a_number_cannot_lock_its_addressee_out(client, notice, settings):
    settings.NOTICE_DOWNLOAD_MAX_NUMBER_FAILURES = 6
    # Many addresses, each under its own limit, guess at the (sequential) number.
    for n in range(6):
        assert post(client, notice.number, "ZZZZZZZZ", ip=f"10.1.0.{n}").status_code == 200
    # The number is now over its count: the next stranger's failure makes that stranger wait ...
    assert post(client, notice.number, "ZZZZZZZZ", ip="10.1.1.1").status_code == 200
    assert post(client, notice.number, "YYYYYYYY", ip="10.1.1.1").status_code == 429
    # ... even with the right code: a throttled client is throttled.
    assert post(client, notice.number, notice.access_code, ip="10.1.1.1").status_code == 429
    # The addressee, from an address of their own, still gets the notice with the right code.
    response = post(client, notice.number, notice.access_code, ip="10.2.0.1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Other numbers are not affected: an address's first failure there is only counted.
    assert post(client, "水政救决字〔2026〕5号", "ZZZZZZZZ", ip="10.2.0.2").status_code == 200
    assert post(client, "水政救决字〔2026〕5号", "ZZZZZZZZ", ip="10.2.0.2").status_code == 200
