"""Names that read the same get one key (#14 D11): dashes, minus signs, invisible format
characters and decomposed accents are folded; letters are not."""

from kg.graph.records import Entity
from kg.graph.resolve import resolve_entity
from kg.extractors.rules import fold_unicode, norm_key

SAME_NAME = ["ZorbNet-7", "ZorbNet\u20117", "ZorbNet\u22127", "ZorbNet\u200b-7", "ZorbNet\u00ad-7",
             "\u200eZorbNet-7\u200f", "ZorbNet\u20137", "Zorb\uff2eet-7", "ZorbNet\u2010 7", "\ufeffZorbNet-7"]


def test_variants_that_read_the_same_share_one_key_and_one_node():
    assert {norm_key(v) for v in SAME_NAME} == {"zorbnet7"}
    assert len({resolve_entity("methods", Entity(name=v)).key for v in SAME_NAME}) == 1


def test_decomposed_accents_compose_and_real_differences_stay():
    assert norm_key("Cafe\u0301Net") == norm_key("CaféNet")
    assert norm_key("CaféNet") != norm_key("CafeNet")  # an accent is a letter, not noise
    assert norm_key("ZorbNet-7") != norm_key("ZorbNet-8")
    assert fold_unicode("a\u200bb\u00adc") == "abc"
    assert fold_unicode("plain ASCII-text") == "plain ASCII-text"
