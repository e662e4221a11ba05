"""Time added by signing a notice (target: signing adds ≤ 50 ms per notice).

    .venv/bin/python bench/bench_sign.py [--runs 30]

Self-contained: an in-memory SQLite database, a development PKI (init_dev_pki) and the media
files in a temporary directory. It issues one approval notice from the demo context
(documents.samples), renders it once per run and signs the rendered PDF with the issuer's
certificate (sign_pdf: PAdES B-B, RSA-2048, SHA-256), after a warm-up that loads fonts and the
signer. Reported: median sign time (the time added per notice), and as the baseline the median
render time of the same notice in the same run; also the size the signature adds and the
median time of validating the signature (the verification page does it per request).
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="wjz-bench-sign-"))
os.environ["DATABASE_URL"] = "sqlite:///:memory:"
os.environ["MEDIA_ROOT"] = str(TMP / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command

from documents import rendering, services, signing
from documents.models import Issuer
from documents.samples import sample_addressee, sample_context
from workflows.core.models import Region

TARGET_MS = 50


def setup_notice():
    call_command("migrate", verbosity=0)
    for code, name, level, parent in [
        ("340000000000", "安徽省", "province", None),
        ("340100000000", "合肥市", "city", "340000000000"),
        ("340121000000", "长丰县", "county", "340100000000"),
        ("340121100000", "水湖镇", "township", "340121000000"),
    ]:
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)
    settings.NOTICE_TRUST_ROOTS = [TMP / "pki" / "dev-ca.pem"]
    call_command("init_dev_pki", dir=str(TMP / "pki"), stdout=io.StringIO())
    issuer = Issuer.objects.get(region_id="340121100000")
    return services.issue_notice(
        kind="approval",
        issuer=issuer,
        case=None,
        case_key="bench:sign",
        addressee_name=sample_addressee("approval"),
        context=sample_context("approval"),
        region_code="340121100201",
    )


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if args.runs < 20:
        parser.error("--runs 至少 20")
    notice = setup_notice()
    signer = "王建国"
    sign = lambda pdf: signing.sign_pdf(pdf, notice.issuer, reason="签发批准决定书", signer_name=signer)  # noqa: E731
    render = lambda: rendering.render_notice_pdf(notice, signer_name=signer)  # noqa: E731

    pdf, first_render_s = timed(render)
    signing._load_signer.cache_clear()
    _, first_sign_s = timed(lambda: sign(pdf))  # includes loading the key and certificates once
    for _ in range(3):
        sign(render())
    render_s, sign_s, validate_s, sizes = [], [], [], []
    for _ in range(args.runs):
        pdf, seconds = timed(render)
        render_s.append(seconds)
        signed, seconds = timed(lambda pdf=pdf: sign(pdf))
        sign_s.append(seconds)
        result, seconds = timed(lambda signed=signed: signing.validate_pdf(signed))
        assert result["valid"], result
        validate_s.append(seconds)
        sizes.append((len(pdf), len(signed)))

    sign_ms = statistics.median(sign_s) * 1000
    render_ms = statistics.median(render_s) * 1000
    report = {
        "bench": "documents.sign_pdf",
        "runs": args.runs,
        "python": platform.python_version(),
        "notice": f"approval (one page: {notice.number})",
        "signature": "PAdES B-B, certification (no changes), RSA-2048, SHA-256, 8192 bytes reserved",
        "first_render_ms": round(first_render_s * 1000, 1),
        "first_sign_ms_with_key_loading": round(first_sign_s * 1000, 1),
        "baseline": "render_notice_pdf of the same notice in the same run",
        "render_median_ms": round(render_ms, 1),
        "sign_median_ms": round(sign_ms, 1),
        "sign_p90_ms": round(statistics.quantiles(sign_s, n=10)[-1] * 1000, 1),
        "sign_over_render_ratio": round(sign_ms / render_ms, 3),
        "validate_median_ms": round(statistics.median(validate_s) * 1000, 1),
        "unsigned_kb": round(sizes[-1][0] / 1024, 1),
        "signed_kb": round(sizes[-1][1] / 1024, 1),
        "target_added_ms": TARGET_MS,
        "meets_target": sign_ms <= TARGET_MS,
    }
    out = ROOT / "bench" / "results" / "sign.json"
    out.write_text(json.dumps(report, ensure_ascii=False) + "\n")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
