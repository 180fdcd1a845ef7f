"""The two baselines: the least a Django view on this stack can do for a write and for a read.

* ``POST /bench/insert``: one ``INSERT`` into ``bench_row`` (created by the benchmark's setup),
  answered like the submit endpoint, by a 302. It is *not* CSRF-exempt: the load generator sends
  the same session cookie, CSRF cookie and form token as for the submit, so both pay the same
  middleware (session read and save, user load, CSRF check) and the ratio isolates the view.
* ``GET /bench/select?code=…``: one ``SELECT`` of one dossier by its unique code, answered with a
  tiny JSON document. Anonymous, like the public lookup.
"""

from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_GET, require_POST

INSERT_SQL = "INSERT INTO bench_row (payload) VALUES (%s)"
SELECT_SQL = "SELECT id, code, status FROM dossiers_dossier WHERE code = %s"


@require_POST
def insert(request):
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL, [request.POST.get("payload", "")[:200]])
    return HttpResponseRedirect("/bench/done")


@require_GET
def select(request):
    with connection.cursor() as cursor:
        cursor.execute(SELECT_SQL, [request.GET.get("code", "")])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return JsonResponse({"id": row[0], "code": row[1], "status": row[2]})
