// name: provenance
// description: Where one result comes from: its paper, the sentence, the field (title or abstract) with character offsets start:end of the matched text, the extraction rule (extractor and version) and its confidence, plus what it was attached to and the claims it supports.
// param: result STRING required example=343532c376#r0  -- result id: <paper id>#r<i> (the result_id column of efficiency and provenance)
// columns: result_id, paper_id, paper, field, start, end, text, sentence, extractor, extractor_version, confidence, value, value_max, unit, kind, method, dataset, metric, against, claims
// one node through the Result.id uniqueness constraint
MATCH (r:Result {id: $result})
MATCH (p:Paper)-[:REPORTS]->(r)
OPTIONAL MATCH (r)-[:OF_METHOD]->(m:Method)
OPTIONAL MATCH (r)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
OPTIONAL MATCH (r)-[:AGAINST]->(b:Method)
CALL (r) {
  OPTIONAL MATCH (c:Claim)-[:SUPPORTED_BY]->(r)
  WITH c ORDER BY c.id
  RETURN collect(c.id + ' ' + c.type) AS claims
}
RETURN r.id AS result_id, p.id AS paper_id, p.title AS paper, r.field AS field, r.start AS start, r.end AS end,
       r.text AS text, r.sentence AS sentence, r.extractor AS extractor, r.extractor_version AS extractor_version,
       r.confidence AS confidence, r.value AS value, r.value_max AS value_max, r.unit AS unit, r.kind AS kind,
       m.name AS method, d.name AS dataset, x.name AS metric, b.name AS against, claims
