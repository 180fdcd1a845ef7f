"""The help centre: guides and questions found without accents, a guide's page with its forms,
images served only for published guides, the link from the procedure's page."""

from django.core.files.uploadedfile import SimpleUploadedFile

from support.models import Guide, GuideStep

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_typing_without_accents_finds_the_guide(help_centre, client):
    response = client.get("/help/search/", {"q": "cap ban sao trich luc ho tich"})
    assert "Hướng dẫn cấp bản sao trích lục hộ tịch" in response.content.decode()
    assert "Hướng dẫn đăng ký khai sinh" not in response.content.decode()


def test_typing_without_accents_finds_the_questions(help_centre, client):
    body = client.get("/help/search/", {"q": "QUEN MAT KHAU"}).content.decode()
    assert "Tôi quên mật khẩu tài khoản Cổng dịch vụ công thì làm thế nào?" in body


def test_the_guide_lists_its_steps_forms_and_common_mistakes(help_centre, client):
    from procedures.models import Procedure

    paper = Procedure.objects.get(code="2.000635").current.papers.first()
    paper.template.save("to-khai-trich-luc.docx", SimpleUploadedFile("to-khai.docx", b"PK\x03\x04"), save=False)
    type(paper).objects.filter(pk=paper.pk).update(template=paper.template.name)  # a published version is frozen
    body = client.get("/help/guides/2.000635/").content.decode()
    assert body.index("Đăng nhập Cổng dịch vụ công") < body.index("Điền tờ khai")
    assert f"/procedures/2.000635/papers/{paper.pk}/template/" in body
    assert "Chọn sai xã, phường" in body
    assert "/procedures/2.000635/" in body


def test_the_procedure_page_links_to_its_guide(help_centre, client):
    assert "/help/guides/2.000635/" in client.get("/procedures/2.000635/").content.decode()


def test_an_unpublished_guide_and_its_images_are_not_served(help_centre, client):
    guide = Guide.objects.get(procedure__code="2.000635")
    step = GuideStep.objects.create(guide=guide, order=9, text="Ảnh màn hình", image_alt="Nút nộp hồ sơ",
                                    image=SimpleUploadedFile("nop.png", PNG, content_type="image/png"))
    url = f"/help/guides/2.000635/steps/{step.pk}/image/"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    guide.published = False
    guide.save()
    assert client.get(url).status_code == 404
    assert client.get("/help/guides/2.000635/").status_code == 404


def test_the_help_link_carries_the_page_and_the_dossier(draft, sign_in):
    client = sign_in("congdan@example.vn")
    body = client.get(f"/dossiers/my/{draft.pk}/edit/").content.decode()
    assert f"/help/ask/?page=%2Fdossiers%2Fmy%2F{draft.pk}%2Fedit%2F&amp;dossier={draft.pk}&amp;procedure=2.000635" in body


def test_announcements_show_by_schedule_and_audience(help_centre, client, sign_in):
    import datetime as dt

    from django.utils import timezone

    from support.models import Announcement, Audience

    now = timezone.now()
    Announcement.objects.create(title="Bảo trì hệ thống tối nay", body="…", starts_at=now - dt.timedelta(hours=1))
    Announcement.objects.create(title="Tập huấn cán bộ một cửa", body="…", audience=Audience.OFFICIALS,
                                starts_at=now - dt.timedelta(hours=1))
    Announcement.objects.create(title="Thông báo đã hết hạn", body="…", starts_at=now - dt.timedelta(days=9),
                                ends_at=now - dt.timedelta(days=1))
    Announcement.objects.create(title="Thông báo ngày mai", body="…", starts_at=now + dt.timedelta(days=1))
    body = client.get("/").content.decode()
    assert "Bảo trì hệ thống tối nay" in body
    assert "Tập huấn cán bộ một cửa" not in body and "Thông báo đã hết hạn" not in body
    assert "Thông báo ngày mai" not in body
    official = sign_in("motcua.ducxuan").get("/help/news/").content.decode()
    assert "Tập huấn cán bộ một cửa" in official


def test_questions_by_topic_and_by_life_event(help_centre, client):
    body = client.get("/help/faq/").content.decode()
    assert "Tài khoản và đăng nhập" in body and "Khai sinh, kết hôn, khai tử" in body
    assert "/life-events/family/" in body
