"""Benchmark: document search (documents.search) and the inbox on N documents (issue 11).

    .venv/bin/python -m bench.documents_search [--documents 100000] [--queries 200] [--keep-database]

One run: create a throw-away PostgreSQL database, migrate it (the GIN index of
``documents/migrations/0003_search_index.py`` included), load the demo directory and its
registers, then generate documents of Sở Tư pháp in bulk with one ``INSERT … SELECT
generate_series(…)``: folded search text of about 40 words drawn from an administrative vocabulary
(skewed: common words often, rare ones seldom), incoming and outgoing, 1 % classified, a main
assignment to one of its units for a fifth of the incoming ones; VACUUM ANALYZE. Then, first at
10 000 documents and again at N:

- the inbox: ``documents.selectors.open_assignments`` for a specialist (first page and count) and
  the clerk's incoming list (``visible_documents``, newest 50): each the median of 20 runs;
- at N only: p50/p99 of ``documents.search.search`` (the clerk reading the whole agency, first page
  of 25 results: the newest 2 000 matches ranked) over --queries queries of one to three words,
  beside a hand-written PostgreSQL full-text query on the same data (same tsquery, same stored
  vector and GIN index, every match ranked, LIMIT 25), and how many of the queries gave a
  different number of rows (at most 25 each; must be 0).

The database is dropped at the end (also on failure) unless --keep-database. See docs/benchmarks.md.
"""

import argparse
import random
import secrets
import statistics
import sys
import time

from bench.throwaway import database, log, median_ms

# Folded words of Vietnamese administrative writing; the first ones are drawn most often.
VOCABULARY = """
ve viec cua cac va trong theo de nam thuc hien ban nhan dan tinh so tu phap ke hoach bao cao quyet dinh
cong van huong dan trien khai cong tac quan ly nha nuoc to chuc hoi nghi kiem tra giam sat don vi phong
ho tich chung thuc cong chung luat su giam dinh tro giup phap ly pho bien giao duc hoa giai co so xa phuong
thi tran huyen thanh pho thai nguyen dai tu phu binh dong hy vo nhai dinh hoa phu luong song cong pho yen
dat dai xay dung tai nguyen moi truong giao thong van tai y te giao duc dao tao lao dong thuong binh xa hoi
tai chinh ngan sach thue kho bac dau tu cong ke toan kiem toan thanh tra khieu nai to cao tiep cong dan
phong chong tham nhung tiet kiem lang phi cai cach hanh chinh chuyen doi so chinh quyen dien tu dich vu
cong truc tuyen mot cua lien thong ho so thu tuc bo nhiem can bo cong chuc vien chuc thi dua khen thuong
ky luat bien che tuyen dung dao tao boi duong quy che quy dinh chi thi nghi quyet thong bao giay moi
to trinh bien ban hop dong phuong an de an du an chuong trinh thien tai lu lut cuu nan an ninh quoc phong
dan toc ton giao van hoa the thao du lich nong nghiep lam nghiep thuy loi khuyen nong cong nghiep thuong mai
""".split()

