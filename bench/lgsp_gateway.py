"""Benchmark: the integration platform's overhead on a shared-category read (issue 13).

    .venv/bin/python -m bench.lgsp_gateway [--n 500] [--redis redis://127.0.0.1:6379/8] [--keep-database]

One run: create a throw-away PostgreSQL database, migrate it (the reference categories come with
the migrations), load the demo directory, register a client system with ``dmdc.read`` and a quota
no run reaches, and take its token from the real token endpoint. Then, in the same process, through
the same middleware stack (Django's test client, no network), for two categories — ``DanToc`` (54
rows kept by the platform) and ``DonViHanhChinh`` (the administrative units read from the
directory) — N reads each way, interleaved:

- **through the platform**: ``GET /dmdc/Category/<category>`` with the bearer token: token check
  (one query), the client's status, address and scope, the quota counters in the cache (Redis
  with --redis, as in production; the process's memory without), the call log's INSERT;
- **without it**: a plain Django view mounted by this module at ``/bench-plain/<category>`` doing
  the same query and the same JSON answer, no token, quota or log.

Prints the median and p99 of each, and the ratio of the medians. The database is dropped at the
end (also on failure) unless --keep-database.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway import add_database_arguments, database, log  # noqa: E402 - after the checkout is on the path

CATEGORIES = ("DanToc", "DonViHanhChinh")


def plain_category(request, category):
    """The same read without the platform's door: the baseline."""
    from django.http import Http404

    from lgsp import categories
    from lgsp.dmdc_views import answer

    found = categories.find(category)
    if found is None:
        raise Http404
    return answer({"status": 1, **categories.rows(found)})


def _urlpatterns():
    from django.urls import path

    from egov.urls import urlpatterns

    return [*urlpatterns, path("bench-plain/<str:category>", plain_category)]


def __getattr__(name):  # the URLconf of the run: the platform's, plus the baseline view
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _measure(n: int, token: str) -> dict[str, dict[str, tuple[float, float]]]:
    from django.test import Client as Browser

    browser = Browser()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    results = {}
    for category in CATEGORIES:
        gateway_path, plain_path = f"/dmdc/Category/{category}", f"/bench-plain/{category}"
        for _ in range(20):  # warm-up, both ways
            assert browser.get(gateway_path, **headers).status_code == 200
            assert browser.get(plain_path).status_code == 200
        through, plain = [], []
        for _ in range(n):
            start = time.perf_counter()
            first = browser.get(gateway_path, **headers)
            through.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            second = browser.get(plain_path)
            plain.append((time.perf_counter() - start) * 1000)
            assert first.status_code == second.status_code == 200 and len(first.content) == len(second.content)
        results[category] = {"gateway": _percentiles(through), "plain": _percentiles(plain)}
    return results


def _token(client, secret: str) -> str:
    from django.test import Client as Browser

    answer = Browser().post("/lgsp/oauth/token/", {"grant_type": "client_credentials"},
                            HTTP_AUTHORIZATION="Basic " + base64.b64encode(
                                f"{client.client_id}:{secret}".encode()).decode())
    return answer.json()["access_token"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8",
                        help="the cache of the quota counters; empty: the process's memory")
    add_database_arguments(parser, default="egov_bench_lgsp", variable="BENCH_LGSP_DATABASE")
    args = parser.parse_args(argv)
    with database(args.database, keep=args.keep_database):
        from django.core.cache import cache
        from django.test.utils import override_settings

        caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": args.redis}
                  } if args.redis else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        override_settings(ROOT_URLCONF="bench.lgsp_gateway", ALLOWED_HOSTS=["*"], CACHES=caches).enable()
        cache.clear()
        from directory.demo import load_demo
        from lgsp import services
        from lgsp.models import CallLog

        demo = load_demo()
        admin = demo.users["quantri.tinh"]
        client, secret = services.create_client(
            user=admin, agency=admin.memberships.first().agency, name="Hệ thống đo hiệu năng", scopes=["dmdc.read"],
            per_minute=10**8, per_day=10**8)
        log(f"measuring {args.n} reads each way, per category")
        results = _measure(args.n, _token(client, secret))
        calls = CallLog.objects.filter(client=client).count()
        print(f"reads: {args.n} per category and way; quota counters in {'Redis' if args.redis else 'memory'}; "
              f"calls logged: {calls:,}")
        for category, found in results.items():
            (g50, g99), (p50, p99) = found["gateway"], found["plain"]
            print(f"{category:<16} through the platform: p50 {g50:.2f} ms, p99 {g99:.2f} ms")
            print(f"{category:<16} plain view:           p50 {p50:.2f} ms, p99 {p99:.2f} ms")
            print(f"{category:<16} ratio (p50): {g50 / p50:.2f}×, overhead {g50 - p50:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
