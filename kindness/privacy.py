"""Masking of personal data (SPEC section 8) and the access log of unmasked views.

`contact_shown` is the one way a page gets a person's contact: masked, or unmasked with an
access-log entry written for that view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kindness.clientaddr import client_address
from kindness.models import AccessLog
from kindness.phones import phone_normalize, phone_spans


def mask_name(name: str) -> str:
    """홍길동 → 홍*동, 김철 → 김*, 남궁민수 → 남**수; Latin names keep their first letter."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """010-1234-5678 → 010-****-5678 (also typed as +82-10-..., (010)...); any other form
    keeps only its last four digits."""
    phone = phone_normalize(phone or "") or (phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return ""
    match = re.fullmatch(r"(\d{2,4})-?(\d{3,4})-?(\d{4})", phone)
    if match:
        return f"{match[1]}-{'*' * len(match[2])}-{match[3]}"
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_email(email: str) -> str:
    """hong@example.com → h***@example.com."""
    email = (email or "").strip()
    if "@" not in email:
        return mask_name(email)
    local, domain = email.split("@", 1)
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


def access_log_record(*, request, action: str, obj) -> AccessLog:
    """Write who saw which object's personal data, when, and from where. Never the data."""
    return AccessLog.objects.create(
        user=request.user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        ip_address=client_address(request),
    )


def mask_phones_in_text(text: str) -> str:
    """Every phone-like run in free text masked, however it was typed (kindness.phones)."""
    out, at = [], 0
    for start, end in phone_spans(text):
        out += [text[at:start], mask_phone(text[start:end])]
        at = end
    return "".join(out) + text[at:]


@dataclass(frozen=True)
class Contact:
    """A person's contact as one viewer may see it."""

    name: str
    phone: str
    email: str
    masked: bool

    @property
    def present(self) -> bool:
        return bool(self.name or self.phone or self.email)


def contact_masked(*, name: str, phone: str, email: str = "") -> Contact:
    return Contact(mask_name(name), mask_phone(phone), mask_email(email), True)


def contact_shown(
    *, request, obj, action: str, unmasked: bool, name: str, phone: str, email: str = ""
) -> Contact:
    """The contact for this page: unmasked only when the caller decided this viewer acts on
    the case (`unmasked`), and then the view is written to the access log under `action`
    (nothing is logged when there is no data to see)."""
    if not unmasked:
        return contact_masked(name=name, phone=phone, email=email)
    contact = Contact(name, phone, email, False)
    if contact.present:
        access_log_record(request=request, action=action, obj=obj)
    return contact


def record_contact(
    obj, fields: tuple[str, str, str], *, action: str, unmasked: bool, request=None
) -> Contact:
    """contact_shown for the record `obj` that stores the name, phone and e-mail in its
    `fields`, in that order."""
    stored = {
        key: getattr(obj, field)
        for key, field in zip(("name", "phone", "email"), fields, strict=True)
    }
    return contact_shown(request=request, obj=obj, action=action, unmasked=unmasked, **stored)
