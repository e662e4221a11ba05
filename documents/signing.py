"""PAdES signatures on notices, and their validation.

Signatures follow PAdES baseline B-B (ETSI EN 319 142-1): a CMS signature with the signing
certificate attribute, SHA-256, no timestamp (no TSA is reachable offline; B-T needs one).
They are certification signatures that allow no changes (ISO 32000-1 §12.8.2.2 DocMDP P=1),
because a signed notice is final: a correction is a new notice.

Keys and certificates are PEM files named on the Issuer. In development `init_dev_pki`
makes them under var/pki/ with a development CA; production points the Issuer at its own
files and lists its CA certificates in settings.NOTICE_TRUST_ROOTS.
"""

import io
import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

DEV_PKI_DIR = Path(settings.BASE_DIR) / "var" / "pki"
SIGNATURE_FIELD = "签发"
# Room for the CMS blob (an RSA-2048 signature, two certificates, signed attributes is ~3 KB).
# Fixing it saves pyHanko a dummy signing pass to estimate the size.
SIGNATURE_BYTES_RESERVED = 8192
SAMPLE_SIGNER_NAME = "系统演示签发"


class SigningNotConfigured(Exception):
    """The issuer has no certificate or key configured (run init_dev_pki in development)."""


def resolve(path: str) -> Path:
    """Paths stored on an Issuer may be relative to the project directory."""
    p = Path(path)
    return p if p.is_absolute() else Path(settings.BASE_DIR) / p


class PreloadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses its private key again for every signature, which for
    RSA-2048 (parsing checks the key's consistency) costs ~40 ms; this one parses it once."""

    def __init__(self, *, key, **kwargs):
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15":
            return self._key.sign(data, PKCS1v15(), hash_algo)
        if mechanism == "ecdsa":
            return self._key.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


@lru_cache(maxsize=64)
def _load_signer(cert_path: str, key_path: str, _cert_mtime: float, _key_mtime: float) -> signers.SimpleSigner:
    # Keyed on the files' mtimes so that re-issued certificates are picked up without a restart.
    certs = list(load_certs_from_pemder([cert_path]))
    key_pem = Path(key_path).read_bytes()
    # The certificate file holds the signer's certificate first, then its chain (embedded
    # in the signature so that a reader can build the path to the root).
    return PreloadedKeySigner(
        key=serialization.load_pem_private_key(key_pem, password=None),
        signing_cert=certs[0],
        signing_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(certs[1:]),
    )


def signer_for(issuer) -> signers.SimpleSigner:
    if not issuer.certificate_path or not issuer.key_path:
        raise SigningNotConfigured(f"发文机关“{issuer.name}”未配置签名证书（开发环境请运行 python manage.py init_dev_pki）")
    cert, key = resolve(issuer.certificate_path), resolve(issuer.key_path)
    try:
        return _load_signer(str(cert), str(key), os.path.getmtime(cert), os.path.getmtime(key))
    except FileNotFoundError as exc:
        raise SigningNotConfigured(f"发文机关“{issuer.name}”的签名证书文件不存在：{exc.filename}") from exc


def sign_pdf(pdf_bytes: bytes, issuer, reason: str, signer_name: str) -> bytes:
    """Sign a rendered notice with the issuer's certificate: PAdES B-B, certification, no changes."""
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=signer_name,
        location=issuer.name,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    out = signers.sign_pdf(writer, meta, signer=signer_for(issuer), bytes_reserved=SIGNATURE_BYTES_RESERVED)
    return out.getvalue()


def trust_root_paths() -> list[Path]:
    return [resolve(str(p)) for p in getattr(settings, "NOTICE_TRUST_ROOTS", [DEV_PKI_DIR / "dev-ca.pem"])]


def load_trust_roots(paths=None) -> list[x509.Certificate]:
    """The CA certificates a notice signature must chain to (settings.NOTICE_TRUST_ROOTS)."""
    paths = [str(p) for p in (paths if paths is not None else trust_root_paths()) if Path(p).exists()]
    return list(load_certs_from_pemder(paths)) if paths else []


def _common_name(cert: x509.Certificate) -> str:
    return cert.subject.native.get("common_name", "") or cert.subject.human_friendly


def validate_pdf(pdf_bytes: bytes, trust_roots=None) -> dict:
    """Check a notice's signature with pyHanko's validator against the trust roots.

    valid: intact, trusted, and nothing changed after signing; intact: the signed bytes still
    hash to the signed digest. signer: the person named in the signature (签发人), else the
    certificate holder; signed_at: the time the signer claims (B-B carries no timestamp).
    """
    roots = load_trust_roots() if trust_roots is None else list(trust_roots)
    result = {"valid": False, "intact": False, "signer": "", "certificate": "", "signed_at": None, "message_cn": ""}
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return {**result, "message_cn": "文件未签名"}
        embedded = signatures[-1]
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
    except Exception:
        return {**result, "message_cn": "文件已损坏，无法验证签名"}
    name = str(embedded.sig_object.get("/Name", "") or "")
    result.update(
        valid=status.bottom_line,
        intact=status.intact,
        certificate=_common_name(status.signing_cert),
        signer=name or _common_name(status.signing_cert),
        signed_at=status.signer_reported_dt if isinstance(status.signer_reported_dt, datetime) else None,
    )
    if not status.intact or not status.valid:
        message = "签名无效：文件在签发后被改动"
    elif not status.trusted:
        message = "签名完整，但签名证书不是受信任的发文机关证书"
    elif not status.bottom_line:
        message = "签名无效：签发后文件被追加修改"
    else:
        message = "签名有效：文件自签发后未被改动，签名证书可信"
    result["message_cn"] = message
    return result
