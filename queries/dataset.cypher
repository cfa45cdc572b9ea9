// name: dataset
// description: Dataset profile: the papers that evaluate on it, the tasks those papers address, the metrics its results are measured by (with direction), and each method's best absolute result per metric, ranked by the metric's direction.
// param: dataset STRING required example=COCO  -- dataset name, alias or key (case-insensitive)
// param: limit INTEGER default=200 example=50  -- at most this many rows
// columns: dataset, section, item, detail, value, unit, paper_id, sentence
// each section is cut to the limit before the union is sorted
// the dataset: exact key or name first (uniqueness constraint, name index); names and aliases case-insensitively only when nothing matched
OPTIONAL MATCH (hit:Dataset) WHERE hit.key = $dataset OR hit.name = $dataset
WITH collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS d RETURN d
  UNION
  UNWIND CASE hits WHEN [] THEN [true] ELSE [] END AS fallback
  MATCH (d:Dataset) WHERE toLower(d.name) = toLower($dataset) OR any(a IN d.aliases WHERE toLower(a) = toLower($dataset))
  RETURN d
}
CALL (d) {
  MATCH (p:Paper)-[:EVALUATES_ON]->(d)
  WITH p ORDER BY p.title LIMIT $limit
  RETURN 1 AS o, 'paper' AS section, p.title AS item, coalesce(p.date, '') AS detail, null AS value, null AS unit,
         p.id AS paper_id, null AS sentence, 0 AS rank
  UNION ALL
  MATCH (p:Paper)-[:EVALUATES_ON]->(d)
  MATCH (p)-[:ADDRESSES]->(t:Task)
  WITH t, count(DISTINCT p) AS papers
  ORDER BY papers DESC, t.name LIMIT $limit
  RETURN 2 AS o, 'task' AS section, t.name AS item, toString(papers) + ' paper(s)' AS detail, null AS value, null AS unit,
         null AS paper_id, null AS sentence, -papers AS rank
  UNION ALL
  MATCH (r:Result)-[:ON_DATASET]->(d)
  MATCH (r)-[:MEASURED_BY]->(x:Metric)
  WITH x, count(r) AS results
  ORDER BY results DESC, x.name LIMIT $limit
  RETURN 3 AS o, 'metric' AS section, x.name AS item,
         CASE x.higher_is_better WHEN true THEN 'higher is better' WHEN false THEN 'lower is better' ELSE 'direction unknown' END
           + ', ' + toString(results) + ' result(s)' AS detail,
         null AS value, null AS unit, null AS paper_id, null AS sentence, -results AS rank
  UNION ALL
  MATCH (p:Paper)-[:REPORTS]->(r:Result {kind: 'absolute'})-[:ON_DATASET]->(d)
  MATCH (r)-[:MEASURED_BY]->(x:Metric)
  MATCH (r)-[:OF_METHOD]->(m:Method)
  WITH x, m, r, p, coalesce(x.higher_is_better, true) AS hib
  ORDER BY CASE WHEN hib THEN -r.value ELSE r.value END, p.id, r.id
  WITH x, m, hib, collect({r: r, p: p})[0] AS best
  ORDER BY x.name, CASE WHEN hib THEN -best.r.value ELSE best.r.value END, m.name LIMIT $limit
  RETURN 4 AS o, 'best result' AS section, m.name AS item, x.name AS detail, best.r.value AS value, best.r.unit AS unit,
         best.p.id AS paper_id, best.r.sentence AS sentence, CASE WHEN hib THEN -best.r.value ELSE best.r.value END AS rank
}
WITH d, o, section, item, detail, value, unit, paper_id, sentence, rank
ORDER BY o, CASE WHEN o = 4 THEN detail ELSE '' END, rank, item
LIMIT $limit
RETURN d.name AS dataset, section, item, detail, value, unit, paper_id, sentence
