// name: leaderboard
// description: Best absolute result per method on one dataset for one metric, ranked by the metric's direction (higher- or lower-is-better from the metric catalogue), with paper and provenance.
// param: dataset STRING required example=ImageNet-1K  -- dataset name, alias or key (case-insensitive)
// param: metric STRING required example=top-1 accuracy  -- metric name, alias or key (case-insensitive)
// param: limit INTEGER default=20 example=10  -- how many methods
// columns: rank, method, value, unit, metric, dataset, higher_is_better, paper_id, paper, sentence, start, end
// entities: exact key (uniqueness constraint) or dataset name (name index) first; names and aliases case-insensitively only when nothing matched
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
MATCH (p:Paper)-[:REPORTS]->(r:Result {kind: 'absolute'})-[:ON_DATASET]->(d)
MATCH (r)-[:MEASURED_BY]->(x)
MATCH (r)-[:OF_METHOD]->(m:Method)
WITH d, x, m, r, p, coalesce(x.higher_is_better, true) AS hib
ORDER BY CASE WHEN hib THEN -r.value ELSE r.value END, p.id, r.id
WITH d, x, m, hib, collect({r: r, p: p})[0] AS best
ORDER BY CASE WHEN hib THEN -best.r.value ELSE best.r.value END, m.name
LIMIT $limit
WITH collect({m: m, d: d, x: x, best: best}) AS rows
UNWIND range(0, size(rows) - 1) AS i
WITH i, rows[i] AS row
RETURN i + 1 AS rank, row.m.name AS method, row.best.r.value AS value, row.best.r.unit AS unit,
       row.x.name AS metric, row.d.name AS dataset, row.x.higher_is_better AS higher_is_better,
       row.best.p.id AS paper_id, row.best.p.title AS paper, row.best.r.sentence AS sentence,
       row.best.r.start AS start, row.best.r.end AS end
