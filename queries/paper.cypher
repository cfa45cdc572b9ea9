// name: paper
// description: Everything known about one paper: its methods with roles, datasets, metrics, tasks, results with provenance, claims and code.
// param: paper STRING required example=SimMIM  -- paper id, or a case-insensitive part of its title
// columns: paper_id, section, item, detail
// the id through its uniqueness constraint; titles are searched only when no id matched
OPTIONAL MATCH (hit:Paper {id: $paper})
WITH collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS p RETURN p
  UNION
  UNWIND CASE hits WHEN [] THEN [true] ELSE [] END AS fallback
  MATCH (p:Paper) WHERE toLower(p.title) CONTAINS toLower($paper)
  RETURN p
}
WITH p ORDER BY p.id LIMIT 1
CALL (p) {
  MATCH (p)-[rel:PROPOSES|USES|COMPARES_WITH]->(m:Method)
  RETURN 'method' AS section, m.name AS item, toLower(type(rel)) AS detail
  UNION ALL
  MATCH (p)-[:EVALUATES_ON]->(d:Dataset) RETURN 'dataset' AS section, d.name AS item, '' AS detail
  UNION ALL
  MATCH (p)-[:MEASURES]->(x:Metric)
  RETURN 'metric' AS section, x.name AS item,
         CASE x.higher_is_better WHEN true THEN 'higher is better' WHEN false THEN 'lower is better' ELSE 'direction unknown' END AS detail
  UNION ALL
  MATCH (p)-[:ADDRESSES]->(t:Task) RETURN 'task' AS section, t.name AS item, '' AS detail
  UNION ALL
  MATCH (p)-[:REPORTS]->(r:Result)
  OPTIONAL MATCH (r)-[:OF_METHOD]->(m:Method)
  OPTIONAL MATCH (r)-[:ON_DATASET]->(d:Dataset)
  OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
  OPTIONAL MATCH (r)-[:AGAINST]->(b:Method)
  RETURN 'result' AS section,
         toString(r.value) + coalesce('-' + toString(r.value_max), '') + ' ' + r.unit + ' ' + r.kind AS item,
         'method=' + coalesce(m.name, '?') + ' dataset=' + coalesce(d.name, '?') + ' metric=' + coalesce(x.name, '?')
           + coalesce(' vs ' + b.name, '') + ' | "' + r.text + '" [' + r.field + ' ' + toString(r.start) + ':' + toString(r.end) + ']' AS detail
  UNION ALL
  MATCH (p)-[:MAKES]->(c:Claim)
  RETURN 'claim' AS section, c.type AS item, c.sentence AS detail
  UNION ALL
  MATCH (p)-[:HAS_CODE]->(g:Repository) RETURN 'code' AS section, g.url AS item, '' AS detail
}
RETURN p.id AS paper_id, section, item, detail
