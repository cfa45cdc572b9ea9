// name: sota_claims
// description: State-of-the-art claims, optionally for one task (the claiming paper addresses it) and/or one dataset (a supporting result is on it, or the paper evaluates on it and the claim sentence names it), with the method claimed about, the supporting results and provenance.
// param: task STRING default='' example=classification  -- task name, alias or key (case-insensitive); '' for any
// param: dataset STRING default='' example=ImageNet  -- dataset name, alias or key (case-insensitive); '' for any
// param: limit INTEGER default=100 example=20
// columns: claim_id, paper_id, paper, method, tasks, datasets, results, sentence, field, start, end, confidence
// claims by type through the Claim.type index; task and dataset filters on each claim's paper and results;
// sorted and cut to the limit before the tasks and results of each claim are collected
MATCH (p:Paper)-[:MAKES]->(c:Claim {type: 'state_of_the_art'})
WITH p, c, toLower($task) AS tq, toLower($dataset) AS dq
WHERE ($task = '' OR EXISTS {
         MATCH (p)-[:ADDRESSES]->(t:Task)
         WHERE t.key = $task OR toLower(t.name) = tq OR any(a IN t.aliases WHERE toLower(a) = tq) })
  AND ($dataset = '' OR EXISTS {
         MATCH (c)-[:SUPPORTED_BY]->(:Result)-[:ON_DATASET]->(d:Dataset)
         WHERE d.key = $dataset OR toLower(d.name) = dq OR any(a IN d.aliases WHERE toLower(a) = dq) }
       OR EXISTS {
         MATCH (p)-[:EVALUATES_ON]->(d:Dataset)
         WHERE (d.key = $dataset OR toLower(d.name) = dq OR any(a IN d.aliases WHERE toLower(a) = dq))
           AND any(n IN [d.name] + coalesce(d.aliases, []) WHERE toLower(c.sentence) CONTAINS toLower(n)) })
WITH p, c ORDER BY p.id, c.start LIMIT $limit
OPTIONAL MATCH (c)-[:CLAIMS_ABOUT]->(m:Method)
CALL (p) {
  OPTIONAL MATCH (p)-[:ADDRESSES]->(t:Task)
  RETURN collect(DISTINCT t.name) AS tasks
}
CALL (c) {
  OPTIONAL MATCH (c)-[:SUPPORTED_BY]->(r:Result)
  OPTIONAL MATCH (r)-[:ON_DATASET]->(d:Dataset)
  OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
  WITH r, d, x ORDER BY r.id
  RETURN collect(DISTINCT d.name) AS datasets,
         [s IN collect(CASE WHEN r IS NULL THEN null ELSE toString(r.value) + CASE WHEN r.unit = '' THEN '' ELSE ' ' + r.unit END
                    + CASE WHEN x.name IS NULL OR x.name = r.unit THEN '' ELSE ' ' + x.name END + coalesce(' on ' + d.name, '') + ' (' + r.kind + ')' END) WHERE s IS NOT NULL] AS results
}
RETURN c.id AS claim_id, p.id AS paper_id, p.title AS paper, m.name AS method, tasks, datasets, results,
       c.sentence AS sentence, c.field AS field, c.start AS start, c.end AS end, c.confidence AS confidence
ORDER BY paper_id, start
LIMIT $limit
