"""The SQL of the downstream views as each revision defines them, frozen: a revision that changes a
view adds its own version here, so upgrading from any revision builds the right one.

SQLite rebuilds a table to alter it, which fails while a view names the table; migrations that
alter tables therefore drop the views first and recreate the revision's views after.
"""
from alembic import op

VIEWS = ("observations", "officials_current", "facts_current")   # dependants first

FACTS_CURRENT_0001 = """
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


FACTS_CURRENT_0005 = """
CREATE VIEW facts_current AS
SELECT f.id AS fact_id,
       a.id AS article_id,
       a.article_key AS article,
       s.key AS source,
       a.url AS url,
       a.title AS title,
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
       f.subject AS subject,
       f.province_legacy_code AS province_legacy_code,
       p.legacy_name AS province_legacy_name,
       f.province_current_code AS province_current_code,
       p.current_name AS province_current_name,
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
LEFT JOIN provinces p ON p.legacy_code = f.province_legacy_code
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


OFFICIALS_CURRENT_0005 = """
CREATE VIEW officials_current AS
SELECT o.id AS official_id,
       o.name AS name,
       o.rank AS rank,
       o.titles AS titles,
       NULLIF(o.province_key, '') AS province_legacy_code,
       p.legacy_name AS province_legacy_name,
       p.current_code AS province_current_code,
       p.current_name AS province_current_name,
       (SELECT COUNT(DISTINCT m.article_id)
          FROM official_mentions m
          JOIN articles a ON a.id = m.article_id AND a.status = 'ok' AND m.extractor_version = a.extractor_version
         WHERE m.official_id = o.id) AS articles,
       (SELECT MAX(a.published)
          FROM official_mentions m
          JOIN articles a ON a.id = m.article_id AND a.status = 'ok' AND m.extractor_version = a.extractor_version
         WHERE m.official_id = o.id) AS last_published
FROM officials o
LEFT JOIN provinces p ON p.legacy_code = o.province_key
WHERE EXISTS (SELECT 1 FROM official_mentions m
                JOIN articles a ON a.id = m.article_id AND a.status = 'ok' AND m.extractor_version = a.extractor_version
               WHERE m.official_id = o.id)
"""

FACTS_CURRENT_0006_I18 = """
CREATE VIEW facts_current AS
SELECT f.id AS fact_id,
       a.id AS article_id,
       a.article_key AS article,
       s.key AS source,
       a.url AS url,
       a.title AS title,
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
       f.subject AS subject,
       f.province_legacy_code AS province_legacy_code,
       p.legacy_name AS province_legacy_name,
       f.province_current_code AS province_current_code,
       p.current_name AS province_current_name,
       f.evidence AS evidence,
       f.evidence_start AS evidence_start,
       f.evidence_end AS evidence_end,
       f.value_start AS value_start,
       f.value_end AS value_end,
       f.mention_count AS mentions,
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
LEFT JOIN provinces p ON p.legacy_code = f.province_legacy_code
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



# One row per observation: the facts of every article that report the same value of the same
# indicator for the same place and period (re-posts, two papers quoting one report). A fact that does
# not say what it measures and when (concept 'other', or neither period nor as_of) stays a row of its
# own: "1 người" in two unrelated articles is no common observation.
OBSERVATIONS_0006_I18 = """
CREATE VIEW observations AS
SELECT MIN(fact_id) AS observation_id,
       province_legacy_code, province_legacy_name, province_current_code, province_current_name,
       concept, kind, role, direction, negated, value, unit, period, period_start, period_end, as_of,
       COUNT(DISTINCT article_id) AS articles,
       COUNT(DISTINCT source) AS sources,
       COUNT(*) AS facts,
       SUM(mentions) AS mentions,
       MIN(published) AS first_published,
       MAX(published) AS last_published
FROM facts_current
GROUP BY province_legacy_code, province_legacy_name, province_current_code, province_current_name,
         concept, kind, role, direction, negated, value, unit, period, period_start, period_end, as_of,
         CASE WHEN concept <> 'other' AND (period IS NOT NULL OR as_of IS NOT NULL) THEN 0 ELSE fact_id END
"""
FACTS_CURRENT_0009_I25 = """
CREATE VIEW facts_current AS
SELECT f.id AS fact_id,
       a.id AS article_id,
       a.article_key AS article,
       s.key AS source,
       a.url AS url,
       a.title AS title,
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
       f.subject AS subject,
       f.province_legacy_code AS province_legacy_code,
       p.legacy_name AS province_legacy_name,
       f.province_current_code AS province_current_code,
       p.current_name AS province_current_name,
       f.evidence AS evidence,
       f.evidence_start AS evidence_start,
       f.evidence_end AS evidence_end,
       f.value_start AS value_start,
       f.value_end AS value_end,
       f.mention_count AS mentions,
       f.percent_of AS percent_of,
       f.added_by AS added_by_review,
       CASE WHEN r.action IS NULL THEN 'pending'
            WHEN r.action = 'accept' THEN 'accepted'
            WHEN r.action = 'add' THEN 'added'
            ELSE 'edited' END AS review_status,
       r.reviewer AS reviewed_by,
       r.created_at AS reviewed_at
FROM facts f
JOIN articles a ON a.id = f.article_id
               AND a.status = 'ok'
               AND a.duplicate_of_id IS NULL
               AND f.extractor_version = a.extractor_version
