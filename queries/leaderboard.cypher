// name: leaderboard
// description: Best absolute result per method on one dataset for one metric (or, with family=true, every metric of its family: box AP, mask AP, AP50 beside AP), ranked by the metric's direction (higher- or lower-is-better from the metric catalogue), with paper and provenance. One board per (dataset, metric, setting), each ranked from 1: a zero-shot and a fine-tuned accuracy, or box AP and mask AP, are never ranked together. In a board a method has one row per qualifier; plain values rank first, then qualified ones ("up to", "over", "about": bounds and estimates, never ranked above a measured value).
// param: dataset STRING required example=ImageNet-1K  -- dataset name, alias or key (case-insensitive)
// param: metric STRING required example=top-1 accuracy  -- metric name, alias or key (case-insensitive)
// param: family BOOLEAN default=false example=true  -- true: every metric of the metric's family (metric=AP gives AP, box AP, mask AP, AP50, ...), each its own board
// param: limit INTEGER default=20 example=10  -- how many rows per board
// columns: rank, method, value, qualifier, setting, unit, metric, dataset, higher_is_better, paper_id, paper, sentence, start, end
// entities: exact key (uniqueness constraint) or dataset name (name index) first; names and aliases case-insensitively only when nothing matched; a family by the Metric.family index
OPTIONAL MATCH (hit:Dataset) WHERE hit.key = $dataset OR hit.name = $dataset
WITH collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS d RETURN d
  UNION
  UNWIND CASE hits WHEN [] THEN [true] ELSE [] END AS fallback
  MATCH (d:Dataset) WHERE toLower(d.name) = toLower($dataset) OR any(a IN d.aliases WHERE toLower(a) = toLower($dataset))
  RETURN d
}
OPTIONAL MATCH (hit:Metric {key: $metric})
WITH d, collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS x RETURN x
  UNION
  UNWIND CASE hits WHEN [] THEN [true] ELSE [] END AS fallback
  MATCH (x:Metric) WHERE toLower(x.name) = toLower($metric) OR any(a IN x.aliases WHERE toLower(a) = toLower($metric))
  RETURN x
}
CALL (x) {
  RETURN x AS metric
  UNION
  WITH x WHERE $family AND x.family IS NOT NULL
  MATCH (v:Metric {family: x.family})
  RETURN v AS metric
}
WITH DISTINCT d, metric AS x
MATCH (p:Paper)-[:REPORTS]->(r:Result {kind: 'absolute'})-[:ON_DATASET]->(d)
MATCH (r)-[:MEASURED_BY]->(x)
MATCH (r)-[:OF_METHOD]->(m:Method)
WITH d, x, m, r, p, coalesce(x.higher_is_better, true) AS hib
ORDER BY CASE WHEN hib THEN -r.value ELSE r.value END, p.id, r.id
WITH d, x, m, hib, r.setting AS setting, r.qualifier AS qualifier, collect({r: r, p: p})[0] AS best
ORDER BY qualifier IS NOT NULL, CASE WHEN hib THEN -best.r.value ELSE best.r.value END, m.name,
         coalesce(qualifier, ''), m.key
WITH d, x, setting, collect({m: m, q: qualifier, best: best})[..$limit] AS rows
ORDER BY x.name, x.key, coalesce(setting, ''), d.name, d.key
UNWIND range(0, size(rows) - 1) AS i
WITH d, x, setting, i, rows[i] AS row
RETURN i + 1 AS rank, row.m.name AS method, row.best.r.value AS value, row.q AS qualifier, setting,
       row.best.r.unit AS unit, x.name AS metric, d.name AS dataset, x.higher_is_better AS higher_is_better,
       row.best.p.id AS paper_id, row.best.p.title AS paper, row.best.r.sentence AS sentence,
       row.best.r.start AS start, row.best.r.end AS end
