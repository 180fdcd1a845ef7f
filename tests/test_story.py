"""dossiers.story: the dossier's history told in sentences, in the order things happened; the
applicant's telling keeps the agency, not the officials' names, and never an internal note."""

import pytest
from django.utils import timezone, translation

from dossiers import results, workflow
from dossiers.models import Dossier
from dossiers.story import story
from tests.dossier_scenarios import CLERK, DESK, LEADER, SPECIALIST, accepted, birth_procedure, confirmation

INTERNAL = "Lưu ý riêng của lãnh đạo: đã xác minh qua điện thoại"


@pytest.fixture
def issued_with_notes(demo, registered):
    """Accepted, drafted, handed on with a note, approved with an internal note, signed, issued."""
    procedure = birth_procedure(demo)
    dossier = accepted(demo, procedure)
    results.prepare_result(dossier=dossier, acting_user=demo.users[SPECIALIST])
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users[SPECIALIST], note="Hồ sơ đủ điều kiện")
    dossier = workflow.approve(dossier=dossier, acting_user=demo.users[LEADER], note=INTERNAL)
    leader, clerk = demo.users[LEADER], demo.users[CLERK]
    results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirmation(leader))
    results.issue_result(dossier=Dossier.objects.get(pk=dossier.pk), acting_user=clerk,
                         confirmation=confirmation(clerk))
    return Dossier.objects.get(pk=dossier.pk)


def _in_order(text: str, parts: list[str]) -> None:
    at = -1
    for part in parts:
        found = text.find(part, at + 1)
        assert found > at, f"{part!r} missing or out of order in:\n{text}"
        at = found


def test_the_officials_story_tells_each_hand_over_in_order(issued_with_notes):
    dossier = issued_with_notes
    with translation.override("vi"):
        lines = story(dossier)
        text = "\n".join(str(line) for line in lines)
    assert [line.at for line in lines] == sorted(line.at for line in lines)
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    number = dossier.files.get(purpose="result", replaced=False).issue_number
    _in_order(text, [
        "Nguyễn Thị Hồng (người nộp hồ sơ) nộp hồ sơ.",
        "Hà Thị Phương (Bộ phận Một cửa, Ủy ban nhân dân phường Đức Xuân) tiếp nhận hồ sơ, "
        f"chuyển Tư pháp - Hộ tịch xử lý; hẹn trả {due}.",
        "Nông Văn Khánh (Tư pháp - Hộ tịch, Ủy ban nhân dân phường Đức Xuân) dự thảo kết quả.",
        "Nông Văn Khánh (Tư pháp - Hộ tịch, Ủy ban nhân dân phường Đức Xuân) chuyển hồ sơ sang bước "
        "“Chủ tịch UBND phường phê duyệt”", "Hồ sơ đủ điều kiện.",
        "Phùng Văn Minh (Ủy ban nhân dân phường Đức Xuân) phê duyệt kết quả: " + INTERNAL,
        "Phùng Văn Minh (Ủy ban nhân dân phường Đức Xuân) ký số kết quả.",
        f"Đinh Thị Yến (Văn phòng - Thống kê, Ủy ban nhân dân phường Đức Xuân) phát hành kết quả, số {number}.",
    ])
    assert next(line for line in lines if INTERNAL in line.note).internal


def test_the_applicants_story_names_the_agency_and_hides_internal_notes(issued_with_notes):
    with translation.override("vi"):
        text = "\n".join(str(line) for line in story(issued_with_notes, for_applicant=True))
    for hidden in (INTERNAL, "Hồ sơ đủ điều kiện", "Hà Thị Phương", "Phùng Văn Minh", "Đinh Thị Yến", "Nông Văn Khánh",
                   "dự thảo", "ký số"):
        assert hidden not in text
    number = issued_with_notes.files.get(purpose="result", replaced=False).issue_number
    _in_order(text, ["Người nộp hồ sơ nộp hồ sơ.",
                     "Bộ phận Một cửa, Ủy ban nhân dân phường Đức Xuân tiếp nhận hồ sơ",
                     "Ủy ban nhân dân phường Đức Xuân phê duyệt kết quả.",
                     f"phát hành kết quả, số {number}."])


def test_a_note_meant_for_the_applicant_is_told_to_them(demo):
    procedure = birth_procedure(demo)
    dossier = workflow.request_supplement(dossier=accepted(demo, procedure), acting_user=demo.users[SPECIALIST],
                                          missing=["Giấy chứng sinh bản chính"])
    with translation.override("vi"):
        officials = [str(line) for line in story(dossier)]
        applicant = [str(line) for line in story(dossier, for_applicant=True)]
    assert officials[-1].endswith("yêu cầu bổ sung, hoàn thiện hồ sơ: Giấy chứng sinh bản chính.")
    assert "Nông Văn Khánh" in officials[-1]
    assert applicant[-1].endswith("Tư pháp - Hộ tịch, Ủy ban nhân dân phường Đức Xuân yêu cầu bổ sung, hoàn thiện "
                                  "hồ sơ: Giấy chứng sinh bản chính.")
    assert DESK not in " ".join(applicant)
