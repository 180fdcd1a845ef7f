# Each simulator keeps its models in its own module; Django finds them through this one.
from simulators.sms.models import SimulatedSms  # noqa: F401
