"""kg's own RDF vocabulary, as a closed rdflib ``DefinedNamespace``, and the standard ones.

The RDF export (:mod:`kg.export.rdf`) uses standard vocabularies wherever one fits:
schema.org for papers and code, the W3C ML Schema (``mls:``) for results, PROV-O for
provenance, DCTERMS for titles, identifiers and sources. ``kg:`` holds the rest
(higher-is-better, claims and their types, baselines, variants, aliases, units, result
kinds, confidence, extraction rules, character offsets) and one term per label, property
and relationship type of ``schema/graph.json`` (``COMPARES_WITH`` → ``kg:comparesWith``,
``value_max`` → ``kg:valueMax``), so every part of the property graph has a name.
The ontology document, with ``rdfs:label``/``rdfs:comment`` for every term and the
standard term each one is exported as, is ``schema/kg.ttl``; a unit test keeps it and
:class:`KG` equal.

The namespace is closed: asking for a term that is not declared raises
``AttributeError``, so a schema change that the vocabulary does not follow fails loudly
(rdflib ``DefinedNamespace`` docs).
"""

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, XSD, DefinedNamespace, Namespace

#: W3C ML Schema (https://www.w3.org/2016/10/mls/), the community group's core vocabulary.
MLS = Namespace("http://www.w3.org/ns/mls#")
#: schema.org, in rdflib's ``https`` form.
SCHEMA = SDO
#: SHACL.
SH = Namespace("http://www.w3.org/ns/shacl#")


class KG(DefinedNamespace):
    """kg vocabulary (``https://w3id.org/kg-ml/ontology#``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg-ml/ontology#")

    # classes: one per node label
    Paper: URIRef
    Method: URIRef
    Dataset: URIRef
    Metric: URIRef
    Task: URIRef
    Result: URIRef
    Claim: URIRef
    Repository: URIRef
    # classes of the export's own resources
    Sentence: URIRef
    Extraction: URIRef
    Extractor: URIRef
    # claim types (subclasses of Claim)
    OutperformsClaim: URIRef
    StateOfTheArtClaim: URIRef
    EfficiencyClaim: URIRef
    MatchesClaim: URIRef
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
    # datatype properties (node and relationship properties)
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
    family: URIRef
    qualifier: URIRef
    setting: URIRef
    type: URIRef
    url: URIRef
    mergedFrom: URIRef
    surface: URIRef
    rule: URIRef


#: Claim ``type`` value → its subclass of ``kg:Claim``.
CLAIM_CLASSES = {
    "outperforms": KG.OutperformsClaim,
    "state_of_the_art": KG.StateOfTheArtClaim,
    "efficiency": KG.EfficiencyClaim,
    "matches": KG.MatchesClaim,
}

#: Prefixes bound in every exported graph (the saved SPARQL queries declare the same).
PREFIXES = {
    "kg": Namespace(str(KG._NS)),
    "schema": SCHEMA,
    "mls": MLS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "rdfs": RDFS,
    "rdf": RDF,
    "xsd": XSD,
}


def camel(name: str) -> str:
    """``COMPARES_WITH`` → ``comparesWith``; ``value_max`` → ``valueMax``."""
    parts = name.lower().split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


def kg_terms() -> set[str]:
    """The local names :class:`KG` declares."""
    return {k for k in KG.__annotations__ if not k.startswith("_")}
