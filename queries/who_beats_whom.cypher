// name: who_beats_whom
// description: Who beats whom, as a graph to draw: every result stated against a baseline (winner <-OF_METHOD- Result -AGAINST-> loser) and every outperforms / state-of-the-art / efficiency claim with a subject and an object (winner <-CLAIMS_ABOUT- Claim -CLAIMS_AGAINST-> loser); the path column holds that path, so the Neo4j Browser draws it, with the result's dataset when known.
// param: method STRING default='' example=PoolFormer  -- only comparisons with this method on either side (name, alias or key, case-insensitive); '' for all
// param: dataset STRING default='' example=ImageNet-1K  -- only result comparisons on this dataset (name, alias or key, case-insensitive); '' for all
// param: limit INTEGER default=100 example=25
// columns: basis, winner, loser, dataset, metric, margin, unit, kind, paper_id, sentence, path, on_dataset
// AGAINST and CLAIMS_AGAINST are sparse: read through the relationship type index, then filtered
CALL () {
  MATCH path = (w:Method)<-[:OF_METHOD]-(r:Result)-[:AGAINST]->(l:Method)
  MATCH (p:Paper)-[:REPORTS]->(r)
  OPTIONAL MATCH on_dataset = (r)-[:ON_DATASET]->(d:Dataset)
  OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
  RETURN 'result' AS basis, w, l, d, x.name AS metric, r.value AS margin, r.unit AS unit, r.kind AS kind,
         p.id AS paper_id, r.sentence AS sentence, path, on_dataset
  UNION ALL
  MATCH path = (w:Method)<-[:CLAIMS_ABOUT]-(c:Claim)-[:CLAIMS_AGAINST]->(l:Method)
  WHERE c.type IN ['outperforms', 'state_of_the_art', 'efficiency'] AND w <> l
  MATCH (p:Paper)-[:MAKES]->(c)
  RETURN 'claim' AS basis, w, l, null AS d, null AS metric, null AS margin, null AS unit, c.type AS kind,
         p.id AS paper_id, c.sentence AS sentence, path, null AS on_dataset
}
WITH *, toLower($method) AS mq, toLower($dataset) AS dq
WHERE ($method = '' OR any(m IN [w, l] WHERE m.key = $method OR toLower(m.name) = mq OR any(a IN m.aliases WHERE toLower(a) = mq)))
  AND ($dataset = '' OR (d IS NOT NULL AND (d.key = $dataset OR toLower(d.name) = dq OR any(a IN d.aliases WHERE toLower(a) = dq))))
RETURN basis, w.name AS winner, l.name AS loser, d.name AS dataset, metric, margin, unit, kind, paper_id, sentence, path, on_dataset
ORDER BY basis DESC, winner, loser, paper_id, dataset, metric, margin
LIMIT $limit
