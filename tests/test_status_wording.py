"""The words a citizen and an official read for each state of a dossier, in Vietnamese: each says
where the dossier is, and no two states read alike."""

from django.utils import translation

from dossiers.states import Status

VIETNAMESE = {
    Status.DRAFT: "bản nháp",
    Status.SUBMITTED: "chờ tiếp nhận",
    Status.SUPPLEMENT_REQUESTED: "chờ bổ sung hồ sơ",
    Status.IN_PROGRESS: "đang giải quyết",
    Status.PAUSED: "tạm dừng",
    Status.RESULT_READY: "đã có kết quả",
    Status.COMPLETED: "đã trả kết quả",
    Status.REFUSED: "từ chối",
    Status.WITHDRAWN: "đã rút hồ sơ",
    Status.STOPPED: "dừng giải quyết",
}


def test_every_state_reads_as_where_the_dossier_is():
    with translation.override("vi"):
        labels = {status: str(status.label) for status in Status}
    assert labels == VIETNAMESE
    assert len(set(labels.values())) == len(labels)
