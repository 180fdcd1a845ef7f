"""What the outbound queue tells the apps above (sent inside the transaction that records it)."""

from django.dispatch import Signal

# A message reached its national system: ``item`` (national.models.OutboundItem) with ``item.response``.
delivered = Signal()
# The national system refused a message (a 4xx, or a refusal in its own envelope): ``item``, with
# ``item.response`` {"code", "detail"}. It is not sent again unless an administrator retries it.
refused = Signal()
