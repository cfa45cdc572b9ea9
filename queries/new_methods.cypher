// name: new_methods
// description: Methods proposed by papers dated on or after a date (ISO yyyy-mm-dd; papers without a date, such as many listing papers, never match), newest first, with the proposing paper and what it evaluates.
// param: since STRING required example=2024-01-01  -- ISO date (or a prefix: 2024, 2024-06)
// param: limit INTEGER default=100 example=20
// columns: method, date, paper_id, paper, datasets, tasks, results
// papers through the Paper.date range index
MATCH (p:Paper) WHERE p.date >= $since
MATCH (p)-[:PROPOSES]->(m:Method)
CALL (p) {
  OPTIONAL MATCH (p)-[:EVALUATES_ON]->(d:Dataset)
  RETURN collect(DISTINCT d.name) AS datasets
}
CALL (p) {
  OPTIONAL MATCH (p)-[:ADDRESSES]->(t:Task)
  RETURN collect(DISTINCT t.name) AS tasks
}
CALL (p, m) {
  OPTIONAL MATCH (p)-[:REPORTS]->(r:Result)-[:OF_METHOD]->(m)
  RETURN count(r) AS results
}
RETURN m.name AS method, p.date AS date, p.id AS paper_id, p.title AS paper, datasets, tasks, results
ORDER BY date DESC, method
LIMIT $limit
