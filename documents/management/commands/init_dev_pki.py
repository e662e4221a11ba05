"""Make a DEVELOPMENT-ONLY certificate authority and one signing certificate per issuer.

These certificates let the demo and the tests sign notices (PAdES) and verify them. They are
not valid for real documents: production configures each Issuer's certificate_path/key_path
with certificates from a recognised CA and lists its roots in settings.NOTICE_TRUST_ROOTS.
"""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

from documents.models import Issuer
from documents.signing import DEV_PKI_DIR, resolve
from workflows.core.data import anhui
from workflows.core.models import Region

DEV_MARK = "仅供开发测试，不得用于正式文书"
CA_YEARS, ISSUER_YEARS = 10, 3


def demo_issuers() -> list[Issuer]:
    """Issuers of the demo data: each demo county's civil-affairs bureau and its first township.

    Prefixes: 皖 + the county's first character + 民 (长丰县民政局 → 皖长民), and for the
    township 皖 + county + township first characters (长丰县水湖镇人民政府 → 皖长水).
    Regions not loaded yet (seed_demo not run) are skipped.
    """
    made = []
    for county_code, (_, townships) in anhui.DEMO_COUNTIES.items():
        township_code = townships[0][0] + "000"
        regions = Region.objects.in_bulk([county_code, township_code])
        county, township = regions.get(county_code), regions.get(township_code)
        if county is not None:
            made.append(_demo_issuer(f"皖{county.name[0]}民", county, f"{county.name}民政局", demo_phone(county_code, 1)))
        if county is not None and township is not None:
            made.append(_demo_issuer(f"皖{county.name[0]}{township.name[0]}", township, f"{county.name}{township.name}人民政府", demo_phone(county_code, 2)))
    # Each demo city's bureau: it answers 复核 of petitions (信访工作条例 art 36).
    for city in Region.objects.filter(code__in=sorted({c[:4].ljust(12, "0") for c in anhui.DEMO_COUNTIES})):
        made.append(_demo_issuer(f"皖{city.name[0]}市民", city, f"{city.name}民政局", demo_phone(city.code, 9)))
    return made


# Area codes of the demo counties' cities (合肥 0551, 阜阳 0558); the numbers are made up.
DEMO_AREA_CODES = {"3401": "0551", "3412": "0558"}


def demo_phone(county_code: str, n: int) -> str:
    return f"{DEMO_AREA_CODES.get(county_code[:4], '0551')}-66{county_code[4:6]}{n:04d}"


def _demo_issuer(prefix: str, region, name: str, phone: str) -> Issuer:
    issuer, _ = Issuer.objects.get_or_create(number_prefix=prefix, defaults={"region": region, "name": name, "phone": phone})
    if not issuer.phone:  # registered before issuers had a telephone
        issuer.phone = phone
        issuer.save(update_fields=["phone"])
    return issuer


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEV_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    # Signers need non-repudiation (content commitment): pyHanko's default for PDF signatures.
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(subject, issuer_name, public_key, signing_key, *, years: int, ca: bool):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_key_usage(signer=not ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(signing_key, hashes.SHA256())


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write_key(path: Path, key) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    path.chmod(0o600)


def _pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _stored(path: Path) -> str:
    """Store paths inside the project relative to it, so a moved checkout keeps working."""
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path.resolve())


class Command(BaseCommand):
    help = "仅供开发测试：创建开发用 CA 和每个发文机关的签名证书（var/pki/），并写入发文机关的证书路径。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(DEV_PKI_DIR), help="证书目录（默认 var/pki/）")

    def handle(self, *args, dir, **options):
        directory = Path(dir)
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)
        self.stdout.write(
            self.style.WARNING(f"注意：以下均为开发测试证书（{DEV_MARK}）。生产环境请为发文机关配置正式证书，并在 NOTICE_TRUST_ROOTS 中列出其根证书。")
        )
        ca_key, ca_cert = self.ca(directory)
        if not Issuer.objects.exists():
            for issuer in demo_issuers():
                self.stdout.write(f"创建演示发文机关：{issuer.name}（{issuer.number_prefix}）")
        elif Issuer.objects.filter(phone="").exists():
            # A database made before issuers had a telephone: the demo issuers get theirs.
            prefixes = {i.number_prefix for i in Issuer.objects.filter(phone="")}
            for issuer in demo_issuers():
                if issuer.number_prefix in prefixes:
                    self.stdout.write(f"补充演示发文机关联系电话：{issuer.name} {issuer.phone}")
        for issuer in Issuer.objects.order_by("pk"):
            self.issuer_certificate(directory, issuer, ca_key, ca_cert)

    def ca(self, directory: Path):
        cert_path, key_path = directory / "dev-ca.pem", directory / "dev-ca.key"
        if cert_path.exists() and key_path.exists():
            self.stdout.write(f"开发 CA 已存在：{cert_path}")
            return serialization.load_pem_private_key(key_path.read_bytes(), None), x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = _new_key()
        name = _name("皖救助开发测试根证书", "皖救助（开发环境）")
        cert = _certificate(name, name, key.public_key(), key, years=CA_YEARS, ca=True)
        _write_key(key_path, key)
        cert_path.write_bytes(_pem(cert))
        self.stdout.write(self.style.SUCCESS(f"已创建开发 CA：{cert_path}"))
        return key, cert

    def issuer_certificate(self, directory: Path, issuer: Issuer, ca_key, ca_cert) -> None:
        cert_path, key_path = directory / f"issuer-{issuer.pk}.pem", directory / f"issuer-{issuer.pk}.key"
        if issuer.certificate_path and resolve(issuer.certificate_path) != cert_path.resolve():
            self.stdout.write(f"跳过 {issuer.name}：已配置其他证书 {issuer.certificate_path}")
            return
        if cert_path.exists() and key_path.exists() and self.current(cert_path, ca_cert, issuer):
            self.stdout.write(f"{issuer.name}：证书已存在")
        else:
            key = _new_key()
            cert = _certificate(_name(issuer.name, issuer.name), ca_cert.subject, key.public_key(), ca_key, years=ISSUER_YEARS, ca=False)
            _write_key(key_path, key)
            # Signer's certificate first, then the chain: signing embeds both.
            cert_path.write_bytes(_pem(cert) + _pem(ca_cert))
            self.stdout.write(self.style.SUCCESS(f"{issuer.name}：已生成开发证书 {cert_path}"))
        issuer.certificate_path, issuer.key_path = _stored(cert_path), _stored(key_path)
        issuer.save(update_fields=["certificate_path", "key_path"])

    @staticmethod
    def current(cert_path: Path, ca_cert, issuer: Issuer) -> bool:
        """Reuse a certificate only if this CA issued it to this issuer's name (a deleted
        dev-ca.* or another database's issuer with the same id gets a new one)."""
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        try:
            cert.verify_directly_issued_by(ca_cert)
        except (ValueError, TypeError, InvalidSignature):
            return False
        return bool(names) and names[0].value == issuer.name