JOIN sources s ON s.id = a.source_id
LEFT JOIN provinces p ON p.legacy_code = f.province_legacy_code
LEFT JOIN reviews r ON r.id = (SELECT MAX(r2.id) FROM reviews r2 WHERE r2.fact_id = f.id)
WHERE r.action IS NULL OR r.action <> 'reject'
"""


# Observations are series points (issue 25): one row per series key — province, concept, kind, role,
# direction, unit, percent_of, period and as_of — holding one chosen value, the rule that chose it, the
# number of distinct values reported and the ids of its facts and articles. Only facts that say what
# they measure and when (a concept other than 'other'; a period or an as_of) and that are not negated
# are series points. The value is chosen (docs/OBSERVATIONS.md): a value a reviewer decided on wins
# ('reviewer'; between two such, the latest decision: 'latest_review'), then the value of the
# latest-published article ('latest_published'), then the most mentions ('most_mentions'), then the
# first stored ('first_stored'); a series with one value says 'only_value'. The id lists are
# comma-separated ({ids} differs by database).
OBSERVATIONS_0009_I25 = """
CREATE VIEW observations AS
WITH points AS (
  SELECT f.*,
         MIN(fact_id) OVER (PARTITION BY province_legacy_code, concept, kind, role, direction, unit, percent_of,
                                         period, as_of) AS observation_id,
         CASE WHEN review_status <> 'pending' THEN 1 ELSE 0 END AS decided
  FROM facts_current f
  WHERE concept <> 'other' AND (period IS NOT NULL OR as_of IS NOT NULL) AND negated = {false}
),
candidate_values AS (
  SELECT observation_id, value,
         MAX(decided) AS decided,
         MAX(CASE WHEN decided = 1 THEN reviewed_at END) AS last_decided,
         MAX(published) AS last_published,
         SUM(mentions) AS mentions,
         MIN(fact_id) AS first_fact
  FROM points GROUP BY observation_id, value
),
ranked AS (
  SELECT v.*,
         ROW_NUMBER() OVER w AS position,
         COUNT(*) OVER (PARTITION BY observation_id) AS distinct_values,
         LEAD(decided) OVER w AS next_decided,
         LEAD(last_decided) OVER w AS next_last_decided,
         LEAD(last_published) OVER w AS next_published,
         LEAD(mentions) OVER w AS next_mentions
  FROM candidate_values v
  WINDOW w AS (PARTITION BY observation_id
               ORDER BY decided DESC, last_decided DESC NULLS LAST, last_published DESC NULLS LAST,
                        mentions DESC, first_fact)
),
series AS (
  SELECT observation_id,
         province_legacy_code, province_legacy_name, province_current_code, province_current_name,
         concept, kind, role, direction, unit, percent_of, period, as_of,
         MIN(period_start) AS period_start, MAX(period_end) AS period_end,
         COUNT(*) AS facts, COUNT(DISTINCT article_id) AS articles, COUNT(DISTINCT source) AS sources,
         SUM(mentions) AS mentions, MIN(published) AS first_published, MAX(published) AS last_published,
         {fact_ids} AS fact_ids, {article_ids} AS article_ids
  FROM points
  GROUP BY observation_id, province_legacy_code, province_legacy_name, province_current_code, province_current_name,
           concept, kind, role, direction, unit, percent_of, period, as_of
)
SELECT s.observation_id,
       s.province_legacy_code, s.province_legacy_name, s.province_current_code, s.province_current_name,
       s.concept, s.kind, s.role, s.direction, s.unit, s.percent_of, s.period, s.period_start, s.period_end, s.as_of,
       r.value AS value,
       CASE WHEN r.distinct_values = 1 THEN 'only_value'
            WHEN r.decided > r.next_decided THEN 'reviewer'
            WHEN r.decided = 1 AND r.last_decided > r.next_last_decided THEN 'latest_review'
            WHEN r.last_published IS NOT NULL
                 AND (r.next_published IS NULL OR r.last_published > r.next_published) THEN 'latest_published'
            WHEN r.mentions > r.next_mentions THEN 'most_mentions'
            ELSE 'first_stored' END AS chosen_by,
       r.distinct_values AS distinct_values,
       s.facts, s.articles, s.sources, s.mentions, s.first_published, s.last_published,
       s.fact_ids, s.article_ids
FROM series s
JOIN ranked r ON r.observation_id = s.observation_id AND r.position = 1
"""

ID_LISTS = {
    "postgresql": {"fact_ids": "string_agg(CAST(fact_id AS TEXT), ',' ORDER BY fact_id)",
                   "article_ids": "string_agg(DISTINCT CAST(article_id AS TEXT), ',')", "false": "false"},
    "sqlite": {"fact_ids": "group_concat(fact_id, ',')", "article_ids": "group_concat(DISTINCT article_id)", "false": "0"},
}


BY_REVISION = {
    "0001": (FACTS_CURRENT_0001,),
    "0002": (FACTS_CURRENT_0001,),
    "0003": (FACTS_CURRENT_0001,),
    "0004": (FACTS_CURRENT_0001,),
    "0005": (FACTS_CURRENT_0005, OFFICIALS_CURRENT_0005),
    "0006_i15": (FACTS_CURRENT_0005, OFFICIALS_CURRENT_0005),
    "0008_i18": (FACTS_CURRENT_0006_I18, OFFICIALS_CURRENT_0005, OBSERVATIONS_0006_I18),
    "0009_i25": (FACTS_CURRENT_0009_I25, OFFICIALS_CURRENT_0005, OBSERVATIONS_0009_I25),
}


def drop_views() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")


def create_views(revision: str) -> None:
    dialect = op.get_bind().dialect.name
    for sql in BY_REVISION[revision]:
        op.execute(sql.format(**ID_LISTS[dialect]) if "{fact_ids}" in sql else sql)
