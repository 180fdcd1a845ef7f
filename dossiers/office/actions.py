"""One small POST view per action of dossiers.policy: check the revision the page showed,
validate the form, call the door (dossiers.workflow, dossiers.results) with the acting
official, and come back to the dossier's page with a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import policy, results, selectors, workflow
from ..models import Dossier
from ..office_forms import ACTIONS
from ..services import StaleDossier
from .common import STALE, office, readable, reason
from .keep import keep


def _confirmation(request: HttpRequest, data: dict):
    """Xác nhận ký: the password and one-time code typed in the action's form."""
    from signing.services import confirm

    return confirm(request.user, password=data["password"], totp=data["otp_token"])


def _approve_apology(request: HttpRequest, dossier: Dossier):
    slip = policy.pending_apology(dossier)
    if slip is None:  # approved by someone else meanwhile
        raise StaleDossier(str(STALE))
    return workflow.approve_apology(slip=slip, acting_user=request.user)


def _rev(data: dict) -> int:
    return data["revision"]


PERFORM = {
    "accept": lambda r, d, c: workflow.accept(dossier=d, acting_user=r.user, unit=c.get("unit"),
                                              expected_revision=_rev(c)),
    "supplement": lambda r, d, c: workflow.request_supplement(dossier=d, acting_user=r.user, missing=c["missing"],
                                                              note=c["note"], expected_revision=_rev(c)),
    "refuse_intake": lambda r, d, c: workflow.refuse_at_intake(dossier=d, acting_user=r.user, reasons=c["reasons"],
                                                               expected_revision=_rev(c)),
    "forward": lambda r, d, c: workflow.forward(dossier=d, acting_user=r.user, note=c["note"], unit=c.get("unit"),
                                                assignee=c.get("assignee"), expected_revision=_rev(c)),
    "return": lambda r, d, c: workflow.return_back(dossier=d, acting_user=r.user, note=c["note"],
                                                   expected_revision=_rev(c)),
    "assign": lambda r, d, c: workflow.assign(dossier=d, acting_user=r.user, assignee=c["assignee"], note=c["note"],
                                              expected_revision=_rev(c)),
    "pause": lambda r, d, c: workflow.pause(dossier=d, acting_user=r.user, reason=c["reason"],
                                            expected_revision=_rev(c)),
    "resume": lambda r, d, c: workflow.resume(dossier=d, acting_user=r.user, expected_revision=_rev(c)),
    "propose_refusal": lambda r, d, c: workflow.propose_refusal(dossier=d, acting_user=r.user, reasons=c["reasons"],
                                                                expected_revision=_rev(c)),
    "refuse": lambda r, d, c: workflow.refuse(dossier=d, acting_user=r.user, reasons=c["reasons"],
                                              expected_revision=_rev(c)),
    "approve": lambda r, d, c: workflow.approve(dossier=d, acting_user=r.user, note=c["note"],
                                                expected_revision=_rev(c)),
    "prepare_result": lambda r, d, c: results.prepare_result(dossier=d, acting_user=r.user),
    "return_result": lambda r, d, c: workflow.return_result(dossier=d, acting_user=r.user,
                                                            at_counter=c["how"] == "counter",
                                                            expected_revision=_rev(c)),
    "apology": lambda r, d, c: workflow.draft_apology(dossier=d, acting_user=r.user, reason=c["reason"],
                                                      new_due_at=c["new_due_at"], expected_revision=_rev(c)),
    "approve_apology": lambda r, d, c: _approve_apology(r, d),
    "stop_processing": lambda r, d, c: workflow.stop_processing(dossier=d, acting_user=r.user, reason=c["reason"],
                                                                expected_revision=_rev(c)),
    "sign_result": lambda r, d, c: results.sign_current_result(
        dossier=d, acting_user=r.user, confirmation=_confirmation(r, c)),
    "issue_result": lambda r, d, c: results.issue_result(
        dossier=d, acting_user=r.user, confirmation=_confirmation(r, c)),
}

SUCCESS = {
    "accept": gettext_lazy("Dossier %(code)s accepted; the receipt and appointment (Mẫu 01) is issued."),
    "supplement": gettext_lazy("The request to supplement dossier %(code)s (Mẫu 02) has been sent."),
    "refuse_intake": gettext_lazy("Dossier %(code)s has been refused (Mẫu 03)."),
    "forward": gettext_lazy("Dossier %(code)s has been handed on to the next step."),
    "return": gettext_lazy("Dossier %(code)s has been returned to the previous step."),
    "assign": gettext_lazy("Dossier %(code)s has been assigned."),
    "pause": gettext_lazy("Dossier %(code)s is paused; its clock has stopped."),
    "resume": gettext_lazy("Dossier %(code)s is being processed again."),
    "propose_refusal": gettext_lazy("The refusal of dossier %(code)s has been proposed to the approving step."),
    "refuse": gettext_lazy("Dossier %(code)s has been refused."),
    "approve": gettext_lazy("The result of dossier %(code)s has been approved."),
    "prepare_result": gettext_lazy("The result document of dossier %(code)s has been prepared."),
    "return_result": gettext_lazy("The result of dossier %(code)s has been returned."),
    "sign_result": gettext_lazy("The result of dossier %(code)s is signed; the clerk can issue it."),
    "issue_result": gettext_lazy("The result of dossier %(code)s is issued with its number and the agency's seal."),
    "apology": gettext_lazy("The apology letter for dossier %(code)s (Mẫu 04) waits for the leader's approval."),
    "approve_apology": gettext_lazy("The apology letter for dossier %(code)s is approved; the applicant is told."),
    "stop_processing": gettext_lazy("Processing of dossier %(code)s has stopped; the notice (Mẫu 05) is sent."),
}


def action_view(name: str, success):
    """The POST view of one action. Errors become messages, and the free text typed is kept
    (office.keep) for the page to show again."""

    @office
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        dossier = readable(request, pk)
        form_class = ACTIONS[name][0]
        posted = request.POST.get(f"{name}-revision", "")
        try:
            if posted != str(dossier.revision):
                raise StaleDossier(str(STALE))
            if name not in policy.available_actions(request.user, dossier):
                raise PermissionDenied(policy.decide(request.user, dossier, name).reason)
            form = form_class(request.POST, dossier=dossier, user=request.user, prefix=name)
            if not form.is_valid():
                raise ValidationError(_("Check what you entered in “%(action)s”.") % {"action": ACTIONS[name][1]})
            PERFORM[name](request, dossier, form.cleaned_data)
        except (ValidationError, PermissionDenied, StaleDossier) as error:
            messages.error(request, reason(error))
            keep(request, dossier, name)
            return redirect("office:detail", pk=dossier.pk)
        dossier.refresh_from_db()
        messages.success(request, str(success) % {"code": dossier.code})
        if selectors.can_read(request.user, dossier):
            return redirect("office:detail", pk=dossier.pk)
        return redirect("office:queue")

    view.__name__ = name
    return view


VIEWS = {name: action_view(name, SUCCESS[name]) for name in ACTIONS}
