"""Files attached on the report form."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from complaints.models import Attachment, Report
from tests.complaints.public_pages.helpers import NEW, form_data, png, png_bytes


def test_a_real_png_is_stored_with_the_type_read_from_its_content(client, department, settings):
    response = client.post(NEW, {**form_data(department), "attachments": [png("사진.png")]})

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "사진.png"
    assert attachment.file.read() == png_bytes()
    assert str(settings.MEDIA_ROOT) in attachment.file.path


def test_three_files_of_5_mb_each_are_accepted(client, department):
    files = [png(f"p{i}.png", padding=5 * 1024 * 1024 - len(png_bytes())) for i in range(3)]

    response = client.post(NEW, {**form_data(department), "attachments": files})

    assert response.status_code == 302
    assert Attachment.objects.count() == 3


def test_a_png_named_jpg_is_stored_as_png(client, department):
    client.post(NEW, {**form_data(department), "attachments": [png("photo.jpg")]})

    assert Attachment.objects.get().content_type == "image/png"


def test_a_pdf_is_accepted(client, department):
    pdf = SimpleUploadedFile(
        "letter.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    )

    client.post(NEW, {**form_data(department), "attachments": [pdf]})

    assert Attachment.objects.get().content_type == "application/pdf"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile(
            "photo.jpg", b"<script>alert(1)</script> just text", content_type="image/jpeg"
        ),
        SimpleUploadedFile(
            "run.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
        ),
        SimpleUploadedFile("empty.png", b"", content_type="image/png"),
    ],
    ids=["text-named-jpg", "program", "empty"],
)
def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(
    client, department, upload
):
    response = client.post(NEW, {**form_data(department), "attachments": [upload]})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["attachments"]
    assert Report.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_four_files_are_refused(client, department):
    response = client.post(
        NEW, {**form_data(department), "attachments": [png(f"p{i}.png") for i in range(4)]}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["attachments"]
    assert Report.objects.count() == 0


def test_a_file_one_byte_over_5_mb_is_refused(client, department):
    big = png("big.png", padding=5 * 1024 * 1024 + 1 - len(png_bytes()))

    response = client.post(NEW, {**form_data(department), "attachments": [big]})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["attachments"]
    assert Report.objects.count() == 0


def test_after_an_error_the_form_says_chosen_files_must_be_chosen_again(client, department):
    response = client.post(NEW, {**form_data(department, consent=None), "attachments": [png()]})

    assert response.status_code == 400
    assert response.context["files_dropped"] is True
    assert (
        gettext(
            "Browsers do not keep chosen files when a form is shown again: please choose your attachments again."
        )
        in response.content.decode()
    )
