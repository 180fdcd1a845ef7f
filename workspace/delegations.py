"""The officials' page for standing delegations (ủy quyền khi vắng mặt): the list of those that
concern the reader, recording one (the agency's administrator for any leader of the agency, a leader
for their own absence) and revoking one. Every change goes through ``directory.delegations``."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from directory import delegations
from directory.access import official_required
from directory.models import Agency, Delegation, Membership
from directory.scope import Action, visible
from egov.forms import Form

MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class DelegationForm(Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.none())
    principal = OfficialChoiceField(label=gettext_lazy("Stood in for (the leader who is away)"),
                                    queryset=get_user_model().objects.none())
    deputy = OfficialChoiceField(label=gettext_lazy("Deputy (an official of the same agency)"),
                                 queryset=get_user_model().objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Authority printed on documents"), choices=Delegation.Kind.choices)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), input_formats=MOMENT_FORMATS,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), input_formats=MOMENT_FORMATS,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                             format="%Y-%m-%dT%H:%M"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255, required=False,
                             help_text=gettext_lazy("For example: on leave, on a mission abroad"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = delegations.agencies_managed(user)
        self.fields["agency"].queryset = agencies.order_by("code")
        people = get_user_model().objects.filter(
            pk__in=Membership.objects.valid_on().filter(agency__in=agencies).values("official_id"),
            is_active=True).order_by("full_name", "username")
        self.fields["deputy"].queryset = people
        # A leader who does not administer the agency records their own absence only (the service decides).
        administered = visible(user, agencies, Action.MANAGE, agency_field="id", unit_field=None)
        self.fields["principal"].queryset = people.filter(
            Q(pk__in=Membership.objects.valid_on().filter(agency__in=administered).values("official_id"))
            | Q(pk=user.pk))
        if not self.is_bound:
            self.fields["starts_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


@login_required
@official_required
def delegations_view(request: HttpRequest) -> HttpResponse:
    form = DelegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delegations.record_delegation(acting_user=request.user, **data)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        except ValidationError as error:
            for field, problems in error.message_dict.items() if hasattr(error, "error_dict") else [
                    (None, error.messages)]:
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The delegation has been recorded."))
            return redirect("workspace:delegations")
    rows = list(delegations.delegations_for(request.user)[:200])
    now = timezone.now()
    context = {
        "form": form if form.fields["agency"].queryset.exists() else None,
        "rows": [{"delegation": d, "in_force": d.revoked_at is None and d.starts_at <= now < d.ends_at,
                  "over": d.revoked_at is not None or d.ends_at <= now,
                  "revocable": d.revoked_at is None and d.ends_at > now
                  and delegations.may_manage(request.user, d.agency_id, d.principal_id)} for d in rows],
    }
    return render(request, "workspace/delegations.html", context, status=400 if form.errors else 200)


@login_required
@official_required
@require_POST
def revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(delegations.delegations_for(request.user), pk=pk)
    try:
        delegations.revoke_delegation(acting_user=request.user, delegation=delegation)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delegation has been revoked."))
    return redirect("workspace:delegations")
