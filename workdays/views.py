from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from directory.access import official_required

from .calendar import MAX_YEAR, MIN_YEAR, VN_TZ, office_sessions
from .forms import YearForm
from .selectors import year_calendar


@login_required
@official_required
def calendar_view(request):
    """Lịch làm việc: days off and compensatory working days of one year, and office hours."""
    year = timezone.localdate(timezone=VN_TZ).year
    status = 200
    if "year" in request.GET:
        form = YearForm(request.GET)
        if form.is_valid():
            year = form.cleaned_data["year"]
        else:
            status = 400  # the page still shows the current year, with the error at the field
    else:
        form = YearForm(initial={"year": year})
    context = {
        "form": form,
        "year": year,
        "calendar": year_calendar(year),
        "sessions": office_sessions(),
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
    }
    return render(request, "workdays/calendar.html", context, status=status)
