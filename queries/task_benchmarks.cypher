// name: task_benchmarks
// description: Benchmarks (dataset + metric pairs) of a task: found through the papers that address the task and report absolute results, with how many methods and papers report each and the best result by the metric's direction.
// param: task STRING required example=semantic segmentation  -- task name, alias or key (case-insensitive)
// param: limit INTEGER default=50 example=20
// columns: task, dataset, metric, higher_is_better, methods, papers, results, best_method, best_value, unit, best_paper
// the task: its key first (uniqueness constraint); names and aliases case-insensitively only when no key matched (Task.name has no index)
OPTIONAL MATCH (hit:Task {key: $task})
WITH collect(hit) AS hits
CALL (hits) {
  UNWIND hits AS t RETURN t
  UNION
  UNWIND CASE hits WHEN [] THEN [true] ELSE [] END AS fallback
  MATCH (t:Task) WHERE toLower(t.name) = toLower($task) OR any(a IN t.aliases WHERE toLower(a) = toLower($task))
  RETURN t
}
MATCH (t)<-[:ADDRESSES]-(p:Paper)-[:REPORTS]->(r:Result {kind: 'absolute'})-[:ON_DATASET]->(d:Dataset)
MATCH (r)-[:MEASURED_BY]->(x:Metric)
OPTIONAL MATCH (r)-[:OF_METHOD]->(m:Method)
WITH t, d, x, r, p, m, coalesce(x.higher_is_better, true) AS hib
ORDER BY CASE WHEN m IS NULL THEN 1 ELSE 0 END, CASE WHEN hib THEN -r.value ELSE r.value END, p.id, r.id
WITH t, d, x, count(DISTINCT m) AS methods, count(DISTINCT p) AS papers, count(r) AS results,
     collect({m: m.name, v: r.value, u: r.unit, p: p.id})[0] AS best
RETURN t.name AS task, d.name AS dataset, x.name AS metric, x.higher_is_better AS higher_is_better, methods, papers, results,
       best.m AS best_method, best.v AS best_value, best.u AS unit, best.p AS best_paper
ORDER BY task, methods DESC, results DESC, dataset, metric
LIMIT $limit
