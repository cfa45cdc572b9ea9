// name: head_to_head
// description: Two methods side by side on every benchmark (dataset and metric) where both have an absolute result, plus every result of one stated directly against the other.
// param: method_a STRING required example=RT-DETR-R50  -- method name, alias or key
// param: method_b STRING required example=DINO-R50  -- method name, alias or key
// columns: basis, dataset, metric, value_a, value_b, unit, kind, higher_is_better, paper_a, paper_b, sentence
// methods: exact key or name first (uniqueness constraint, name index); names and aliases case-insensitively only when nothing matched
OPTIONAL MATCH (hit:Method) WHERE hit.key = $method_a OR hit.name = $method_a
WITH collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS a RETURN a
  UNION
  UNWIND CASE hits WHEN [] THEN [true] ELSE [] END AS fallback
  MATCH (a:Method) WHERE toLower(a.name) = toLower($method_a) OR any(s IN a.aliases WHERE toLower(s) = toLower($method_a))
  RETURN a
}
OPTIONAL MATCH (hit:Method) WHERE hit.key = $method_b OR hit.name = $method_b
WITH a, collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS b RETURN b
  UNION
  UNWIND CASE hits WHEN [] THEN [true] ELSE [] END AS fallback
  MATCH (b:Method) WHERE toLower(b.name) = toLower($method_b) OR any(s IN b.aliases WHERE toLower(s) = toLower($method_b))
  RETURN b
}
CALL (a, b) {
  MATCH (pa:Paper)-[:REPORTS]->(ra:Result {kind: 'absolute'})-[:OF_METHOD]->(a)
  MATCH (ra)-[:ON_DATASET]->(d:Dataset)<-[:ON_DATASET]-(rb:Result {kind: 'absolute'})-[:OF_METHOD]->(b)
  MATCH (ra)-[:MEASURED_BY]->(x:Metric)<-[:MEASURED_BY]-(rb)<-[:REPORTS]-(pb:Paper)
  RETURN 'shared benchmark' AS basis, d.name AS dataset, x.name AS metric, ra.value AS value_a, rb.value AS value_b,
         ra.unit AS unit, 'absolute' AS kind, x.higher_is_better AS higher_is_better, pa.id AS paper_a, pb.id AS paper_b,
         ra.sentence AS sentence
  UNION
  MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:OF_METHOD]->(a)
  MATCH (r)-[:AGAINST]->(b)
  OPTIONAL MATCH (r)-[:ON_DATASET]->(d:Dataset)
  OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
  RETURN 'direct comparison' AS basis, d.name AS dataset, x.name AS metric, r.value AS value_a, null AS value_b,
         r.unit AS unit, r.kind AS kind, x.higher_is_better AS higher_is_better, p.id AS paper_a, p.id AS paper_b,
         r.sentence AS sentence
}
RETURN basis, dataset, metric, value_a, value_b, unit, kind, higher_is_better, paper_a, paper_b, sentence
ORDER BY basis DESC, dataset, metric
