"""Fees and charges (phí, lệ phí) as data, computed from the procedure and the form's values.

Each item of ``ProcedureVersion.fees`` is ``{"name": "...", "rule": {...}}`` with one of:

- ``{"type": "free"}``
- ``{"type": "fixed", "amount": 50000}``
- ``{"type": "per_unit", "field": "copies", "unit_amount": 8000, "base": 0}`` – base + amount × value
- ``{"type": "table", "field": "works_kind", "amounts": {"Nhà ở riêng lẻ": 75000, "Công trình khác": 150000}}``

Amounts are whole Vietnamese đồng.
"""

from dataclasses import dataclass


class FeeRuleError(ValueError):
    pass


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount: int


def check_fees(fees: list, schema: dict) -> None:
    properties = (schema or {}).get("properties", {})
    if not isinstance(fees, list):
        raise FeeRuleError("fees must be a list")
    for item in fees:
        rule = item.get("rule", {}) if isinstance(item, dict) else {}
        kind = rule.get("type")
        if not item.get("name"):
            raise FeeRuleError("every fee needs a name")
        if kind == "fixed" and not (isinstance(rule.get("amount"), int) and rule["amount"] >= 0):
            raise FeeRuleError(f"{item['name']}: a fixed fee needs a whole amount")
        elif kind in ("per_unit", "table"):
            if rule.get("field") not in properties:
                raise FeeRuleError(f"{item['name']}: the form has no field {rule.get('field')!r}")
        elif kind not in ("free", "fixed"):
            raise FeeRuleError(f"{item['name']}: unknown rule {kind!r}")


def compute(fees: list, values: dict) -> list[FeeLine]:
    lines = []
    for item in fees:
        rule = item["rule"]
        kind = rule["type"]
        if kind == "free":
            amount = 0
        elif kind == "fixed":
            amount = rule["amount"]
        elif kind == "per_unit":
            amount = rule.get("base", 0) + rule["unit_amount"] * int(values.get(rule["field"]) or 0)
        else:  # table
            amount = rule["amounts"].get(str(values.get(rule["field"], "")), 0)
        lines.append(FeeLine(item["name"], int(amount)))
    return lines


def total(fees: list, values: dict) -> int:
    return sum(line.amount for line in compute(fees, values))
