"""The e-office's demo: each agency of the demo directory that has a clerk keeps its incoming and
outgoing registers, and one for classified documents each way (Decree 30/2020 art. 14 and 21)."""

from directory.models import Agency, Membership, Role

from .models import Direction, Register

REGISTERS = [
    (Direction.INCOMING, "Sổ đăng ký văn bản đến", False),
    (Direction.OUTGOING, "Sổ đăng ký văn bản đi", False),
    (Direction.INCOMING, "Sổ đăng ký văn bản mật đến", True),
    (Direction.OUTGOING, "Sổ đăng ký văn bản mật đi", True),
]


def load_registers() -> list[Register]:
    """Idempotent: the registers of every agency in force that has a clerk."""
    clerk_agencies = {agency_id for agency_id, roles in Membership.objects.valid_on().values_list("agency_id", "roles")
                      if Role.CLERK in (roles or [])}
    registers = []
    for agency in Agency.objects.valid_on().filter(pk__in=clerk_agencies):
        for direction, name, confidential in REGISTERS:
            register, _created = Register.objects.get_or_create(
                agency=agency, direction=direction, name=name, defaults={"confidential": confidential})
            registers.append(register)
    return registers


def load_demo_documents(demo) -> None:
    """The e-office's part of ``egov demo``: the registers (and, later, sample documents)."""
    load_registers()
