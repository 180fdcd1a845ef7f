"""What the platform's own configuration says about the architecture: its modules (the project's
Django apps) and every integration it is configured with, read at the moment of the call.

Only reads: settings, the app registry and a few public models (exchange partners, agencies on
another system, API tokens counted by kind of holder). Addresses are reduced to scheme, host and
port, so no credential or path of a URL reaches the model; no person is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import FlowDirection, Kind, Layer, Status


@dataclass(frozen=True)
class FoundComponent:
    key: str
    layer: str
    kind: str
    name: str
    group: str = ""
    description: str = ""
    status: str = Status.IN_OPERATION
    owner_id: int | None = None


@dataclass(frozen=True)
class FoundConnection:
    source: str
    target: str
    protocol: str
    data_flow: str
    direction: str = FlowDirection.ONE_WAY
    status: str = Status.IN_OPERATION

    @property
    def key(self) -> str:
        return f"{self.source}->{self.target}"


@dataclass
class Discovery:
    components: list[FoundComponent] = field(default_factory=list)
    connections: list[FoundConnection] = field(default_factory=list)

    def add(self, component: FoundComponent) -> str:
        self.components.append(component)
        return component.key

    def link(self, *args, **kwargs) -> None:
        self.connections.append(FoundConnection(*args, **kwargs))


# The subsystems the platform's modules are grouped into, and the layer of each module.
GROUPS = {
    "one_stop": gettext_lazy("One-stop (administrative procedures)"),
    "portal": gettext_lazy("Public portal and support"),
    "e_office": gettext_lazy("E-office"),
    "exchange": gettext_lazy("Inter-agency exchange"),
    "integration": gettext_lazy("Integration API"),
    "signing": gettext_lazy("Digital signatures"),
    "payments": gettext_lazy("Online payments"),
    "notifications": gettext_lazy("Notifications"),
    "governance": gettext_lazy("Statistics and IT governance"),
    "shared": gettext_lazy("Shared services"),
    "simulators": gettext_lazy("Local simulators of outside systems"),
    "other": gettext_lazy("Other modules"),
}
MODULES: dict[str, tuple[str, str]] = {
    "procedures": ("one_stop", Layer.APPLICATION), "processes": ("one_stop", Layer.APPLICATION),
    "dossiers": ("one_stop", Layer.APPLICATION), "legal": ("one_stop", Layer.DATA),
    "portal": ("portal", Layer.APPLICATION), "support": ("portal", Layer.APPLICATION),
    "documents": ("e_office", Layer.APPLICATION), "work": ("e_office", Layer.APPLICATION),
    "records": ("e_office", Layer.APPLICATION),
    "exchange": ("exchange", Layer.APPLICATION),
    "api": ("integration", Layer.APPLICATION),
    "signing": ("signing", Layer.SECURITY),
    "payments": ("payments", Layer.APPLICATION),
    "notifications": ("notifications", Layer.APPLICATION),
    "reports": ("governance", Layer.APPLICATION), "training": ("governance", Layer.APPLICATION),
    "itplanning": ("governance", Layer.APPLICATION), "architecture": ("governance", Layer.APPLICATION),
    "workspace": ("governance", Layer.APPLICATION),
    "directory": ("shared", Layer.DATA), "workdays": ("shared", Layer.APPLICATION),
    "outbox": ("shared", Layer.TECHNOLOGY), "audit": ("shared", Layer.SECURITY),
    "accounts": ("shared", Layer.SECURITY),
    "simulators": ("simulators", Layer.TECHNOLOGY), "paysim": ("simulators", Layer.TECHNOLOGY),
}
# Names of the modules whose AppConfig has no verbose name of its own.
NAMES = {
    "support": gettext_lazy("Help and support"),
    "training": gettext_lazy("Training of officials"),
    "itplanning": gettext_lazy("IT investment planning"),
    "architecture": gettext_lazy("Architecture model"),
}
SHELL = {"egov"}  # the project shell: settings and commands, not a module of its own


def where(url: str) -> str:
    """``scheme://host:port`` of ``url``: never its user, password, path or query."""
    parts = urlsplit(url or "")
    if not parts.hostname:
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def module_key(label: str) -> str:
    return f"module:{label}"


