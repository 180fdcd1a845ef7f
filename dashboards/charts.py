"""Chart data for ``dashboards/static/dashboards/charts.js``: a chart is a type, categories and
series, written into the page as JSON (``json_script``) and drawn by Apache ECharts; the same data
is the table printed beside it for screen readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


def _number(value) -> float | None:
    return None if value is None else float(value)


@dataclass
class Chart:
    id: str
    title: str
    type: str  # "bar", "hbar" or "line"
    categories: list[str]
    series: list[dict] = field(default_factory=list)
    unit: str = ""

    def add(self, name: str, values: list[Decimal | int | None]) -> Chart:
        self.series.append({"name": name, "data": [_number(v) for v in values]})
        return self

    @property
    def data(self) -> dict:
        return {"type": self.type, "title": self.title, "categories": self.categories, "series": self.series,
                "unit": self.unit}

    @property
    def rows(self) -> list[tuple[str, list]]:
        """(category, [value of each series]) for the table."""
        return [(category, [s["data"][i] for s in self.series]) for i, category in enumerate(self.categories)]
