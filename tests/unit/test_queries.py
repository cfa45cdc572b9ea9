import pytest

from kg.explore.queries import QueryError, get_query, list_queries, parse_query


def test_every_saved_query_has_a_complete_header():
    qs = list_queries()
    assert {"leaderboard", "head_to_head", "paper", "benchmarks"} <= set(qs)
    for q in qs.values():
        assert q.description and q.columns and q.cypher
        for p in q.params:
            assert p.required or p.default is not None, (q.name, p.name)
            assert p.example, (q.name, p.name)
        # parameters are used as $name in the body, never formatted in
        for p in q.params:
            assert f"${p.name}" in q.cypher


def test_bind_converts_and_rejects():
    q = get_query("leaderboard")
    assert q.bind({"dataset": "COCO", "metric": "AP", "limit": "5"}) == {"dataset": "COCO", "metric": "AP", "family": False,
                                                                   "limit": 5}
    assert q.bind({"dataset": "COCO", "metric": "AP", "family": "true"})["family"] is True
    with pytest.raises(QueryError, match="unknown parameter.*valid: dataset, family, limit, metric"):
        q.bind({"dataset": "COCO", "metric": "AP", "datset": "x"})
    with pytest.raises(QueryError, match="missing required parameter 'metric'"):
        q.bind({"dataset": "COCO"})
    with pytest.raises(QueryError, match="must be INTEGER"):
        q.bind({"dataset": "COCO", "metric": "AP", "limit": "ten"})


def test_unknown_query_lists_valid_names():
    with pytest.raises(QueryError, match="valid: .*leaderboard"):
        get_query("leaderbord")


def test_malformed_header(tmp_path):
    f = tmp_path / "x.cypher"
    f.write_text("// name: x\n// param: n NUMBER\nRETURN 1\n")
    with pytest.raises(QueryError, match="bad param line"):
        parse_query(f)


def test_quoted_default_is_a_string(tmp_path):
    f = tmp_path / "x.cypher"
    f.write_text("// name: x\n// param: m STRING default='' example=RT-DETR  -- '' for all\n"
                 "// param: n STRING default=\"a b\" example=c\nRETURN $m, $n\n")
    q = parse_query(f)
    assert [(p.name, p.default, p.example) for p in q.params] == [("m", "", "RT-DETR"), ("n", "a b", "c")]
    assert q.bind({}) == {"m": "", "n": "a b"}


def test_saved_queries_avoid_what_a_browser_url_cannot_carry():
    for q in list_queries().values():
        assert not set(q.cypher) & set("&#"), q.name


def test_integers_outside_cypher_int64_are_a_query_error_not_an_overflow():
    """#14 D15: ``-p limit=10^20`` was an OverflowError traceback from the driver."""
    from kg.explore.queries import INT64, QueryError, convert, get_query, parse_value

    q = get_query("benchmarks")
    limit = next(p for p in q.params if p.name == "limit")
    assert convert("benchmarks", limit, str(INT64[1])) == INT64[1]
    with pytest.raises(QueryError, match="out of range for INTEGER"):
        q.bind({"limit": str(10**20)})
    with pytest.raises(QueryError, match="out of range"):
        parse_value('[1, {"a": -99999999999999999999}]')
    assert parse_value('[1, {"a": -9223372036854775808}]') == [1, {"a": INT64[0]}]
