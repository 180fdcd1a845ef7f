"""The applicant's data from the national databases (ADR 0045): an e-form filled in from the
national population database or the business registration database with the applicant's consent,
and the identity check made at intake. The look-ups, consents and checks themselves live in
``national``; here they meet the dossier.

An e-form says which of its fields take what from the registry: ``x-prefill`` (the profile's names:
full_name, id_number, address; for a business business_name, tax_code, address) and, for what only
the registry knows, ``x-population`` (a field → date_of_birth, sex, ethnicity, nationality,
current_address) or ``x-business`` (a field → legal_representative, status, registered_on).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from datastore import services as datastore_services
from national import business, consent, identity, population
from national.base import Refused, Unavailable, configured
from national.consent import WORDING
from national.models import IdentityCheck, LookupPurpose

from . import selectors, services
from .models import Dossier
from .states import Status


def _draft_of(user, dossier: Dossier) -> None:
    if not selectors.acts_for_applicant(user, dossier):
        raise PermissionDenied
    if dossier.status != Status.DRAFT:
        raise ValidationError(_("This dossier can no longer be changed."))


def _fill(dossier: Dossier, user, values: dict, contact: dict, extra_key: str) -> list[str]:
    """Write ``contact`` and the e-form fields the schema maps to ``values``; the names filled."""
    schema = dossier.procedure_version.form_schema
    form_values = dict(dossier.form_data)
    mapped = {**schema.get("x-prefill", {}), **schema.get(extra_key, {})}
    filled = sorted(contact)
    for name, source in mapped.items():
        if values.get(source) and name in schema.get("properties", {}):
            form_values[name] = values[source]
            filled.append(name)
    services.save_draft(dossier=dossier, applicant=user, form_values=form_values, contact=contact)
    return filled


def prefill_from_population(*, dossier: Dossier, user, number: str, consented: bool) -> list[str]:
    """Fill the applicant's fields from the population database (the citizen's own record, with
    their consent); the dossier keeps which fields came from there. Raises PermissionDenied,
    ValidationError, population.NotFound or national.base.Unavailable."""
    _draft_of(user, dossier)
    person, lookup = population.look_up_own(user=user, number=number, consented=consented, dossier=dossier,
                                            form=dossier.procedure_version.name)
    values = {"full_name": person.full_name, "id_number": person.id_number, "address": person.permanent_address,
              "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
              "sex": person.sex, "ethnicity": person.ethnicity, "nationality": person.nationality,
              "current_address": person.current_address}
    contact = {"applicant_name": person.full_name, "applicant_id_number": person.id_number,
               "applicant_address": person.permanent_address}
    filled = _fill(dossier, user, values, contact, "x-population")
    consent.mark_filled(lookup, filled)
    # Data taken from a national database instead of being typed counts as reused (Decision 766, 6.3).
    datastore_services.record_reuse(dossier=dossier, acting_user=user, source="national",
                                    what=f"population: {', '.join(filled)}")
    return filled


def prefill_from_business(*, dossier: Dossier, user, code: str) -> list[str]:
    """Fill a business applicant's fields from the business registration database."""
    _draft_of(user, dossier)
    enterprise = business.look_up(user=user, code=code, dossier=dossier)
    values = {"business_name": enterprise.name, "tax_code": enterprise.code, "address": enterprise.address,
              "legal_representative": enterprise.legal_representative, "status": enterprise.status,
              "registered_on": enterprise.registered_on}
    contact = {"applicant_name": enterprise.name, "applicant_address": enterprise.address}
    filled = _fill(dossier, user, values, contact, "x-business")
    lookup = dossier.population_lookups.filter(system="business", outcome="found").order_by("-at").first()
    if lookup is not None:
        consent.mark_filled(lookup, filled)
    datastore_services.record_reuse(dossier=dossier, acting_user=user, source="national",
                                    what=f"business: {', '.join(filled)}")
    return filled


def offer(user, dossier: Dossier) -> dict:
    """What the draft page offers (offered ⇔ allowed: the same rules the look-ups apply), where the
    installation is connected to the database at all."""
    number = population.own_number(user) if configured("population") else ""
    codes = sorted(business.own_codes(user)) if business.configured() else []
    return {
        "population_number": number if population.may_look_up(user, number) and not user.is_official else "",
        "population_wording": WORDING[LookupPurpose.PREFILL],
        "business_codes": codes,
        "data_source": population.source_of(dossier),
    }


def declared_identity(dossier: Dossier) -> dict:
    """What the applicant declared about themselves, in the terms the registry is compared in."""
    declared = {"full_name": dossier.applicant_name, "address": dossier.applicant_address}
    for name, source in dossier.procedure_version.form_schema.get("x-population", {}).items():
        if source in ("date_of_birth", "sex") and dossier.form_data.get(name):
            declared[source] = dossier.form_data[name]
    return declared


def check_at_intake(*, dossier: Dossier, officer, consented: bool) -> IdentityCheck | None:
    """The identity check of a dossier taken in by ``officer``: with the applicant's consent given
    in person (the officer confirms it) and an identification number declared; else none."""
    if not consented or not dossier.applicant_id_number:
        return None
    given = consent.give(subject=dossier.applicant, number=dossier.applicant_id_number,
                         purpose=LookupPurpose.IDENTITY, dossier=dossier, form=dossier.procedure_version.name,
                         confirmed_by=officer)
    return identity.request_check(dossier=dossier, officer=officer, declared=declared_identity(dossier),
                                  consent=given)


def shown(dossier: Dossier) -> dict:
    """What the dossier's pages show: the latest identity check with its differences labelled, and
    the look-up its applicant data was filled from."""
    check = identity.latest_for(dossier)
    rows = []
    if check is not None:
        rows = [{"label": identity.FIELDS[d["field"]], "declared": d["declared"], "registry": d["registry"]}
                for d in check.differences]
    return {"identity_check": check, "identity_differences": rows, "data_source": population.source_of(dossier)}


def enterprise_at_intake(dossier: Dossier, officer) -> dict:
    """For a business applicant's dossier waiting at the desk: the enterprise as registered
    (looked up, and recorded, each time the desk opens it)."""
    if dossier.status != Status.SUBMITTED or not business.configured():
        return {}
    code = dossier.organisation.tax_code if dossier.organisation_id else \
        getattr(getattr(dossier.applicant, "profile", None), "tax_code", "")
    if not code:
        return {}
    try:
        return {"enterprise": business.look_up(user=officer, code=code, dossier=dossier,
                                               reason=_("Intake of dossier %(code)s") % {"code": dossier.code})}
    except (business.NotFound, Unavailable) as error:
        return {"enterprise_error": error.message}
    except (Refused, ValidationError, PermissionDenied):
        return {}
