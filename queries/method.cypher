// name: method
// description: Method profile: the papers that propose, use or compare it (with role), its results with dataset, metric and baseline, results of other methods stated against it, the claims about or against it, and its size variants.
// param: method STRING required example=PoolFormer  -- method name, alias or key (case-insensitive)
// param: limit INTEGER default=200 example=50  -- at most this many rows
// columns: method, section, item, detail, value, unit, paper_id, sentence
// the method: exact key or name first (uniqueness constraint, name index); names and aliases case-insensitively only when nothing matched
OPTIONAL MATCH (hit:Method) WHERE hit.key = $method OR hit.name = $method
WITH collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS m RETURN m
  UNION
  UNWIND CASE hits WHEN [] THEN [true] ELSE [] END AS fallback
  MATCH (m:Method) WHERE toLower(m.name) = toLower($method) OR any(a IN m.aliases WHERE toLower(a) = toLower($method))
  RETURN m
}
CALL (m) {
  MATCH (p:Paper)-[rel:PROPOSES|USES|COMPARES_WITH]->(m)
  RETURN 1 AS o, 'paper' AS section, p.title AS item, toLower(type(rel)) + coalesce(' (' + p.date + ')', '') AS detail,
         null AS value, null AS unit, p.id AS paper_id, null AS sentence
  UNION ALL
  MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:OF_METHOD]->(m)
  OPTIONAL MATCH (r)-[:ON_DATASET]->(d:Dataset)
  OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
  OPTIONAL MATCH (r)-[:AGAINST]->(b:Method)
  RETURN 2 AS o, 'result' AS section, coalesce(d.name, '?') + ' / ' + coalesce(x.name, '?') AS item,
         r.kind + coalesce(' vs ' + b.name, '') AS detail, r.value AS value, r.unit AS unit, p.id AS paper_id, r.sentence AS sentence
  UNION ALL
  MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:AGAINST]->(m)
  OPTIONAL MATCH (r)-[:OF_METHOD]->(w:Method)
  OPTIONAL MATCH (r)-[:ON_DATASET]->(d:Dataset)
  OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
  RETURN 3 AS o, 'baseline of' AS section, coalesce(w.name, '?') AS item,
         r.kind + ' on ' + coalesce(d.name, '?') + ' / ' + coalesce(x.name, '?') AS detail,
         r.value AS value, r.unit AS unit, p.id AS paper_id, r.sentence AS sentence
  UNION ALL
  MATCH (p:Paper)-[:MAKES]->(c:Claim)-[rel:CLAIMS_ABOUT|CLAIMS_AGAINST]->(m)
  OPTIONAL MATCH (c)-[:CLAIMS_ABOUT|CLAIMS_AGAINST]->(other:Method) WHERE other <> m
  RETURN 4 AS o, 'claim' AS section, c.type AS item,
         CASE type(rel) WHEN 'CLAIMS_ABOUT' THEN 'about it' ELSE 'against it' END + coalesce(', with ' + other.name, '') AS detail,
         null AS value, null AS unit, p.id AS paper_id, c.sentence AS sentence
  UNION ALL
  MATCH (m)-[:VARIANT_OF]-(v:Method)
  RETURN 5 AS o, 'variant' AS section, v.name AS item,
         CASE WHEN EXISTS { (m)-[:VARIANT_OF]->(v) } THEN 'family of this method' ELSE 'a variant of this method' END AS detail,
         null AS value, null AS unit, null AS paper_id, null AS sentence
}
WITH m, o, section, item, detail, value, unit, paper_id, sentence
ORDER BY o, paper_id, item
LIMIT $limit
RETURN m.name AS method, section, item, detail, value, unit, paper_id, sentence