def _project_apps():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if config.label in SHELL or "site-packages" in path.parts or not path.is_relative_to(base):
            continue
        yield config


def _modules(found: Discovery) -> set[str]:
    labels = set()
    for config in _project_apps():
        group, layer = MODULES.get(config.label, ("other", Layer.APPLICATION))
        name = str(config.verbose_name)
        if name == config.label.title() or not name:
            name = str(NAMES.get(config.label, config.label))
        found.add(FoundComponent(
            key=module_key(config.label), layer=layer, kind=Kind.MODULE, name=name, group=str(GROUPS[group]),
            description=_("Module “%(label)s” of this platform.") % {"label": config.label}))
        labels.add(config.label)
    return labels


def _configured(value) -> str:
    return Status.IN_OPERATION if value else Status.PLANNED


def _exchange(found: Discovery, labels: set[str]) -> None:
    from directory.selectors import agencies_in_force
    from exchange.models import Dialect, Partner

    agencies = {agency.code: agency for agency in agencies_in_force().filter(on_other_system=True)}
    partners = {partner.code: partner for partner in Partner.objects.all()}
    axis_url = settings.EXCHANGE_AXIS_URL
    if not (axis_url or agencies or partners):
        return
    description = _("Address: %(where)s; this system's id on the axis: %(id)s.") % {
        "where": where(axis_url) or _("not configured"), "id": settings.EXCHANGE_SYSTEM_ID or "–"}
    axis = found.add(FoundComponent(
        key="ext:exchange-axis", layer=Layer.TECHNOLOGY, kind=Kind.NATIONAL_SYSTEM,
        name=_("Document exchange axis"), group=str(GROUPS["exchange"]), description=description,
        status=_configured(axis_url)))
    if "exchange" in labels:
        found.link(module_key("exchange"), axis, _("edXML packages over HTTPS"),
                   _("Official documents and their statuses, sent and received"), FlowDirection.TWO_WAY,
                   _configured(axis_url))
    known = set(agencies) | set(partners)
    for code in sorted(known):
        agency, partner = agencies.get(code), partners.get(code)
        name = agency.name if agency else (partner.name if partner and partner.name else code)
        dialect = Dialect(partner.dialect).label if partner else Dialect.QCVN102.label
        key = found.add(FoundComponent(
            key=f"org:{code}", layer=Layer.APPLICATION, kind=Kind.AGENCY_SYSTEM,
            name=_("Document system of %(name)s") % {"name": name}, group=str(GROUPS["exchange"]),
            description=_("Identifier code %(code)s; edXML: %(dialect)s.") % {"code": code, "dialect": dialect},
            owner_id=agency.pk if agency else None))
        found.link(axis, key, "edXML", _("Documents and statuses exchanged with %(name)s") % {"name": name},
                   FlowDirection.TWO_WAY)


