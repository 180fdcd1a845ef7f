"""Local simulators of external systems, each in its own module or subpackage (``sms/``, …)."""
