"""A read query cannot take the managed server down or reach out of it (#14 D6)."""

import pytest

from kg.explore.queries import QueryError, run_read

pytestmark = pytest.mark.integration


def test_an_oversized_read_query_fails_alone_and_the_server_stays_up(neo4j_driver, neo4j_settings):
    with pytest.raises(QueryError, match="OutOfMemory|MemoryLimit|memory"):
        run_read(neo4j_driver, "RETURN size(reduce(s = 'a', x IN range(1, 29) | s + s)) AS n", {},
                 database=neo4j_settings.database, timeout=120)
    assert run_read(neo4j_driver, "RETURN 1 AS one", {}, database=neo4j_settings.database) == (["one"], [[1]])


def test_load_csv_is_refused_in_a_read_query(neo4j_driver, neo4j_settings):
    for q in ("LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row",
              "PROFILE LOAD CSV FROM 'file:///etc/passwd' AS row RETURN count(*)",
              "MATCH (n) WITH count(n) AS c /* a comment */ LOAD CSV FROM 'http://127.0.0.1:9/y' AS row RETURN c"):
        with pytest.raises(QueryError, match="LOAD CSV is not allowed"):
            run_read(neo4j_driver, q, {}, database=neo4j_settings.database)
