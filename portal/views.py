from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.models import PortalProfile


def home(request):
    return render(request, "portal/home.html")


@login_required
def account(request):
    profile = PortalProfile.objects.filter(user=request.user).first()
    return render(request, "portal/account.html", {"profile": profile})
