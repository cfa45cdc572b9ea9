// name: who_beats_whom
// description: Who beats whom, as a graph to draw: every result stated against a baseline (winner <-OF_METHOD- Result -AGAINST-> loser) and every outperforms / state-of-the-art / efficiency claim with a subject and an object (winner <-CLAIMS_ABOUT- Claim -CLAIMS_AGAINST-> loser); the path column holds that path, so the Neo4j Browser draws it, with the result's dataset when known.
// param: method STRING default='' example=PoolFormer  -- only comparisons with this method on either side (name, alias or key, case-insensitive); '' for all
// param: dataset STRING default='' example=ImageNet-1K  -- only result comparisons on this dataset (name, alias or key, case-insensitive); '' for all
// param: limit INTEGER default=100 example=25
// columns: basis, winner, loser, dataset, metric, margin, unit, kind, paper_id, sentence, path, on_dataset
// the method, when given: exact key or name first (key constraint, name index), names and aliases case-insensitively
// only when nothing matched; comparisons are then expanded from it (both sides); with no method, the sparse
// AGAINST and CLAIMS_AGAINST relationships are read whole
OPTIONAL MATCH (hit:Method) WHERE $method <> '' AND (hit.key = $method OR hit.name = $method)
WITH collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS m RETURN m
  UNION
  UNWIND CASE WHEN hits = [] AND $method <> '' THEN [true] ELSE [] END AS fallback
  MATCH (m:Method) WHERE toLower(m.name) = toLower($method) OR any(a IN m.aliases WHERE toLower(a) = toLower($method))
  RETURN m
  UNION
  UNWIND CASE WHEN $method = '' THEN [true] ELSE [] END AS everything
  RETURN null AS m
}
CALL (m) {
  WITH m WHERE m IS NULL
  MATCH path = (w:Method)<-[:OF_METHOD]-(r:Result)-[:AGAINST]->(l:Method)
  RETURN 'result' AS basis, w, l, r, null AS c, path
  UNION
  MATCH path = (m)<-[:OF_METHOD]-(r:Result)-[:AGAINST]->(l:Method)
  RETURN 'result' AS basis, m AS w, l, r, null AS c, path
  UNION
  MATCH path = (w:Method)<-[:OF_METHOD]-(r:Result)-[:AGAINST]->(m)
  RETURN 'result' AS basis, w, m AS l, r, null AS c, path
  UNION
  WITH m WHERE m IS NULL
  MATCH path = (w:Method)<-[:CLAIMS_ABOUT]-(c:Claim)-[:CLAIMS_AGAINST]->(l:Method)
  RETURN 'claim' AS basis, w, l, null AS r, c, path
  UNION
  MATCH path = (m)<-[:CLAIMS_ABOUT]-(c:Claim)-[:CLAIMS_AGAINST]->(l:Method)
  RETURN 'claim' AS basis, m AS w, l, null AS r, c, path
  UNION
  MATCH path = (w:Method)<-[:CLAIMS_ABOUT]-(c:Claim)-[:CLAIMS_AGAINST]->(m)
  RETURN 'claim' AS basis, w, m AS l, null AS r, c, path
}
WITH DISTINCT basis, w, l, r, c, path
WHERE basis = 'result' OR (c.type IN ['outperforms', 'state_of_the_art', 'efficiency'] AND w <> l)
CALL (basis, r, c) {
  WITH r WHERE basis = 'result'
  MATCH (p:Paper)-[:REPORTS]->(r)
  OPTIONAL MATCH on_dataset = (r)-[:ON_DATASET]->(d:Dataset)
  OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
  RETURN d, x.name AS metric, r.value AS margin, r.unit AS unit, r.kind AS kind, p.id AS paper_id, r.sentence AS sentence,
         on_dataset
  UNION ALL
  WITH c WHERE basis = 'claim'
  MATCH (p:Paper)-[:MAKES]->(c)
  RETURN null AS d, null AS metric, null AS margin, null AS unit, c.type AS kind, p.id AS paper_id, c.sentence AS sentence,
         null AS on_dataset
}
WITH *, toLower($dataset) AS dq
WHERE $dataset = '' OR (d IS NOT NULL AND (d.key = $dataset OR toLower(d.name) = dq OR any(a IN d.aliases WHERE toLower(a) = dq)))
RETURN basis, w.name AS winner, l.name AS loser, d.name AS dataset, metric, margin, unit, kind, paper_id, sentence, path, on_dataset
ORDER BY basis DESC, winner, loser, paper_id, dataset, metric, margin
LIMIT $limit
