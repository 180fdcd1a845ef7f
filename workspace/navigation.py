"""The officials' navigation, by role. Later subsystems add their entries here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.models import Role
from directory.scope import Action, roles_of, scope_of

ALL = None


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = ALL  # shown to holders of any of these roles; ALL: every official
    action: Action | None = None  # or to anyone whose scope for this action is not empty


ITEMS = [
    NavItem(_("Overview"), "workspace:home"),
    NavItem(
        _("Dossiers"), "office:queue",
        roles=frozenset({Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.AGENCY_LEADER, Role.CLERK}),
    ),
    NavItem(_("Results to sign"), "office:to_sign", roles=frozenset(), action=Action.SIGN),
    # Sổ theo dõi hồ sơ: readers of a whole department's dossiers (dossiers.register decides which).
    NavItem(
        _("Dossier register"), "office:register",
        roles=frozenset({Role.DESK_OFFICER, Role.AGENCY_LEADER, Role.CLERK, Role.PROVINCE_ADMIN, Role.AUDITOR}),
    ),
    # Văn phòng điện tử (Decree 30/2020): every official of an agency works documents and tasks.
    NavItem(_("Incoming documents"), "documents:incoming"),
    NavItem(_("Outgoing documents"), "documents:outgoing"),
    NavItem(_("Tasks"), "work:board"),
    NavItem(_("Files and archive"), "records:files"),
    NavItem(_("Search documents"), "documents:search"),
    # Liên thông văn bản: the agency's clerks and leaders follow its exchange (exchange.policy).
    NavItem(_("Document exchange"), "exchange:console", roles=frozenset({Role.CLERK, Role.AGENCY_LEADER})),
    # Hỗ trợ: citizens' and officials' requests for help, answered by the agency or the IT help desk.
    NavItem(
        _("Support requests"), "support_office:queue",
        roles=frozenset({Role.DESK_OFFICER, Role.AGENCY_LEADER, Role.PROVINCE_ADMIN}),
    ),
    NavItem(_("Campaigns"), "support_office:campaigns", roles=frozenset({Role.PROVINCE_ADMIN})),
    # Phản ánh, kiến nghị and satisfaction: the agency's desk and leaders answer; statistics for leaders.
    NavItem(
        _("Feedback and complaints"), "feedback:queue",
        roles=frozenset({Role.DESK_OFFICER, Role.AGENCY_LEADER, Role.PROVINCE_ADMIN}),
    ),
    NavItem(
        _("Satisfaction"), "feedback:statistics",
        roles=frozenset({Role.AGENCY_LEADER, Role.AUDITOR, Role.PROVINCE_ADMIN}),
    ),
    # Bảng điều hành: the leaders' dashboards and the province's indices.
    NavItem(_("Dashboard"), "dashboards:home", roles=frozenset({Role.AGENCY_LEADER, Role.PROVINCE_ADMIN})),
    # Chỉ số phục vụ (Decision 766): whoever reads a whole agency, commune, centre or the province.
    NavItem(
        _("Service indices"), "indices:index",
        roles=frozenset({Role.AGENCY_LEADER, Role.PROVINCE_ADMIN, Role.AUDITOR, Role.DESK_OFFICER, Role.CLERK}),
    ),
    # Đánh giá: each official's own assessment, the agency's e-agency self-assessment, recognitions.
    NavItem(_("Assessment and recognition"), "recognition:index"),
    # Đào tạo: every official follows courses and their own record; leaders and admins see the gap.
    NavItem(_("Training"), "training:catalogue"),
    # Governing IT (issue 15): plans, investments and assets; the architecture model.
    NavItem(
        _("IT investment planning"), "itplanning:plans",
        roles=frozenset({Role.AGENCY_ADMIN, Role.AGENCY_LEADER, Role.PROVINCE_ADMIN, Role.AUDITOR}),
    ),
    NavItem(
        _("E-government architecture"), "architecture:index",
        roles=frozenset({Role.PROVINCE_ADMIN, Role.AGENCY_LEADER, Role.AUDITOR}),
    ),
    NavItem(_("Agency directory"), "workspace:directory"),
    NavItem(
        _("Delegations"), "workspace:delegations",
        roles=frozenset({Role.AGENCY_LEADER, Role.UNIT_HEAD, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN}),
    ),
    NavItem(_("Working calendar"), "workspace:calendar"),
    NavItem(
        _("Statistics"), "reports:settlement",
        roles=frozenset({Role.AGENCY_LEADER, Role.UNIT_HEAD, Role.AUDITOR, Role.PROVINCE_ADMIN, Role.DESK_OFFICER}),
    ),
    NavItem(
        _("Payment reconciliation"), "payments:reconciliation",
        roles=frozenset({Role.AGENCY_LEADER, Role.AUDITOR, Role.PROVINCE_ADMIN, Role.DESK_OFFICER}),
    ),
    # The integration platform (issue 13): agency systems as clients, their calls, the shared categories.
    NavItem(_("Integration platform"), "lgsp_office:clients", roles=frozenset(), action=Action.MANAGE),
    # The national systems (issue 13): their state and the queue owed to them; the national portal's dossiers.
    NavItem(_("National systems"), "national:status", roles=frozenset({Role.PROVINCE_ADMIN})),
    NavItem(_("National Public Service Portal"), "nationalsync:overview", roles=frozenset({Role.PROVINCE_ADMIN})),
    NavItem(_("Audit trail"), "workspace:audit", roles=frozenset(), action=Action.AUDIT),
    # Thời hạn lưu trữ: the retention job's policies, reports and legal holds (retention.policy decides).
    NavItem(_("Data retention"), "retention:index", roles=frozenset({Role.PROVINCE_ADMIN, Role.AUDITOR})),
    NavItem(
        _("Directory administration"), "admin:index",
        roles=frozenset({Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN}),
    ),
    NavItem(_("Account security"), "accounts:security"),
]


def navigation_for(user) -> list[dict]:
    if not (getattr(user, "is_official", False) or getattr(user, "is_superuser", False)):
        return []
    roles = roles_of(user)
    items = []
    for item in ITEMS:
        if item.action is not None:
            shown = not scope_of(user, item.action).empty
        else:
            shown = item.roles is ALL or bool(roles & item.roles) or user.is_superuser
        if shown:
            items.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
    return items
