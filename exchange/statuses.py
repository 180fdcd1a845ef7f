"""The status codes of the national document exchange axis (QCVN 102:2016 status messages)."""

from django.utils.translation import pgettext_lazy


def _(text: str):
    # The same English words name other things elsewhere (a dossier's "refused", "being processed").
    return pgettext_lazy("exchange status", text)

ARRIVED = "01"      # đã đến: the software holds it, the clerk has not acted yet
REFUSED = "02"      # từ chối tiếp nhận (with a reason), also sent for an invalid package
ACCEPTED = "03"     # đã tiếp nhận: registered by the clerk
ASSIGNED = "04"     # phân công
PROCESSING = "05"   # đang xử lý
COMPLETED = "06"    # hoàn thành
RECALL = "13"       # the sender recalls (lấy lại) the document
RECALL_AGREED = "15"
RECALL_REFUSED = "16"

LABELS = {
    ARRIVED: _("arrived"),
    REFUSED: _("refused"),
    ACCEPTED: _("accepted"),
    ASSIGNED: _("assigned"),
    PROCESSING: _("being processed"),
    COMPLETED: _("completed"),
    RECALL: _("recall requested"),
    RECALL_AGREED: _("recall agreed"),
    RECALL_REFUSED: _("recall refused"),
}
CODES = tuple(LABELS)

# How far a recipient has gone: a later status never goes back to an earlier one on the sender's page.
PROGRESS = {ARRIVED: 1, ACCEPTED: 2, ASSIGNED: 3, PROCESSING: 4, COMPLETED: 5, REFUSED: 5}


def label(code: str) -> str:
    return str(LABELS.get(code, code))
