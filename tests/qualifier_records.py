"""Records with qualifiers, settings and metric variants, written for the tests of issue #12's
graph side (tests/unit/test_qualifier_setting.py, tests/integration/test_qualifier_setting_graph.py)."""

from __future__ import annotations

from kg.graph.records import Entity, PaperRecord, Provenance, Result


def prov(text: str, part: str) -> Provenance:
    start = text.index(part)
    return Provenance(sentence=text, start=start, end=start + len(part), extractor="result", confidence=0.9)


def res(text: str, part: str, method: str, dataset: str, metric: str, value: float, **kw) -> Result:
    return Result(method=method, dataset=dataset, metric=metric, value=value, unit="%", text=part,
                  provenance=prov(text, part), **kw)


DET = ("FooDet reaches 50.1 box AP and 44.0 mask AP on COCO, BarDet 51.0 box AP and up to 53.0 box AP "
       "with test-time augmentation, and BazDet 49.0 AP.")
CLS = "QuxCLIP obtains 71.4% zero-shot top-1 accuracy and 85.2% fine-tuned top-1 accuracy on ImageNet-1K, 80.0% linear probe."


def family_records() -> list[PaperRecord]:
    det = PaperRecord(
        id="q1", title="Detectors", abstract=DET,
        methods=tuple(Entity(name=n, role="proposed") for n in ("FooDet", "BarDet", "BazDet")),
        datasets=(Entity(name="COCO"),), metrics=(Entity(name="box AP"), Entity(name="mask AP"), Entity(name="AP")),
        results=(res(DET, "50.1 box AP", "FooDet", "COCO", "box AP", 50.1),
                 res(DET, "44.0 mask AP", "FooDet", "COCO", "mask AP", 44.0),
                 res(DET, "51.0 box AP", "BarDet", "COCO", "box AP", 51.0),
                 res(DET, "up to 53.0 box AP", "BarDet", "COCO", "box AP", 53.0, qualifier="up to"),
                 res(DET, "49.0 AP", "BazDet", "COCO", "AP", 49.0)),
    )
    cls = PaperRecord(
        id="q2", title="QuxCLIP", abstract=CLS,
        methods=(Entity(name="QuxCLIP", role="proposed"),), datasets=(Entity(name="ImageNet-1K"),),
        metrics=(Entity(name="zero-shot top-1 accuracy"), Entity(name="fine-tuned top-1 accuracy"), Entity(name="accuracy")),
        results=(res(CLS, "71.4% zero-shot top-1 accuracy", "QuxCLIP", "ImageNet-1K", "zero-shot top-1 accuracy", 71.4),
                 res(CLS, "85.2% fine-tuned top-1 accuracy", "QuxCLIP", "ImageNet-1K", "fine-tuned top-1 accuracy", 85.2),
                 res(CLS, "80.0% linear probe", "QuxCLIP", "ImageNet-1K", "accuracy", 80.0, setting="linear probe")),
    )
    return [det, cls]