GENERATE = """
INSERT INTO documents_document (
    agency_id, direction, status, source, register_id, register_year, register_number, document_type_id,
    number_symbol, issuer_name, abstract, signer_name, urgency, confidentiality, handled_how, body,
    recipients_text, search_text, fingerprint, exchange_id, created_by_id, created_at, updated_at, revision,
    received_at, handling_due_on, handled_at, issued_at, drafting_unit_id{extra_columns})
SELECT %(agency)s, direction,
    CASE WHEN direction = 'incoming' THEN (ARRAY['registered','in_handling','handled','handled'])[1 + g %% 4]
         ELSE (ARRAY['drafting','issued','issued'])[1 + g %% 3] END,
    CASE WHEN g %% 3 = 0 THEN 'exchange' WHEN direction = 'outgoing' THEN 'drafted' ELSE 'paper' END,
    CASE WHEN direction = 'incoming' THEN %(incoming)s ELSE %(outgoing)s END, 2026,
    CASE WHEN direction = 'incoming' THEN g END,
    (%(types)s::bigint[])[1 + g %% cardinality(%(types)s::bigint[])],
    g || '/BENCH', 'Sở Tư pháp', left(words, 200), '', 'normal',
    CASE WHEN g %% 100 = 0 THEN 'confidential' ELSE 'normal' END, '', '', '', words, '', '', %(clerk)s,
    moment, moment, 0,
    CASE WHEN direction = 'incoming' THEN moment END,
    CASE WHEN direction = 'incoming' THEN (moment + interval '10 days')::date END,
    CASE WHEN direction = 'incoming' AND g %% 4 >= 2 THEN moment + interval '5 days' END,
    CASE WHEN direction = 'outgoing' AND g %% 3 > 0 THEN moment END,
    CASE WHEN direction = 'outgoing' THEN (%(units)s::bigint[])[1 + g %% cardinality(%(units)s::bigint[])] END
    {extra_values}
FROM (
    SELECT g, CASE WHEN g %% 5 < 3 THEN 'incoming' ELSE 'outgoing' END AS direction,
        timestamptz '2024-01-01' + (g::float / %(last)s) * interval '900 days' AS moment,
        (SELECT string_agg((%(vocabulary)s::text[])[1 + floor(power(random(), 2.5) * %(size)s)::int], ' ')
         FROM generate_series(1, 40 + (g %% 1)) AS w) AS words
    FROM generate_series(%(first)s, %(last)s) AS g
) AS generated
"""

ASSIGN = """
INSERT INTO documents_assignment (document_id, role, unit_id, due_on, note, assigned_by_id, assigned_at,
                                  done_note, done_at)
SELECT id, 'main', (%(units)s::bigint[])[1 + id %% cardinality(%(units)s::bigint[])], handling_due_on, '',
       %(leader)s, received_at, '', received_at + interval '2 days'
FROM documents_document WHERE direction = 'incoming' AND id %% 5 = 0 AND id > %(after)s;
-- As in a working agency, what is waiting stays about the same whatever the years behind it: the
-- newest assignments are open, the older ones were done.
UPDATE documents_assignment SET done_at = assigned_at + interval '2 days' WHERE done_at IS NULL;
UPDATE documents_assignment SET done_at = NULL
WHERE id IN (SELECT id FROM documents_assignment ORDER BY assigned_at DESC, id DESC LIMIT %(open)s)
"""
OPEN_ASSIGNMENTS = 400


def _world(demo) -> dict:
    from documents.models import DocumentType, Register

    agency = demo.agencies["STP"]
    units = [u.pk for u in agency.units.all()]
    registers = {r.direction: r.pk for r in Register.objects.filter(agency=agency, confidential=False)}
    return {"agency": agency.pk, "units": units, "incoming": registers["incoming"],
            "outgoing": registers["outgoing"], "types": list(DocumentType.objects.values_list("pk", flat=True)),
            "clerk": demo.users["vanthu.stp"].pk, "leader": demo.users["giamdoc.stp"].pk,
            "vocabulary": VOCABULARY, "size": len(VOCABULARY)}


EMPTY = {"character varying": "''", "text": "''", "integer": "0", "smallint": "0", "bigint": "0",
         "boolean": "false", "jsonb": "'{}'::jsonb", "timestamp with time zone": "now()", "date": "current_date"}


def _filled(cursor, sql: str) -> str:
    """``sql`` with the NOT NULL columns it does not name (fields added since) set to an empty value."""
    cursor.execute("""SELECT column_name, data_type FROM information_schema.columns
                      WHERE table_name = 'documents_document' AND is_nullable = 'NO' AND column_default IS NULL""")
    named = sql.split("SELECT", 1)[0]
    extra = [(name, kind) for name, kind in cursor.fetchall() if name != "id" and name not in named]
    return sql.format(extra_columns="".join(f", {name}" for name, _kind in extra),
                      extra_values="".join(f", {EMPTY[kind]}" for _name, kind in extra))


def _generate(world: dict, first: int, last: int) -> None:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        generate = _filled(cursor, GENERATE)
        cursor.execute("SELECT coalesce(max(id), 0) FROM documents_document")
        after = cursor.fetchone()[0]
        for low in range(first, last + 1, 100_000):
            high = min(last, low + 99_999)
            cursor.execute(generate, {**world, "first": low, "last": high})
        for statement in ASSIGN.split(";\n"):
            if statement.strip():
                cursor.execute(statement, {**world, "after": after, "open": OPEN_ASSIGNMENTS})
    connection.commit() if not connection.get_autocommit() else None
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE documents_document")
        cursor.execute("VACUUM ANALYZE documents_assignment")
    log(f"documents {first}..{last} generated in {time.perf_counter() - start:.1f} s")