def _payments_and_messages(found: Discovery, labels: set[str]) -> None:
    gateway = settings.PAYMENT_GATEWAY_URL
    simulated = gateway.startswith(f"{settings.EGOV_PUBLIC_URL}/paysim/")
    key = found.add(FoundComponent(
        key="ext:payment-gateway", layer=Layer.APPLICATION, kind=Kind.NATIONAL_SYSTEM,
        name=_("Payment gateway"), group=str(GROUPS["payments"]), status=_configured(gateway),
        description=(_("The local payment simulator (paysim); merchant %(merchant)s.") if simulated
                     else _("Address: %(where)s; merchant %(merchant)s.")) % {
            "where": where(gateway), "merchant": settings.PAYMENT_MERCHANT_ID}))
    if "payments" in labels:
        found.link(module_key("payments"), key, _("HTTPS: signed redirect, server-to-server notification, "
                                                  "status query"),
                   _("Fees and charges paid online; payment results and reconciliation"), FlowDirection.TWO_WAY,
                   _configured(gateway))
    sms = settings.SMS_GATEWAY_URL
    key = found.add(FoundComponent(
        key="ext:sms-gateway", layer=Layer.APPLICATION, kind=Kind.EXTERNAL_SERVICE, name=_("SMS gateway"),
        group=str(GROUPS["notifications"]), status=_configured(sms),
        description=_("Address: %(where)s; brandname %(brand)s.") % {
            "where": where(sms) or _("not configured"), "brand": settings.SMS_BRANDNAME}))
    if "notifications" in labels:
        found.link(module_key("notifications"), key, _("HTTPS (SMS brandname API)"),
                   _("Text messages to applicants"), status=_configured(sms))
    host = settings.EMAIL_HOST
    key = found.add(FoundComponent(
        key="ext:smtp", layer=Layer.APPLICATION, kind=Kind.EXTERNAL_SERVICE, name=_("E-mail server (SMTP)"),
        group=str(GROUPS["notifications"]), status=_configured(host),
        description=(_("SMTP server %(host)s, port %(port)s.") % {"host": host, "port": settings.EMAIL_PORT}
                     if host else _("No SMTP server configured: e-mails are written to the console."))))
    if "notifications" in labels:
        found.link(module_key("notifications"), key, "SMTP", _("E-mails to citizens and officials"),
                   status=_configured(host))
    issuer = settings.OIDC_OP_ISSUER if getattr(settings, "OIDC_ENABLED", False) else ""
    key = found.add(FoundComponent(
        key="ext:oidc", layer=Layer.SECURITY, kind=Kind.NATIONAL_SYSTEM,
        name=_("National identity provider (OpenID Connect)"), group=str(GROUPS["shared"]),
        status=_configured(issuer),
        description=(_("Issuer %(where)s.") % {"where": where(issuer)} if issuer
                     else _("Not configured: citizens sign in with a local account."))))
    if "accounts" in labels:
        found.link(module_key("accounts"), key, _("OpenID Connect (authorisation code with PKCE)"),
                   _("Citizens' identity at sign-in"), FlowDirection.TWO_WAY, _configured(issuer))


def _signing(found: Discovery, labels: set[str]) -> None:
    module = Path(settings.SIGNING_PKCS11_MODULE or "").name
    soft = "softhsm" in module.lower()
    keys = found.add(FoundComponent(
        key="sec:pkcs11", layer=Layer.SECURITY, kind=Kind.SECURITY_SERVICE,
        name=_("Key store (PKCS#11)"), group=str(GROUPS["signing"]),
        description=(_("SoftHSM2 token “%(label)s” (software, for the demo).") if soft
                     else _("Hardware security module, token “%(label)s”.")) % {
            "label": settings.SIGNING_TOKEN_LABEL}))
    demo_pki = getattr(settings, "EGOV_DEMO_SERVICES", False)
    tsa = settings.SIGNING_TSA_URL
    stamps = found.add(FoundComponent(
        key="sec:tsa", layer=Layer.SECURITY, kind=Kind.SECURITY_SERVICE, name=_("Timestamp authority (TSA)"),
        group=str(GROUPS["signing"]), status=_configured(tsa or demo_pki),
        description=(_("Address: %(where)s.") % {"where": where(tsa)} if tsa
                     else _("The test PKI's timestamp authority (demo).") if demo_pki else _("Not configured."))))
    revocation = [where(url) for url in settings.SIGNING_REVOCATION_URLS if where(url)]
    status = found.add(FoundComponent(
        key="sec:revocation", layer=Layer.SECURITY, kind=Kind.SECURITY_SERVICE,
        name=_("Certificate status (OCSP, CRL)"), group=str(GROUPS["signing"]),
        status=_configured(revocation or demo_pki),
        description=(_("Responders: %(where)s.") % {"where": ", ".join(revocation)} if revocation
                     else _("The test PKI's OCSP and CRL responder (demo).") if demo_pki else _("Not configured."))))
    if "signing" in labels:
        found.link(module_key("signing"), keys, "PKCS#11", _("Signing with keys that never leave the token"))
        found.link(module_key("signing"), stamps, _("RFC 3161 over HTTP"), _("Timestamps of signatures"),
                   status=_configured(tsa or demo_pki))
        found.link(module_key("signing"), status, _("OCSP (RFC 6960), CRL over HTTP"),
                   _("Revocation status of certificates"), status=_configured(revocation or demo_pki))


