"""Intake at the counter (tiếp nhận trực tiếp tại Bộ phận Một cửa): the desk officer types the
walk-in applicant's declaration, scans the papers, and the dossier is submitted and accepted in
one go, so the applicant leaves with the receipt and appointment (Mẫu 01).

The applicant is a portal user: the one with the given e-mail if there is one, otherwise a new,
inactive account (no password) holding the ID number and phone, which the citizen can claim later.
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import PortalProfile
from procedures.models import Procedure

from . import desks, services, workflow
from .models import Channel, Dossier
from .services import CONTACT_FIELDS, DETAIL_FIELDS, TransitionRefused

User = get_user_model()



def _walk_in_applicant(contact: dict):
    """The portal user the dossier belongs to (never an official's account)."""
    email = (contact.get("applicant_email") or "").strip()
    if email:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None and existing.kind != User.Kind.OFFICIAL:
            return existing
        if existing is not None:
            email = ""  # an official's address: the applicant gets an account of their own, without it
    user = User(username=f"counter-{uuid.uuid4().hex[:20]}", kind=User.Kind.CITIZEN, email=email,
                full_name=contact["applicant_name"][:150], is_active=False)
    user.set_unusable_password()
    user.save()
    PortalProfile.objects.create(user=user, id_number=contact.get("applicant_id_number", ""),
                                 phone=contact.get("applicant_phone", ""),
                                 address=contact.get("applicant_address", ""))
    return user


def intake_at_counter(*, officer, agency, procedure: Procedure, contact: dict, form_values: dict,
                      uploads: dict, unit=None, centre=None, channel: str = Channel.COUNTER,
                      details: dict | None = None) -> Dossier:
    """Create, submit and accept a dossier brought to the counter or received by public post, for
    ``agency`` to settle, at its own desk or at the service ``centre`` the officer staffs (any agency
    of the province, Decree 118/2025). All or nothing: if the papers, the form or the acceptance are
    refused, no account, dossier or file is left behind. ``contact`` holds the applicant_* values,
    ``details`` the representative, return and post values (services.DETAIL_FIELDS); ``uploads``
    maps paper requirement ids to the scanned files."""
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationError(_("A dossier is taken in at the desk in person or from the post."))
    if not desks.may_receive(officer, agency=agency, centre=centre):
        raise TransitionRefused(_("Only the one-stop desk of the receiving agency can do this."))
    if not (contact.get("applicant_name") or "").strip():
        raise ValidationError(_("Enter the applicant's name."))
    with services.files_or_nothing(), transaction.atomic():
        applicant = _walk_in_applicant(contact)
        dossier = services.start_draft(applicant=applicant, procedure=procedure, agency=agency,
                                       channel=channel, centre=centre)
        values = {k: v for k, v in contact.items() if k in CONTACT_FIELDS}
        values.update({k: v for k, v in (details or {}).items() if k in DETAIL_FIELDS})
        services.save_draft(dossier=dossier, applicant=applicant, form_values=form_values, contact=values)
        if uploads:
            services.attach_papers(dossier=dossier, user=applicant, uploads=uploads)
        dossier = services.submit(dossier=dossier, applicant=applicant)
        return workflow.accept(dossier=dossier, acting_user=officer, unit=unit, expected_revision=dossier.revision)
