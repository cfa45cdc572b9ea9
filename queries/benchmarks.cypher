// name: benchmarks
// description: Every (dataset, metric) pair with absolute results, with how many methods and papers report it: the leaderboards the graph can show.
// param: min_methods INTEGER default=1 example=2  -- only benchmarks with at least this many methods
// param: limit INTEGER default=50 example=20
// columns: dataset, metric, higher_is_better, methods, papers, results
// absolute results through the Result.kind index
MATCH (p:Paper)-[:REPORTS]->(r:Result {kind: 'absolute'})-[:ON_DATASET]->(d:Dataset)
MATCH (r)-[:MEASURED_BY]->(x:Metric)
OPTIONAL MATCH (r)-[:OF_METHOD]->(m:Method)
WITH d, x, count(DISTINCT m) AS methods, count(DISTINCT p) AS papers, count(r) AS results
WHERE methods >= $min_methods
RETURN d.name AS dataset, x.name AS metric, x.higher_is_better AS higher_is_better, methods, papers, results
ORDER BY methods DESC, results DESC, dataset, metric
LIMIT $limit