def _inbox(demo) -> dict:
    from documents.models import Direction
    from documents.selectors import open_assignments, visible_documents

    specialist, clerk = demo.users["truongphong.stp"], demo.users["vanthu.stp"]

    def assignments():
        waiting = open_assignments(specialist).order_by("due_on", "id")
        list(waiting[:50])
        waiting.count()

    def incoming_list():
        list(visible_documents(clerk).filter(direction=Direction.INCOMING).order_by("-created_at", "-id")[:50])

    return {"inbox": median_ms(assignments, 20)[0], "list": median_ms(incoming_list, 20)[0]}


def _queries(count: int) -> list[str]:
    chooser = random.Random(11)
    return [" ".join(chooser.choice(VOCABULARY) for _ in range(chooser.choice((1, 2, 2, 3)))) for _ in range(count)]


HAND = """
SELECT id FROM documents_document
WHERE agency_id = %s AND search_tsv @@ to_tsquery('simple', %s)
ORDER BY ts_rank(search_tsv, to_tsquery('simple', %s)) DESC, created_at DESC
LIMIT 25
"""


def _search(demo, world: dict, queries: list[str]) -> dict:
    from django.db import connection

    from documents.search import search, ts_query
    from documents.search_text import words

    clerk = demo.users["vanthu.stp"]
    ours, hand, disagreements = [], [], 0
    for query in queries:
        start = time.perf_counter()
        found = list(search(clerk, query).values_list("pk", flat=True)[:25])
        ours.append((time.perf_counter() - start) * 1000)
        tsq = ts_query(words(query))
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(HAND, [world["agency"], tsq, tsq])
            by_hand = [row[0] for row in cursor.fetchall()]
        hand.append((time.perf_counter() - start) * 1000)
        disagreements += len(found) != len(by_hand)

    def pct(values, q):
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1]

    return {"ours": (pct(ours, 50), pct(ours, 99)), "hand": (pct(hand, 50), pct(hand, 99)),
            "disagreements": disagreements}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database", default=f"egov_bench_documents_{secrets.token_hex(3)}")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)
    with database(args.database, keep=args.keep_database):
        return _run(args)


def _run(args) -> int:
    from directory.demo import load_demo
    from documents.demo import load_registers

    small = min(10_000, args.documents)
    demo = load_demo()
    load_registers()
    world = _world(demo)
    _generate(world, 1, small)
    at_small = _inbox(demo)
    if args.documents > small:
        _generate(world, small + 1, args.documents)
    at_n = _inbox(demo)
    from django.db import connection

    print(f"documents: {args.documents:,}; queries: {args.queries}")
    for jit in ("on", "off"):
        # PostgreSQL's JIT compiles a plan whose estimated cost is high (the visibility filter's
        # subplans make it so) and that alone took ~300 ms of a 45 ms search: shown both ways.
        with connection.cursor() as cursor:
            cursor.execute(f"SET jit = {jit}")
        found = _search(demo, world, _queries(args.queries))
        print(f"[jit {jit}] search, ours (documents.search, clerk, first 25): p50 {found['ours'][0]:.1f} ms, "
              f"p99 {found['ours'][1]:.1f} ms")
        print(f"[jit {jit}] search, hand-written SQL (same tsquery, LIMIT 25):  p50 {found['hand'][0]:.1f} ms, "
              f"p99 {found['hand'][1]:.1f} ms")
        print(f"[jit {jit}] queries whose two answers differ in size: {found['disagreements']}")
    print(f"inbox (open assignments, page + count): {at_small['inbox']:.1f} ms at {small:,}, "
          f"{at_n['inbox']:.1f} ms at {args.documents:,}")
    print(f"incoming list (newest 50, clerk):       {at_small['list']:.1f} ms at {small:,}, "
          f"{at_n['list']:.1f} ms at {args.documents:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
