"""What happens to a document that others may need to know (the inter-agency exchange owes its
senders and recipients a status for each). Sent inside the door's transaction, so whatever a
receiver records commits or rolls back with the change; ``sender`` is :class:`Document`, and every
signal carries ``document`` (the locked row) and ``by`` (the official acting).

The documents app does not know who listens (``exchange.receivers`` does): layers go one way.
"""

from django.dispatch import Signal

# distribute(): ``rows`` the Distribution rows just written (units, agencies, e-mails).
distributed = Signal()
# An incoming document accepted into the register by the clerk (incoming.accept).
accepted = Signal()
# Refused by the clerk (incoming.refuse), with ``reason``.
refused = Signal()
# The leader's direction gives it to its handlers (routing.direct).
directed = Signal()
# Handling under way: a unit passes its part to a person, or a holder reports their part.
processing = Signal()
# Handled (routing.complete, or answered by an issued document: routing.answered).
completed = Signal()
# The leader recalls an issued document (distribution.recall), with ``reason``.
recalled = Signal()
