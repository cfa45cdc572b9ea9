"""``kg.ml_tokenizer.v1``: spaCy's tokenizer with kg's rules for ML text.

Registered in spaCy's ``tokenizers`` registry so ``extractors/pipeline.cfg`` names it
(``[nlp.tokenizer] @tokenizers = "kg.ml_tokenizer.v1"``) and a saved pipeline is rebuilt
with it by ``spacy.load``; the rules themselves are regexes the tokenizer serialises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from spacy.util import compile_infix_regex, compile_suffix_regex, registry

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

# a period after a name ending in capitals ends the sentence: "ADE20K.", "Swin-B.", "ViT-L."
# (spaCy keeps a period after a capital as an abbreviation; ML names end in capitals often)
FINAL_PERIOD_SUFFIXES = (r"(?<=[0-9][A-Z])\.$", r"(?<=[A-Z][A-Z])\.$", r"(?<=-[A-Z])\.$", r"(?<=[a-z][A-Z])\.$")
# "LLaVA-NeXT-7B/13B", "0.3%/1.1%": a slash between names or numbers separates them
SLASH_INFIX = r"(?<=[A-Za-z0-9%])/(?=[A-Za-z0-9])"


def ml_tokenizer_rules(nlp: "Language", tokenizer: "Tokenizer | None" = None) -> None:
    """Add kg's suffix and infix rules (:data:`FINAL_PERIOD_SUFFIXES`,
    :data:`SLASH_INFIX`) to ``tokenizer`` (default ``nlp.tokenizer``), in place."""
    tok = tokenizer if tokenizer is not None else nlp.tokenizer
    suffixes = list(nlp.Defaults.suffixes or []) + list(FINAL_PERIOD_SUFFIXES)
    tok.suffix_search = compile_suffix_regex(suffixes).search
    infixes = list(nlp.Defaults.infixes or []) + [SLASH_INFIX]
    tok.infix_finditer = compile_infix_regex(infixes).finditer


@registry.tokenizers("kg.ml_tokenizer.v1")
def create_ml_tokenizer() -> Callable[["Language"], "Tokenizer"]:
    """spaCy's default tokenizer (``spacy.Tokenizer.v1``) with :func:`ml_tokenizer_rules`."""
    base = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp: "Language") -> "Tokenizer":
        tok = base(nlp)
        ml_tokenizer_rules(nlp, tok)
        return tok

    return make
