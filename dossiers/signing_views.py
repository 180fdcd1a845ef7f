"""Signing many results after one confirmation (ký số hàng loạt), from the workspace: the results
waiting for a leader's signature, and the progress of a batch running in the background."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.forms import Form
from signing.services import confirm

from . import selectors
from .batch_signing import batch_sign
from .office.common import office
from .office_forms import offer_enrolment
from .results import may_sign, result_for
from .states import Status

LIMIT = 200


def unsigned_results(user) -> list[tuple]:
    """(dossier, result) pairs approved at an agency where ``user`` signs, not signed yet."""
    found = []
    dossiers = selectors.dossiers_for_official(user).filter(status=Status.RESULT_READY).order_by("result_ready_at")
    for dossier in dossiers[:LIMIT]:
        if may_sign(user, dossier):
            found.append((dossier, result_for(dossier)))
    return found


class BatchSignForm(Form):
    dossiers = forms.MultipleChoiceField(label=gettext_lazy("Results to sign"), widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(label=gettext_lazy("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp_token = forms.CharField(label=gettext_lazy("One-time code"), max_length=8, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args, pending, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_enrolment(self, user)
        self.fields["dossiers"].choices = [
            (str(dossier.pk), f"{dossier.code} – {dossier.procedure_version.name} – {dossier.applicant_name}")
            for dossier, _result in pending]


@office
def to_sign(request):
    pending = unsigned_results(request.user)
    form = BatchSignForm(request.POST or None, pending=pending, user=request.user)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["dossiers"])
        try:
            confirmation = confirm(request.user, password=form.cleaned_data["password"],
                                   totp=form.cleaned_data["otp_token"])
            batch = batch_sign(result_files=[result for dossier, result in pending if str(dossier.pk) in chosen],
                               signer=request.user, confirmation=confirmation)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            return redirect("office:batch", pk=batch.pk)
    return render(request, "dossiers/office/to_sign.html", {"form": form, "pending": pending})


@office
def batch(request, pk: int):
    from signing.models import BatchSigning

    record = get_object_or_404(BatchSigning, pk=pk, created_by=request.user)
    if record.status == BatchSigning.Status.DONE and not record.failed:
        messages.success(request, _("All %(n)d results are signed.") % {"n": record.done})
    return render(request, "dossiers/office/batch.html", {"batch": record})
