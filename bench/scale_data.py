"""What ``bench/scale.py`` writes beside the dossiers and their events (bench.province): the steps of
each received dossier (intake, then examination; the open ones' examination is their current step),
one official document for every ten dossiers with its handling assignment, and the audit entries of
both (created; changed when received or registered). All in SQL, of the rows inserted by this load."""

from __future__ import annotations

from bench.throwaway import check_columns

TABLES = ("dossiers_dossierstep", "documents_document", "documents_assignment", "audit_auditentry")

STEPS = [
    """INSERT INTO dossiers_dossierstep (dossier_id, step_id, "order", name, agency_id, unit_id, role, assignee_id,
           received_at, due_at, handed_at, handed_by_id, action, note, timeliness, warned_at)
       SELECT id, NULL, 1, 'Tiếp nhận hồ sơ', agency_id, unit_id, 'desk_officer', NULL, received_at,
           received_at + interval '4 hours', received_at + interval '1 hour', NULL, 'forward', '', 'on_time', NULL
       FROM dossiers_dossier WHERE id > %(after)s AND received_at IS NOT NULL""",
    """INSERT INTO dossiers_dossierstep (dossier_id, step_id, "order", name, agency_id, unit_id, role, assignee_id,
           received_at, due_at, handed_at, handed_by_id, action, note, timeliness, warned_at)
       SELECT id, NULL, 2, 'Thẩm định hồ sơ', agency_id, unit_id, 'specialist', NULL, received_at + interval '1 hour',
           due_at, coalesce(result_ready_at, finished_at), NULL,
           CASE WHEN result_ready_at IS NOT NULL THEN 'approve' WHEN finished_at IS NOT NULL THEN 'refuse' ELSE '' END,
           '', CASE WHEN result_ready_at IS NOT NULL THEN outcome ELSE '' END, NULL
       FROM dossiers_dossier WHERE id > %(after)s AND received_at IS NOT NULL""",
    """UPDATE dossiers_dossier d SET current_step_id = s.id
       FROM dossiers_dossierstep s
       WHERE s.dossier_id = d.id AND s."order" = 2 AND s.handed_at IS NULL AND d.id > %(after)s
         AND d.status IN ('in_progress', 'supplement', 'paused')""",
]

# Incoming (60 %) and outgoing documents of the dossiers' agencies, over the same years.
DOCUMENTS = """
INSERT INTO documents_document (agency_id, direction, status, source, register_id, register_year, register_number,
    register_series, document_type_id, number_symbol, issued_on, issuer_name, issuer_agency_id, abstract,
    signer_name, urgency, confidentiality, page_count, received_at, handling_due_on, handled_at, handled_how,
    answered_by_id, drafting_unit_id, drafted_by_id, body, recipients_text, signed_by_id, issued_at, recalled_at,
    replaces_id, in_reply_to_id, search_text, fingerprint, exchange_id, created_by_id, created_at, updated_at,
    revision)
SELECT (%(agencies)s::bigint[])[agency_index],
    CASE WHEN incoming THEN 'incoming' ELSE 'outgoing' END,
    CASE WHEN incoming THEN CASE WHEN at < %(now)s - interval '20 days' THEN 'handled' ELSE 'in_handling' END
         ELSE CASE WHEN at < %(now)s - interval '5 days' THEN 'issued' ELSE 'drafting' END END,
    CASE WHEN incoming THEN 'exchange' ELSE 'drafted' END,
    NULL, extract(year FROM at)::int, g, '', %(document_type)s, g || '/UBND-VP', at::date,
    CASE WHEN incoming THEN 'Ủy ban nhân dân tỉnh' ELSE '' END, NULL,
    'Về việc triển khai nhiệm vụ số ' || g, '', 'normal', 'normal', 2,
    CASE WHEN incoming THEN at END, CASE WHEN incoming THEN (at + interval '15 days')::date END,
    CASE WHEN incoming AND at < %(now)s - interval '20 days' THEN at + interval '10 days' END,
    CASE WHEN incoming AND at < %(now)s - interval '20 days' THEN 'filed' ELSE '' END,
    NULL, NULL, NULL, '', '', NULL,
    CASE WHEN NOT incoming AND at < %(now)s - interval '5 days' THEN at + interval '2 days' END, NULL, NULL, NULL,
    've viec trien khai nhiem vu so ' || g, '', '', %(clerk)s, at, at, 0
FROM (
    SELECT g, 1 + floor(200 * power(random(), 1.6))::int AS agency_index, random() < 0.6 AS incoming,
        %(now)s - random() * %(days)s * interval '1 day' AS at
    FROM generate_series(%(doc_first)s, %(doc_last)s) AS g
    OFFSET 0
) AS draws
"""

ASSIGNMENTS = """
INSERT INTO documents_assignment (document_id, parent_id, role, unit_id, person_id, due_on, note, assigned_by_id,
    assigned_at, done_at, done_note, reminded_at)
SELECT d.id, NULL, 'main', u.id, NULL, d.handling_due_on, 'Giao xử lý', %(clerk)s, d.received_at + interval '2 hours',
    d.handled_at, '', NULL
FROM documents_document d JOIN LATERAL (
    SELECT id FROM directory_orgunit WHERE agency_id = d.agency_id ORDER BY id LIMIT 1) u ON true
WHERE d.id > %(doc_after)s AND d.direction = 'incoming'
"""

AUDIT = [
    # hash: 64 hex characters, unique; the entries are not chained (decision 0048: sealed in batches).
    """INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, agency_id, summary,
           ip, prev_hash, nonce, hash)
       SELECT submitted_at, NULL, '', 'create', 'dossiers.dossier', id::text, agency_id, '{}'::jsonb, NULL, '',
           md5('n' || id), md5('c' || id) || md5('d' || id)
       FROM dossiers_dossier WHERE id > %(after)s""",
    """INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, agency_id, summary,
           ip, prev_hash, nonce, hash)
       SELECT received_at, NULL, '', 'update', 'dossiers.dossier', id::text, agency_id,
           '{"status": ["submitted", "in_progress"]}'::jsonb, NULL, '', md5('m' || id), md5('u' || id) || md5('v' || id)
       FROM dossiers_dossier WHERE id > %(after)s AND received_at IS NOT NULL""",
    """INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, agency_id, summary,
           ip, prev_hash, nonce, hash)
       SELECT created_at, %(clerk)s, 'Văn thư', 'create', 'documents.document', id::text, agency_id, '{}'::jsonb,
           NULL, '', md5('o' || id), md5('p' || id) || md5('q' || id)
       FROM documents_document WHERE id > %(doc_after)s""",
]


def write(cursor, params: dict) -> None:
    """The steps, documents, assignments and audit entries of the dossiers numbered
    ``params["first"]``…``params["last"]`` (one document for every ten dossiers)."""
    check_columns(cursor, STEPS[0], "dossiers_dossierstep")
    check_columns(cursor, DOCUMENTS, "documents_document")
    check_columns(cursor, ASSIGNMENTS, "documents_assignment")
    check_columns(cursor, AUDIT[0], "audit_auditentry")
    for statement in STEPS:
        cursor.execute(statement, params)
    cursor.execute("SELECT coalesce(max(id), 0) FROM documents_document")
    (doc_after,) = cursor.fetchone()
    documents = dict(params, doc_after=doc_after, doc_first=(params["first"] - 1) // 10 + 1,
                     doc_last=params["last"] // 10)
    cursor.execute(DOCUMENTS, documents)
    cursor.execute(ASSIGNMENTS, documents)
    for statement in AUDIT:
        cursor.execute(statement, documents)
