"""SQL of the views downstream tools read. Portable between SQLite and PostgreSQL on purpose."""

FACTS_CURRENT = """
CREATE VIEW facts_current AS
SELECT f.id AS fact_id,
       a.id AS article_id,
       a.article_key AS article,
       s.key AS source,
       a.url AS url,
       a.published AS published,
       f.extractor_version AS extractor_version,
       COALESCE(r.kind, f.kind) AS kind,
       COALESCE(r.value, f.value) AS value,
       f.numerator AS numerator,
       f.denominator AS denominator,
       COALESCE(r.unit, f.unit) AS unit,
       COALESCE(r.qualifier, f.qualifier) AS qualifier,
       COALESCE(r.role, f.role) AS role,
       COALESCE(r.direction, f.direction) AS direction,
       COALESCE(r.baseline, f.baseline) AS baseline,
       COALESCE(r.period, f.period) AS period,
       CASE WHEN r.period IS NOT NULL THEN r.period_start ELSE f.period_start END AS period_start,
       CASE WHEN r.period IS NOT NULL THEN r.period_end ELSE f.period_end END AS period_end,
       COALESCE(r.as_of, f.as_of) AS as_of,
       COALESCE(r.negated, f.negated) AS negated,
       COALESCE(r.concept, f.concept) AS concept,
       f.indicator AS indicator,
       f.province_legacy_code AS province_legacy_code,
       f.province_current_code AS province_current_code,
       f.evidence AS evidence,
       f.evidence_start AS evidence_start,
       f.evidence_end AS evidence_end,
       f.value_start AS value_start,
       f.value_end AS value_end,
       CASE WHEN r.action IS NULL THEN 'pending'
            WHEN r.action = 'accept' THEN 'accepted'
            ELSE 'edited' END AS review_status,
       r.reviewer AS reviewed_by,
       r.created_at AS reviewed_at
FROM facts f
JOIN articles a ON a.id = f.article_id
               AND a.status = 'ok'
               AND a.duplicate_of_id IS NULL
               AND f.extractor_version = a.extractor_version
JOIN sources s ON s.id = a.source_id
LEFT JOIN reviews r ON r.id = (
    SELECT r2.id FROM reviews r2
    WHERE r2.article_id = f.article_id
      AND r2.fact_kind = f.kind
      AND r2.value_start = f.value_start
      AND r2.value_end = f.value_end
      AND (r2.fact_value = f.value OR (r2.fact_value IS NULL AND f.value IS NULL))
    ORDER BY r2.id DESC
    LIMIT 1)
WHERE r.action IS NULL OR r.action <> 'reject'
"""

DROP_FACTS_CURRENT = "DROP VIEW IF EXISTS facts_current"
