import pytest

from kg.graph.resolve import canonical_key, metric_info
from kg.graph.records import Entity
from kg.graph.vocab import KG, camel
from kg.graph.schema import load_schema, schema_statements


def test_schema_statements_are_idempotent_ddl():
    stmts = schema_statements()
    assert all("IF NOT EXISTS" in s for s in stmts)
    assert any("FOR (n:Paper) REQUIRE n.id IS UNIQUE" in s for s in stmts)


def test_vocabulary_covers_the_schema_and_is_closed():
    s = load_schema()
    for label, spec in s["nodes"].items():
        assert getattr(KG, label)
        for prop in spec["properties"]:
            assert getattr(KG, camel(prop))
    for rel in s["relationships"]:
        assert getattr(KG, camel(rel))
    with pytest.raises(AttributeError):
        KG.notATerm


def test_metric_direction_and_unknown_metric():
    assert metric_info("FID").higher_is_better is False
    assert metric_info("top-1 accuracy").higher_is_better is True
    assert metric_info("frobnication index") is None


def test_canonical_keys_merge_aliases_and_keep_variants_apart():
    k = lambda f, n, a=(): canonical_key(f, Entity(name=n, aliases=a))[0]
    assert k("datasets", "MS COCO") == k("datasets", "COCO")
    assert k("datasets", "ImageNet-1K") != k("datasets", "ImageNet")
    assert k("methods", "Llama-2") == k("methods", "LLaMA 2")
    assert k("methods", "ResNet-50") != k("methods", "ResNet-101")
    assert k("methods", "GPT-4") != k("methods", "GPT-4o")
    assert k("metrics", "top-1 accuracy") == k("metrics", "accuracy")


def test_rows_are_checked_against_the_schema():
    from kg.graph.schema import SchemaError, check_rows

    s = load_schema()
    check_rows(s, "Method", [{"key": "m:x", "name": "X", "aliases": ["X"]}])
    with pytest.raises(SchemaError, match="Method m:x: property 'colour' is not in the schema"):
        check_rows(s, "Method", [{"key": "m:x", "colour": "red"}])
    with pytest.raises(SchemaError, match="Result p#r0: property 'value' must be FLOAT, got str"):
        check_rows(s, "Result", [{"id": "p#r0", "value": "83.8"}])
    with pytest.raises(SchemaError, match="must be BOOLEAN"):
        check_rows(s, "Metric", [{"key": "x:a", "higher_is_better": "yes"}])
    check_rows(s, "USES", [{"paper": "p", "key": "m:x", "surface": "X", "rule": "surface"}],
               relationship=True, ignore=frozenset({"paper", "key"}))
