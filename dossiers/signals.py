"""Events of the back office that other apps act on, sent inside the door's transaction (so what
a receiver records commits or rolls back with the change)."""

from django.dispatch import Signal

# A step opened (``dossier``, ``line``: the DossierStep). The exchange sends the dossier on when
# the step's agency works on another system (exchange.dossiers).
step_opened = Signal()
