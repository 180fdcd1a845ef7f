"""The outbox's own events, for apps that keep a record of their own beside a row."""

from django.dispatch import Signal

# The outbox gave up on a row (all its attempts used): ``task`` (its name), ``args``, ``outbox_id``.
given_up = Signal()
