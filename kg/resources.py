"""Where kg's data files are, found through :mod:`importlib.resources`.

The graph schema (``schema/``) and the saved queries (``queries/``) live at the top of the
repository, beside ``kg/`` (the design card's layout). A built wheel carries them as
package data under ``kg/_data/<name>/`` (``setup.py``'s ``build_py`` copies them there);
in a source checkout or an editable install there is no ``kg/_data`` and they are read
from the repository. The extractors' pattern data is package data of ``kg.extractors``
(``extractors/patterns/``) in both cases.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from kg.errors import KgError

#: the top-level data folders a wheel carries under ``kg/_data`` (read by ``setup.py``)
DATA_DIRS = ("schema", "queries")


def data_dir(name: str) -> Path:
    """The directory of data folder ``name`` (one of :data:`DATA_DIRS`): ``kg/_data/<name>``
    in an installed wheel, else ``<repository>/<name>``. Raises :class:`KgError` (one line,
    no traceback) when neither exists, i.e. a broken installation."""
    if name not in DATA_DIRS:
        raise ValueError(f"unknown kg data folder {name!r} (one of {', '.join(DATA_DIRS)})")
    root = Path(str(files("kg")))
    for candidate in (root / "_data" / name, root.parent / name):
        if candidate.is_dir():
            return candidate
    raise KgError(f"kg's {name}/ folder is missing (looked in {root / '_data' / name} and {root.parent / name}): "
                  "reinstall kg")


def schema_dir() -> Path:
    """``schema/``: graph.json, metrics.json, kg.ttl, shapes.ttl, browser.grass."""
    return data_dir("schema")


def queries_dir() -> Path:
    """``queries/``: the saved ``.cypher`` and ``.sparql`` queries."""
    return data_dir("queries")


def patterns_dir() -> Path:
    """``extractors/patterns/``: the extractors' pattern data (package data of ``kg.extractors``)."""
    return Path(str(files("kg.extractors") / "patterns"))
