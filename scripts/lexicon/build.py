"""Generate ``extractors/patterns/*_public.jsonl``: lexicon entries read from public,
structured lists of names that ship inside installable packages (issue #12 item 6).

Every line is a SpanRuler pattern with the package it came from::

    {"label": "DATASET", "pattern": "CIFAR-100", "id": "cifar-100", "source": "torchvision 0.29.2 torchvision.datasets"}

The packages are needed only to generate; the runtime reads the committed JSONL. They are
installed without their dependencies (``requirements.txt`` beside this file) and read as
source text (``ast``), never imported, so no torch or tensorflow is needed::

    python3 -m venv /tmp/lexgen
    /tmp/lexgen/bin/pip install --no-deps -r scripts/lexicon/requirements.txt
    /tmp/lexgen/bin/pip install wordfreq
    npm pack @huggingface/tasks && tar xzf huggingface-tasks-*.tgz   # -> ./package
    /tmp/lexgen/bin/python scripts/lexicon/build.py --hf-tasks ./package

Names are turned into surface forms by stated rules only (CamelCase split, underscores to
spaces, a hyphen between letters and a trailing number) and filtered for precision
(:func:`keep`): at least 3 characters; a name that is a common English word (wordfreq
Zipf >= 3.0: "Places", "Cars", "Hopper", "Actor") is dropped unless it is written in
capitals (then it is dropped only if it is a very common word of at most 4 letters, Zipf
>= 3.5: "LED", "SAM"); a split form with a lone letter or number ("Celeb A") is dropped; a
METHOD or DATASET of several words that are all common English words ("Encoder decoder",
"City Network") is dropped; a name in ``generic_terms.json`` or already in the
hand-written files is dropped, and one equal
to a hand-written name up to case, spaces and hyphens takes that entry's id.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from importlib import metadata
from pathlib import Path

from wordfreq import zipf_frequency

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = ROOT / "extractors" / "patterns"
FILES = {"METHOD": "methods", "DATASET": "datasets", "METRIC": "metrics", "TASK": "tasks"}
COMMON_ZIPF = 3.0


# ---------------------------------------------------------------- reading packages

def pkg_file(dist: str, rel: str) -> Path:
    """A file of an installed distribution, found through its metadata (no import)."""
    return Path(metadata.distribution(dist).locate_file(rel))


def src(dist: str) -> str:
    return f"{dist} {metadata.version(dist)}"


def parse(dist: str, rel: str) -> ast.Module:
    return ast.parse(pkg_file(dist, rel).read_text(encoding="utf-8"))


def literal(dist: str, rel: str, name: str):
    """The literal value assigned to module-level ``name`` (``OrderedDict([...])`` too)."""
    for node in parse(dist, rel).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(getattr(t, "id", None) == name for t in targets) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Call) and value.args:  # OrderedDict([...])
                value = value.args[0]
            return ast.literal_eval(value)
    raise KeyError(f"{name} not in {dist}:{rel}")


def imported_names(dist: str, rel: str) -> list[str]:
    """Names imported by ``from x import A, B`` in a package ``__init__``."""
    return [a.asname or a.name for n in parse(dist, rel).body if isinstance(n, ast.ImportFrom) for a in n.names]


# ---------------------------------------------------------------- surface forms

def camel_words(name: str) -> list[str]:
    """``PeakSignalNoiseRatio`` -> Peak Signal Noise Ratio; ``BLEUScore`` -> BLEU Score."""
    return re.findall(r"[A-Z][a-z][A-Z](?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+", name)


def number_hyphen(name: str) -> str:
    """``CIFAR10`` -> ``CIFAR-10``, ``ResNet50`` -> ``ResNet-50``: a trailing number after a
    word of 2+ letters (not a version letter: ``DeBERTa-v2``, ``ByT5`` stay as they are)."""
    return re.sub(r"(?<=[A-Za-z])(?=\d+$)", "-", name) if re.search(r"(?<![A-Za-z])([A-Z]{2,}|[a-z]{2,})\d+$|[A-Z][a-z]{2,}\d+$", name) else name


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9+]+", "-", name.casefold()).strip("-")


def norm(s: str) -> str:
    """Case, spaces, hyphens and punctuation removed (the scorer's comparison form)."""
    return re.sub(r"[\s\-_‐‑–—./,:;()'\"`]+", "", s.casefold())


# ---------------------------------------------------------------- sources
# Each yields (label, [surface forms of one name], source).

def torchvision_datasets():
    s = src("torchvision") + " torchvision.datasets"
    skip = {"ImageFolder", "DatasetFolder", "FakeData", "VisionDataset", "LSUNClass", "SBDataset", "CarlaStereo"}
    for name in literal("torchvision", "torchvision/datasets/__init__.py", "__all__"):
        if name in skip or not name[0].isupper():
            continue
        base = re.sub(r"(Detection|Segmentation|Captions|Classification|People|Pairs)$", "", name) or name
        base = re.sub(r"(?<=\d)Stereo$", "", base)
        yield "DATASET", forms(base), s


def torchaudio_datasets():
    s = src("torchaudio") + " torchaudio.datasets"
    for name in literal("torchaudio", "torchaudio/datasets/__init__.py", "__all__"):
        name = re.sub(r"_\d+$|(Identification|Verification|Biasing|Limited)$", "", name).replace("_", "-")
        # the package writes some names in capitals (LIBRISPEECH): matched case-insensitively
        yield "DATASET", forms(name.lower() if name.isupper() and len(name) > 5 else name), s


def pyg_datasets():
    s = src("torch-geometric") + " torch_geometric.datasets"
    for name in imported_names("torch-geometric", "torch_geometric/datasets/__init__.py"):
        if not name[0].isupper() or re.search(r"(Dataset|Fake|Collection)", name):
            continue
        yield "DATASET", forms(name.replace("_", "-")), s
    # Planetoid's docstring names its three citation graphs as :obj:`"Cora"` etc.
    doc = pkg_file("torch-geometric", "torch_geometric/datasets/planetoid.py").read_text(encoding="utf-8")
    for name in dict.fromkeys(re.findall(r':obj:`"([A-Z]\w+)"`', doc.split("Args:")[0])):
        yield "DATASET", [name], s + " (Planetoid)"


def ogb_datasets():
    s = src("ogb") + " master.csv"
    for sub in ("nodeproppred", "linkproppred", "graphproppred"):
        header = pkg_file("ogb", f"ogb/{sub}/master.csv").read_text(encoding="utf-8").splitlines()[0]
        for name in header.split(",")[1:]:
            yield "DATASET", [name], s


def gymnasium_envs():
    s = src("gymnasium") + " registered env ids"
    for node in ast.walk(parse("gymnasium", "gymnasium/envs/__init__.py")):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "register":
            for kw in node.keywords:
                if kw.arg == "id" and isinstance(kw.value, ast.Constant):
                    env_id = kw.value.value
                    base = re.sub(r"-v\d+$", "", env_id)
                    if not base.startswith(("phys2d", "tabular")) and not base.endswith("Environment"):
                        yield "DATASET", [env_id, base], s


def tfds_datasets():
    s = src("tensorflow-datasets") + " catalog"
    root = pkg_file("tensorflow-datasets", "tensorflow_datasets")
    names = {p.parent.name for p in (root / "datasets").glob("*/__init__.py")}
    for init in root.glob("*/__init__.py"):
        if init.parent.name in {"core", "testing", "proto", "scripts", "datasets", "dataset_collections"}:
            continue
        for node in ast.parse(init.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom):
                for a in node.names:  # builder class -> its registered name (tfds's snake_case rule)
                    if a.name[0].isupper():
                        names.add(re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", a.name).lower())
    for name in sorted(names):
        if len(name.split("_")) <= 2 and not name.endswith(("_test", "_utils", "_config")):
            yield "DATASET", [name.replace("_", " ")], s


def tfds_benchmark_configs():
    """The task names of GLUE and SuperGLUE: their builder configs (lowercase, so any case matches)."""
    for module in ("glue", "super_glue"):
        s = src("tensorflow-datasets") + f" {module} configs"
        for node in ast.walk(parse("tensorflow-datasets", f"tensorflow_datasets/text/{module}.py")):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith("Config"):
                for kw in node.keywords:
                    if kw.arg == "name" and isinstance(kw.value, ast.Constant) and re.fullmatch(r"[a-z0-9]+", kw.value.value):
                        yield "DATASET", [kw.value.value], s


def transformers_models():
    s = src("transformers") + " MODEL_NAMES_MAPPING"
    for _, name in literal("transformers", "transformers/models/auto/configuration_auto.py", "MODEL_NAMES_MAPPING"):
        if "_" in name or "encoder decoder" in name.lower() or re.search(r"(Model|Encoder|Decoder|Backbone|Wrapper|VisionTransformer|For[A-Z]\w+|Japanese|Text|Vision|Audio)$", name):
            continue
        yield "METHOD", forms(name, split_camel=False), s


def torchvision_models():
    s = src("torchvision") + " torchvision.models weights"
    root = pkg_file("torchvision", "torchvision/models")
    for path in sorted(root.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("_Weights") and not node.name.startswith("_"):
                # a width multiplier or GFLOPs keeps its point (MNASNet0_5, RegNet_Y_1_6GF)
                name = re.sub(r"(?<![\d])([0-2])_(\d+)$|(\d)_(\d+[GM]F)$", lambda m: ".".join(g for g in m.groups() if g),
                              node.name[: -len("_Weights")])
                if name.startswith("Quantized"):
                    continue
                yield "METHOD", forms(name.replace("_", "-"), split_camel=False), s


def timm_models():
    s = src("timm") + " timm.models modules"
    for path in sorted(pkg_file("timm", "timm/models").glob("*.py")):
        if path.name.startswith("_") or "@register_model" not in path.read_text(encoding="utf-8"):
            continue
        yield "METHOD", [path.stem.replace("_", " ")], s


def pyg_models():
    s = src("torch-geometric") + " torch_geometric.nn"
    for name in literal("torch-geometric", "torch_geometric/nn/conv/__init__.py", "__all__"):
        base = name[: -len("Conv")] if name.endswith("Conv") else name
        if re.fullmatch(r"[A-Z]{3,}\d*(v\d+)?", base) and not name.startswith(("Cu", "Fused")):
            yield "METHOD", [base], s
    for name in literal("torch-geometric", "torch_geometric/nn/models/__init__.py", "__all__"):
        if name[0].isupper() and "_" not in name and not re.search(r"(Layer|Decoder|Encoder|Memory|Label|Rev|Predictor)$", name):
            yield "METHOD", forms(name.replace("PlusPlus", "++"), split_camel=False), s


def sb3_algorithms():
    for dist, pkg in (("stable-baselines3", "stable_baselines3"), ("sb3-contrib", "sb3_contrib")):
        s = src(dist) + " algorithms"
        for name in literal(dist, f"{pkg}/__init__.py", "__all__"):
            if name[0].isupper() and not name.endswith(("Buffer", "Wrapper")):
                yield "METHOD", forms(name.replace("QRDQN", "QR-DQN")), s


def torchmetrics_metrics():
    s = src("torchmetrics") + " metric classes"
    root = pkg_file("torchmetrics", "torchmetrics")
    for path in sorted(root.rglob("*.py")):
        if "functional" in path.parts or "utilities" in path.parts or "wrappers" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef) or node.name.startswith(("_", "Base", "Binary", "Multiclass", "Multilabel")):
                continue
            if re.search(r"(Metric|Mean|Sum|Aggregator|Collection|Tracker|Curve|Matrix|Rates|Results|Backend|StatScores)$|^(ROC|NoTrain)", node.name):
                continue
            out = [" ".join(w if w.isupper() else w.lower() for w in camel_words(node.name))]
            first = (ast.get_docstring(node) or "").split("\n\n")[0].replace("\n", " ")
            m = re.search(r"`(?:Compute |Calculate )?([^`<]+?)\s*(?:<[^>]*>)?`_?\s*\(([A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)_?\)", first)
            if m and len(m.group(1).split()) <= 6:
                out += [m.group(1), m.group(2)]
            yield "METRIC", out, s


def sklearn_metrics():
    s = src("scikit-learn") + " sklearn.metrics"
    for name in literal("scikit-learn", "sklearn/metrics/__init__.py", "__all__"):
        if re.search(r"_(score|error|loss)$", name) and not name.startswith(("get_", "check_")):
            yield "METRIC", [name.replace("_", " ")], s


def jiwer_metrics():
    s = src("jiwer") + " jiwer.measures"
    for name in literal("jiwer", "jiwer/measures.py", "__all__"):
        if len(name) == 3:  # wer, mer, wil, wip, cer: the measures' conventional capitals
            yield "METRIC", [name.upper()], s


def transformers_tasks():
    s = src("transformers") + " pipelines SUPPORTED_TASKS"
    tree = parse("transformers", "transformers/pipelines/__init__.py")
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "SUPPORTED_TASKS":
            for key in node.value.keys:
                if task_name_ok(key.value.replace("-", " ")):
                    yield "TASK", [key.value.replace("-", " ")], s


def task_name_ok(name: str) -> bool:
    """Not a modality pair ("image to text", "Text-to-Speech") nor a catch-all ("Other", "Any-to-Any")."""
    return not re.search(r"\bto\b|^Other$|^Any", name, re.I)


def hf_tasks(package_dir: Path):
    """``PIPELINE_DATA`` names and subtask names of the npm package ``@huggingface/tasks``."""
    pkg = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    s = f"@huggingface/tasks {pkg['version']} PIPELINE_DATA"
    text = (package_dir / "src" / "pipelines.ts").read_text(encoding="utf-8")
    for name in re.findall(r'\bname:\s*"([^"]+)"', text):
        if task_name_ok(name):
            yield "TASK", [name], s


def forms(name: str, split_camel: bool = True) -> list[str]:
    """The name, its trailing number hyphenated, and (datasets, PyG models) its CamelCase words."""
    out = [name, number_hyphen(name)]
    if split_camel and re.search(r"[a-z][A-Z]|[A-Z]{2,}[a-z]", name):
        words = camel_words(name)
        if len(words) > 1 and not any(len(w) == 1 and w.islower() for w in words):
            out.append(" ".join(words))
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- filtering

def common(word: str) -> bool:
    return zipf_frequency(word, "en") >= COMMON_ZIPF


def keep(label: str, text: str) -> bool:
    if len(text) < 3 or not re.search(r"[A-Za-z]", text):
        return False
    words = text.split()
    if len(words) == 1 and not text.isupper() and common(text.lower()):
        return False
    if len(words) == 1 and text.isupper() and len(text) <= 4 and zipf_frequency(text.lower(), "en") >= 3.5:
        return False  # capitals that are also common words: "LED", "SAM", "OPT", "RAG"
    if len(words) > 1 and any(len(w) == 1 or w.isdigit() for w in words):
        return False  # a split left a lone letter or number: "Celeb A", "cifar10 1"
    if label in ("METHOD", "DATASET") and len(words) > 1 and all(common(w.lower()) for w in words):
        return False  # ordinary words together are no name: "Encoder decoder", "City Network", "Image Net"
    return True


def build(hf_tasks_dir: Path | None) -> dict[str, list[dict]]:
    existing = [json.loads(line) for p in sorted(PATTERNS.glob("*.jsonl")) if not p.stem.endswith("_public")
                for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    have_text = {d["pattern"].casefold() for d in existing if isinstance(d["pattern"], str)}
    # the project's own list of words that never name one method ("MLP", "transformer")
    have_text |= {t.casefold() for t in json.loads((PATTERNS / "generic_terms.json").read_text(encoding="utf-8"))["terms"]}
    have_norm = {norm(d["pattern"]): (d["label"], d["id"]) for d in existing if isinstance(d["pattern"], str)}

    sources = [torchvision_datasets, torchaudio_datasets, pyg_datasets, ogb_datasets, gymnasium_envs, tfds_benchmark_configs, tfds_datasets,
               transformers_models, torchvision_models, pyg_models, sb3_algorithms, timm_models,
               torchmetrics_metrics, sklearn_metrics, jiwer_metrics, transformers_tasks]
    rows = [r for f in sources for r in f()]
    if hf_tasks_dir:
        rows = [r for r in hf_tasks(hf_tasks_dir)] + rows  # the task taxonomy first: its display names
    out: dict[str, list[dict]] = {label: [] for label in FILES}
    seen: dict[str, str] = {}  # casefolded pattern -> label
    for label, names, source in rows:
        names = [n.strip() for n in names if keep(label, n.strip())]
        if not names:
            continue
        ident = None
        for n in names:  # an id already used for the same name (hand-written or generated)
            hit = have_norm.get(norm(n))
            if hit:
                if hit[0] != label:
                    ident = ""
                    break
                ident = ident or hit[1]
        if ident == "":
            continue  # a hand-written entry gives this name another type: leave it alone
        ident = ident or slug(names[-1] if label == "DATASET" and len(names) > 1 else names[0])
        for n in names:
            if n.casefold() in have_text or n.casefold() in seen:
                continue
            seen[n.casefold()] = label
            have_norm.setdefault(norm(n), (label, ident))
            out[label].append({"label": label, "pattern": n, "id": ident, "source": source})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hf-tasks", type=Path, help="unpacked npm package @huggingface/tasks (its package/ folder)")
    ap.add_argument("--out", type=Path, default=PATTERNS)
    args = ap.parse_args(argv)
    for label, entries in build(args.hf_tasks).items():
        path = args.out / f"{FILES[label]}_public.jsonl"
        path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
        counts: dict[str, int] = {}
        for e in entries:
            counts[e["source"]] = counts.get(e["source"], 0) + 1
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(entries)}", counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
