"""Procedures by life event (dịch vụ công theo sự kiện), as the National Public Service Portal
groups them for citizens: a declarative table of the catalog's fields (lĩnh vực) and, where one
procedure of a field belongs elsewhere, of procedure codes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LifeEvent:
    slug: str
    title: str
    description: str
    fields: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


LIFE_EVENTS = (
    LifeEvent("family", _("Birth, marriage and death"),
              _("Registering a birth, a marriage, a death, a guardianship; extracts of civil status"),
              fields=("ho_tich",)),
    LifeEvent("papers", _("Certified copies and signatures"),
              _("Certified copies, certified signatures and wills, criminal record certificates"),
              fields=("chung_thuc", "ly_lich_tu_phap")),
    LifeEvent("home", _("Building a house, land"),
              _("Building permits, registering land and the changes to it"),
              fields=("xay_dung", "dat_dai")),
    LifeEvent("business", _("Starting a business"),
              _("Household businesses, enterprises and the licences of conditional trades"),
              fields=("ho_kinh_doanh", "dang_ky_doanh_nghiep", "cong_thuong", "an_toan_thuc_pham",
                      "van_hoa_co_so")),
    LifeEvent("work", _("Work, studies and health"),
              _("Unemployment benefit, copies of diplomas, practising certificates"),
              fields=("lao_dong", "giao_duc", "y_te")),
)

BY_SLUG = {event.slug: event for event in LIFE_EVENTS}
