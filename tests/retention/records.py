"""Records with a chosen moment (a dossier finished, a draft last changed), in one line each."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dossiers.models import Dossier, Outcome
from dossiers.states import Status
from tests.dossier_scenarios import accepted


def local(day: str, time: str = "10:00") -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{time}"))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def finished(demo, procedure, at: dt.datetime, status: str = Status.COMPLETED) -> Dossier:
    """A dossier taken through intake, then ended at ``at`` (the job reads the status and the moment)."""
    dossier = accepted(demo, procedure)
    outcome = {Status.COMPLETED: Outcome.ON_TIME, Status.REFUSED: Outcome.REFUSED}.get(status, Outcome.WITHDRAWN)
    Dossier.objects.filter(pk=dossier.pk).update(status=status, outcome=outcome, finished_at=at)
    return Dossier.objects.get(pk=dossier.pk)


def in_processing(demo, procedure) -> Dossier:
    return accepted(demo, procedure)


def draft(demo, procedure, changed: dt.datetime) -> Dossier:
    from dossiers import services
    from tests.factories import BIRTH_VALUES, pdf_file

    citizen = demo.users["congdan@example.vn"]
    made = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["01840"])
    services.save_draft(dossier=made, applicant=citizen, form_values=BIRTH_VALUES)
    services.attach_papers(dossier=made, user=citizen, uploads={procedure.current.papers.first().pk: pdf_file()})
    Dossier.objects.filter(pk=made.pk).update(updated_at=changed)
    return Dossier.objects.get(pk=made.pk)

