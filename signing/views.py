"""The public verification page and its JSON API: anyone uploads a PDF and sees each signature."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .forms import VerifyForm
from .verification import verify_pdf


def verify(request):
    report = None
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = verify_pdf(form.cleaned_data["document"].read())
    return render(request, "signing/verify.html", {"form": form, "report": report,
                                                   "document_hash": request.GET.get("h", "")})


@csrf_exempt  # a public, read-only API: nothing is changed, no session is used
@require_POST
def verify_api(request):
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    return JsonResponse(verify_pdf(form.cleaned_data["document"].read()).as_dict())
