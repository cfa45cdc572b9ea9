"""kg's own RDF vocabulary, as a closed rdflib ``DefinedNamespace``.

Terms mirror ``schema/graph.json``: one class per node label, one object property per
relationship type (``COMPARES_WITH`` → ``kg:comparesWith``), one datatype property per
node property (``value_max`` → ``kg:valueMax``). The namespace is closed: asking for a
term that is not declared raises ``AttributeError``, so a schema change that the
vocabulary does not follow fails loudly (rdflib ``DefinedNamespace`` docs). The ontology
document with labels and comments is ``schema/kg.ttl``.
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace


class KG(DefinedNamespace):
    """kg vocabulary (``https://w3id.org/kg-ml/ontology#``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg-ml/ontology#")

    # classes
    Paper: URIRef
    Method: URIRef
    Dataset: URIRef
    Metric: URIRef
    Task: URIRef
    Result: URIRef
    Claim: URIRef
    Repository: URIRef
    # object properties (relationship types)
    proposes: URIRef
    uses: URIRef
    comparesWith: URIRef
    evaluatesOn: URIRef
    measures: URIRef
    addresses: URIRef
    reports: URIRef
    ofMethod: URIRef
    onDataset: URIRef
    measuredBy: URIRef
    against: URIRef
    makes: URIRef
    supportedBy: URIRef
    claimsAbout: URIRef
    claimsAgainst: URIRef
    hasCode: URIRef
    variantOf: URIRef
    # datatype properties (node properties)
    id: URIRef
    key: URIRef
    name: URIRef
    aliases: URIRef
    title: URIRef
    abstract: URIRef
    date: URIRef
    sources: URIRef
    contentHash: URIRef
    extractorVersion: URIRef
    loadedAt: URIRef
    value: URIRef
    valueMax: URIRef
    unit: URIRef
    kind: URIRef
    text: URIRef
    sentence: URIRef
    field: URIRef
    start: URIRef
    end: URIRef
    extractor: URIRef
    confidence: URIRef
    higherIsBetter: URIRef
    type: URIRef
    url: URIRef
    mergedFrom: URIRef
    surface: URIRef
    rule: URIRef


def camel(name: str) -> str:
    """``COMPARES_WITH`` → ``comparesWith``; ``value_max`` → ``valueMax``."""
    parts = name.lower().split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])
