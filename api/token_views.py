"""The signed-in person's own API tokens: make one (shown once), see them, revoke one. The rules
are api.services' (who may hold a token, for how long, what it may do)."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3650)


def _second_factor(request) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


@login_required
def tokens_view(request):
    form = TokenForm(request.POST or None, initial={"days": services.official_token_days()})
    made = None
    if request.method == "POST" and form.is_valid():
        expires = timezone.now() + dt.timedelta(days=form.cleaned_data["days"])
        try:
            _token, made = services.create_token(user=request.user, name=form.cleaned_data["name"],
                                                 expires_at=expires, created_by=request.user,
                                                 second_factor=_second_factor(request))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error("days" if field == "expires_at" else (None if field == "user" else field), messages)
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "api/tokens.html", {
        "form": form, "made": made, "tokens": tokens, "now": timezone.now(),
        "official": request.user.is_official, "max_days": services.official_token_days()})


@login_required
@require_POST
def revoke_view(request, pk: int):
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:  # not theirs: as if it did not exist
        raise Http404
    services.revoke_token(token=token)
    return redirect("api_tokens:list")
