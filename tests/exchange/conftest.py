"""The exchange tests' fixtures: the axis simulator process and the demo with seals and registers."""

from tests.exchange.world import axis_sim, world  # noqa: F401
