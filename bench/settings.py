"""Settings of the benchmark server: the platform's own settings, plus two baseline views.

Only the URLconf changes, so the platform's endpoints and the baselines run in the same
gunicorn process, behind the same middleware, on the same database and cache.
"""

from egov.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Measured as before the demo's SMS simulator default: no SMS from the benchmark server (its
# simulator URL would point at another port), so the submit path is the same as in production
# minus the broker.
SMS_GATEWAY_URL = ""