def _infrastructure(found: Discovery, labels: set[str]) -> None:
    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if "postgres" in engine:
        host = database.get("HOST") or "localhost"
        port = f":{database['PORT']}" if database.get("PORT") else ""
        name, description = "PostgreSQL", _("Server %(host)s.") % {"host": f"{host}{port}"}
    else:
        name, description = engine.capitalize(), _("Embedded database file (embedded default).")
    found.add(FoundComponent(key="tech:database", layer=Layer.DATA, kind=Kind.DATA_STORE,
                             name=_("Database (%(engine)s)") % {"engine": name}, group=str(GROUPS["shared"]),
                             description=description))
    storage: dict = dict(settings.STORAGES["default"])
    options: dict = storage.get("OPTIONS", {})
    bucket, endpoint = options.get("bucket_name"), options.get("endpoint_url") or ""
    files = found.add(FoundComponent(
        key="tech:files", layer=Layer.DATA, kind=Kind.DATA_STORE,
        name=_("Object storage (S3)") if bucket else _("File storage (local folder)"), group=str(GROUPS["shared"]),
        description=(_("Bucket %(bucket)s at %(where)s.") % {"bucket": bucket, "where": where(endpoint) or "AWS"}
                     if bucket else _("Files kept in a local folder (embedded default)."))))
    for label, flow in (("dossiers", _("Dossier papers and results")), ("documents", _("Document files"))):
        if label in labels:
            found.link(module_key(label), files, _("storage API"), flow, FlowDirection.TWO_WAY)
    redis = settings.REDIS_URL
    found.add(FoundComponent(
        key="tech:cache", layer=Layer.TECHNOLOGY, kind=Kind.INFRASTRUCTURE,
        name=_("Cache (Redis)") if redis else _("Cache (local memory)"), group=str(GROUPS["shared"]),
        description=_("Server %(where)s.") % {"where": where(redis)} if redis
        else _("Each process keeps its own cache (embedded default).")))
    broker = settings.CELERY_BROKER_URL
    scheme = urlsplit(broker).scheme
    broker_name = "RabbitMQ" if scheme.startswith("amqp") else "Redis"
    queue = found.add(FoundComponent(
        key="tech:broker", layer=Layer.TECHNOLOGY, kind=Kind.INFRASTRUCTURE,
        name=(_("Task queue (%(broker)s)") % {"broker": broker_name}) if broker else _("Task queue (in-process)"),
        group=str(GROUPS["shared"]),
        description=_("Broker %(where)s; Celery workers run the background work.") % {"where": where(broker)}
        if broker else _("Background work runs in the web process after commit (embedded default).")))
    if "outbox" in labels:
        found.link(module_key("outbox"), queue, "Celery", _("Background tasks recorded in the outbox"))


def _api_clients(found: Discovery, labels: set[str]) -> None:
    from accounts.models import User
    from api.models import ApiToken

    now = timezone.now()
    groups = (ApiToken.objects.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
              .values("user__kind").annotate(tokens=Count("id"), holders=Count("user", distinct=True))
              .order_by("user__kind"))
    for row in groups:
        kind = row["user__kind"]
        label = User.Kind(kind).label if kind in User.Kind.values else kind
        key = found.add(FoundComponent(
            key=f"api-clients:{kind}", layer=Layer.APPLICATION, kind=Kind.CLIENT_GROUP,
            name=_("API clients: %(kind)s") % {"kind": label}, group=str(GROUPS["integration"]),
            description=_("%(holders)d holders with %(tokens)d active tokens.") % row))
        if "api" in labels:
            found.link(key, module_key("api"), _("HTTPS JSON API with Bearer tokens (OpenAPI)"),
                       _("Dossiers, procedures and statuses read and submitted by other systems"),
                       FlowDirection.TWO_WAY)


def discover() -> Discovery:
    """Every component and connection the configuration declares, now."""
    found = Discovery()
    labels = _modules(found)
    _exchange(found, labels)
    _payments_and_messages(found, labels)
    _signing(found, labels)
    _infrastructure(found, labels)
    _api_clients(found, labels)
    return found
