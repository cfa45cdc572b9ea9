// name: efficiency
// description: Efficiency results: every ratio or relative result (2x faster, 35% fewer parameters) and every result measured by a size, compute, speed or memory metric (parameters, FLOPs, latency, FPS, throughput, speedup, memory, time), with method, baseline, dataset and provenance.
// param: method STRING default='' example=PoolFormer  -- only results of this method (name, alias or key, case-insensitive); '' for all
// param: limit INTEGER default=200 example=50
// columns: method, value, value_max, unit, kind, metric, against, dataset, paper_id, result_id, text, sentence
// the method, when given: exact key or name first (key constraint, name index), names and aliases case-insensitively
// only when nothing matched, and its results expanded from it; with no method, candidates through the Result.kind
// index (ratio, relative) and the few efficiency metrics' MEASURED_BY edges
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
  MATCH (r:Result) WHERE r.kind IN ['ratio', 'relative']
  RETURN r
  UNION
  WITH m WHERE m IS NULL
  MATCH (x:Metric)<-[:MEASURED_BY]-(r:Result)
  WHERE x.unit IN ['params', 'FLOPs', 'FPS', 'ms', 's', 'x', 'GB']
     OR toLower(x.name) =~ '.*(param|flop|latenc|fps|throughput|speed|memory|time|hours|compute|computation|cost|token count|compression).*'
  RETURN r
  UNION
  MATCH (m)<-[:OF_METHOD]-(r:Result)
  WHERE r.kind IN ['ratio', 'relative'] OR EXISTS {
    MATCH (r)-[:MEASURED_BY]->(x:Metric)
    WHERE x.unit IN ['params', 'FLOPs', 'FPS', 'ms', 's', 'x', 'GB']
       OR toLower(x.name) =~ '.*(param|flop|latenc|fps|throughput|speed|memory|time|hours|compute|computation|cost|token count|compression).*'
  }
  RETURN r
}
MATCH (p:Paper)-[:REPORTS]->(r)
OPTIONAL MATCH (r)-[:OF_METHOD]->(rm:Method)
OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
OPTIONAL MATCH (r)-[:AGAINST]->(b:Method)
OPTIONAL MATCH (r)-[:ON_DATASET]->(d:Dataset)
RETURN rm.name AS method, r.value AS value, r.value_max AS value_max, r.unit AS unit, r.kind AS kind, x.name AS metric,
       b.name AS against, d.name AS dataset, p.id AS paper_id, r.id AS result_id, r.text AS text, r.sentence AS sentence
ORDER BY method, paper_id, r.start, result_id
LIMIT $limit
