"""The platform's URLs plus the two baselines (bench/baseline.py)."""

from django.urls import path

from egov.urls import urlpatterns as platform_urlpatterns

from . import baseline, whatif

whatif.apply()  # only with BENCH_WHATIF_OWN_ROW_LOCK=1 (bench/whatif.py)

urlpatterns = [
    path("bench/insert", baseline.insert, name="bench-insert"),
    path("bench/select", baseline.select, name="bench-select"),
    *platform_urlpatterns,
]
