"""PAdES signatures on certificate PDFs, made with pyHanko when settings name a PKCS#12 key.

Indonesian ministries sign e-certificates electronically; a reader such as Acrobat then shows
who signed and that not a byte changed since. The demo makes its own key (`make_demo_key`),
which is never committed.
"""

import datetime
import functools
import io
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from django.conf import settings

# Room for the CMS signature, so pyHanko need not sign once more just to measure it.
SIGNATURE_BYTES = 8192


class KeptKeySigner(signers.SimpleSigner):
    """pyHanko's signer, holding the parsed RSA key instead of parsing it again for each signature.

    Parsing (and checking) a 2048-bit key costs about a hundred milliseconds a time: more than
    the rest of signing a certificate.
    """

    @functools.cached_property
    def private_key(self):
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        return self.private_key.sign(data, padding.PKCS1v15(), getattr(hashes, digest_algorithm.upper())())


@functools.cache
def _signer(path: str, passphrase: str) -> signers.SimpleSigner:
    """Loaded once per process and key."""
    loaded = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() or None)
    if loaded is None:
        raise ValueError(f"Could not read the signing key {path}")
    return KeptKeySigner(
        signing_cert=loaded.signing_cert, signing_key=loaded.signing_key, cert_registry=loaded.cert_registry
    )


def signing_configured() -> bool:
    return bool(settings.CERTIFICATE_SIGNING_KEY)


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with a PAdES-B-B signature added as an incremental update, or as it was without a key."""
    if not signing_configured():
        return pdf
    signer = _signer(str(settings.CERTIFICATE_SIGNING_KEY), settings.CERTIFICATE_SIGNING_PASSPHRASE)
    meta = signers.PdfSignatureMetadata(
        field_name="Tanda tangan",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.PdfSigner(meta, signer=signer).sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES).getvalue()


def make_demo_key(path: Path, *, passphrase: str, common_name: str) -> Path:
    """A self-signed RSA key and certificate in a PKCS#12 file, for the demo and the tests only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Balai (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"balai-demo", key, certificate, None, encryption))
    path.chmod(0o600)
    return path
