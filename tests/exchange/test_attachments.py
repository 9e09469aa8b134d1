import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.audit.models import AuditEntry
from phoihop.core.errors import DomainError
from phoihop.exchange.attachments import Attachment, attachment_add
from phoihop.exchange.services import info_item_create
from tests.factories import login, user

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def setup(world):
    sender = user(world.u("bp_post_a"), roles=["officer"])
    receiver = user(world.u("ca_province"), roles=["officer"])
    outsider = user(world.u("ca_other_province"), roles=["officer"])
    item = info_item_create(
        actor=sender,
        title="Ảnh hiện trường",
        content="…",
        topic="border",
        recipients=[world.u("ca_province")],
    )
    return sender, receiver, outsider, item


def test_a_recipient_downloads_an_attachment_and_an_outsider_gets_404(client, setup, media):
    sender, receiver, outsider, item = setup
    att = attachment_add(actor=sender, item=item, upload=SimpleUploadedFile("biên bản.pdf", PDF))
    assert att.size == len(PDF) and att.content_type == "application/pdf"
    stored = media / att.file.name
    assert stored.read_bytes() == PDF
    assert "biên bản" not in att.file.name  # stored under a random name
    login(client, receiver)
    resp = client.get(f"/exchange/files/{att.public_id}/")
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == PDF
    assert "attachment" in resp["Content-Disposition"]
    login(client, outsider)
    assert client.get(f"/exchange/files/{att.public_id}/").status_code == 404
    assert AuditEntry.objects.filter(object_id=str(att.public_id), action="create").exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", b"MZ\x90\x00", "attachment_type"),
        ("gia-mao.pdf", b"MZ\x90\x00 not a pdf", "attachment_content"),
        ("rong.txt", b"", "attachment_empty"),
        ("nhi-phan.txt", b"\x00\x01\x02", "attachment_content"),
    ],
)
def test_disallowed_files_are_refused_naming_the_field_and_nothing_is_stored(
    setup, media, name, content, code
):
    sender, _, _, item = setup
    with pytest.raises(DomainError) as err:
        attachment_add(actor=sender, item=item, upload=SimpleUploadedFile(name, content))
    assert err.value.code == code and "file" in err.value.fields
    assert not Attachment.all_objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_an_oversized_file_is_refused(setup, settings, media):
    sender, _, _, item = setup
    settings.PHOIHOP_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(DomainError) as err:
        attachment_add(
            actor=sender, item=item, upload=SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000)
        )
    assert err.value.code == "attachment_too_large"
    assert not Attachment.all_objects.exists()


def test_someone_who_cannot_see_the_item_cannot_attach_to_it(setup):
    _, _, outsider, item = setup
    with pytest.raises(DomainError) as err:
        attachment_add(actor=outsider, item=item, upload=SimpleUploadedFile("a.pdf", PDF))
    assert err.value.code == "not_found"
    assert not Attachment.all_objects.exists()


def test_utf8_text_with_vietnamese_is_accepted(setup):
    sender, _, _, item = setup
    text = ("Đồn Biên phòng Sơn Kim phát hiện đối tượng. " * 100).encode()
    att = attachment_add(actor=sender, item=item, upload=SimpleUploadedFile("ghi-chep.txt", text))
    assert att.content_type.startswith("text/plain")


def test_a_party_uploads_on_the_detail_page_and_a_bad_file_shows_the_field_error(client, setup):
    _, receiver, _, item = setup
    login(client, receiver)
    url = f"/exchange/{item.public_id}/attachments/"
    bad = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 200
    assert "Không nhận tệp loại .exe" in bad.content.decode()
    assert not Attachment.all_objects.exists()
    ok = client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", PDF)})
    assert ok.status_code == 302
    page = client.get(f"/exchange/{item.public_id}/").content.decode()
    assert "bien-ban.pdf" in page


def test_the_api_takes_an_upload_and_lists_it_on_the_item(client, setup):
    _, receiver, outsider, item = setup
    login(client, receiver)
    url = f"/api/v1/exchange/items/{item.public_id}/attachments/"
    bad = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ")})
    assert bad.status_code == 400 and "file" in bad.json()["fields"]
    assert not Attachment.all_objects.exists()
    ok = client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", PDF)})
    assert ok.status_code == 201
    detail = client.get(f"/api/v1/exchange/items/{item.public_id}/").json()
    assert [a["original_name"] for a in detail["attachments"]] == ["bien-ban.pdf"]
    login(client, outsider)
    assert client.post(url, {"file": SimpleUploadedFile("c.pdf", PDF)}).status_code == 404
    assert Attachment.all_objects.count() == 1


def test_an_attachment_can_go_with_a_verification_answer(client, setup, world):
    from phoihop.exchange.services import verification_request_create

    sender, receiver, _, item = setup
    request = verification_request_create(
        actor=sender, item=item, assigned_unit=world.u("ca_province"), question="Xác minh?"
    )
    login(client, receiver)
    url = f"/api/v1/exchange/items/{item.public_id}/attachments/"
    wrong = client.post(
        url,
        {
            "file": SimpleUploadedFile("kq.pdf", PDF),
            "verification": "00000000-0000-0000-0000-000000000000",
        },
    )
    assert wrong.status_code == 400 and "verification" in wrong.json()["fields"]
    assert not Attachment.all_objects.exists()
    ok = client.post(
        url, {"file": SimpleUploadedFile("kq.pdf", PDF), "verification": str(request.public_id)}
    )
    assert ok.status_code == 201
    assert ok.json()["verification"] == str(request.public_id)
    assert Attachment.objects.get().verification == request
