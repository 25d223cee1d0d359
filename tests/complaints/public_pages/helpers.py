"""Helpers shared by the tests of the report centre's public pages."""

from __future__ import annotations

import re
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import services
from complaints.models import Report
from tests.factories import DepartmentFactory, UserFactory

NEW = "/reports/new/"
DONE = "/reports/new/done/"
TRACK = "/reports/track/"
BOARD = "/praise/"


def form_data(department, /, **changes) -> dict:
    data = {
        "kind": "praise",
        "department": str(department.pk),
        "official_name": "김친절",
        "incident_on": timezone.localdate().isoformat(),
        "channel": "visit",
        "text": "서류 발급을 끝까지 친절하게 도와주셨습니다.",
        "reporter_name": "홍길동",
        "reporter_phone": "",
        "reporter_email": "",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def png_bytes() -> bytes:
    """A real 1x1 PNG: signature, IHDR, IDAT and IEND chunks with their checksums."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def png(name="photo.png", padding=0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() + b"\x00" * padding, content_type="image/png")


def submit(**changes):
    """A report stored through the service, as the form would store it."""
    data = {
        "kind": Report.Kind.PRAISE,
        "department": DepartmentFactory(),
        "official_name": "",
        "incident_on": timezone.localdate(),
        "channel": Report.Channel.VISIT,
        "text": "친절하게 도와주셔서 감사했습니다.",
        "reporter_name": "홍길동",
        "reporter_phone": "",
    }
    data.update(changes)
    return services.report_submit(**data)


def shared_praise(*, public_text: str, official=None, **changes) -> Report:
    officer = UserFactory()
    report = submit(official=official, **changes).report
    services.report_verify(report=report, by=officer)
    return services.report_share(report=report, by=officer, public_text=public_text)


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
