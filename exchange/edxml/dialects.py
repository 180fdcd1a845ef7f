"""The two dialects of edXML read and written here, and how each writes dates and times.

* ``qcvn102``: QCVN 102:2016/BTTTT, namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``, root
  ``edXML`` > ``edXMLEnvelope`` + ``edXMLManifest``; ISO dates and times (``xs:date``, ``xs:dateTime``).
* ``edoc``: the eDoc connection guide (v2.2) of a provincial axis for Decision 28/2018/QĐ-TTg,
  namespace ``http://www.go.vn/eDoc``, root ``edXMLEnvelope`` (lower-case e, default namespace,
  no prefix); dates ``YYYY/MM/DD``, times ``yyyy/MM/dd HH:mm:ss`` in Vietnam's time (UTC+7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

QCVN102 = "qcvn102"
EDOC = "edoc"
QCVN102_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
EDOC_NS = "http://www.go.vn/eDoc"

# A time without an offset (the eDoc format has none) is Vietnam's time.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM)


def _iso_time(moment: dt.datetime) -> str:
    return aware(moment).isoformat()


def _slash_date(day: dt.date) -> str:
    return day.strftime("%Y/%m/%d")


def _slash_time(moment: dt.datetime) -> str:
    return aware(moment).astimezone(VIETNAM).strftime("%Y/%m/%d %H:%M:%S")


def _read_slash_date(text: str) -> dt.date:
    return dt.datetime.strptime(text.strip(), "%Y/%m/%d").date()


def _read_slash_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text.strip(), "%Y/%m/%d %H:%M:%S").replace(tzinfo=VIETNAM)


def _read_iso_time(text: str) -> dt.datetime:
    return aware(dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")))


@dataclass(frozen=True)
class Dialect:
    name: str
    namespace: str
    root: str
    schema: str                                 # file under schemas/
    write_date: Callable[[dt.date], str]
    read_date: Callable[[str], dt.date]
    write_time: Callable[[dt.datetime], str]
    read_time: Callable[[str], dt.datetime]

    def tag(self, local: str) -> str:
        return f"{{{self.namespace}}}{local}"


DIALECTS = {
    QCVN102: Dialect(QCVN102, QCVN102_NS, "edXML", "qcvn102.xsd", dt.date.isoformat,
                     lambda text: dt.date.fromisoformat(text.strip()), _iso_time, _read_iso_time),
    EDOC: Dialect(EDOC, EDOC_NS, "edXMLEnvelope", "edoc.xsd", _slash_date, _read_slash_date, _slash_time,
                  _read_slash_time),
}
BY_NAMESPACE = {dialect.namespace: dialect for dialect in DIALECTS.values()}


def get(name: str) -> Dialect:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown edXML dialect {name!r} (expected one of {', '.join(DIALECTS)})") from None
