// name: top_datasets_metrics
// description: The most used datasets and metrics: per dataset, the papers that evaluate on it and the results on it; per metric, the papers that measure it and the results measured by it; with how many methods those results are of.
// param: limit INTEGER default=10 example=5  -- how many of each
// columns: kind, name, papers, results, methods, higher_is_better
// label scans with relationship counts from the degree store (COUNT of one-hop patterns)
CALL () {
  MATCH (d:Dataset)
  WITH d, COUNT { (d)<-[:EVALUATES_ON]-() } AS papers, COUNT { (d)<-[:ON_DATASET]-() } AS results
  ORDER BY papers DESC, results DESC, d.name
  LIMIT $limit
  RETURN 'dataset' AS kind, d AS node, papers, results, null AS higher_is_better
  UNION ALL
  MATCH (x:Metric)
  WITH x, COUNT { (x)<-[:MEASURES]-() } AS papers, COUNT { (x)<-[:MEASURED_BY]-() } AS results
  ORDER BY papers DESC, results DESC, x.name
  LIMIT $limit
  RETURN 'metric' AS kind, x AS node, papers, results, x.higher_is_better AS higher_is_better
}
CALL (node) {
  OPTIONAL MATCH (node)<-[:ON_DATASET|MEASURED_BY]-(:Result)-[:OF_METHOD]->(m:Method)
  RETURN count(DISTINCT m) AS methods
}
RETURN kind, node.name AS name, papers, results, methods, higher_is_better
ORDER BY kind, papers DESC, results DESC, name
