"""Packaging hook (the metadata is in pyproject.toml).

``schema/`` and ``queries/`` stay at the top of the repository (the design card's layout),
outside the ``kg`` package, so setuptools' package data cannot name them. This ``build_py``
copies them into the built package as ``kg/_data/schema`` and ``kg/_data/queries``, which
is where :mod:`kg.resources` finds them through ``importlib.resources`` in an installed
wheel. An editable install copies nothing: there kg reads the folders of the checkout.
"""

import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_DIRS = ("schema", "queries")  # the same as kg.resources.DATA_DIRS (a unit test checks)


class build_py_with_data(build_py):
    """``build_py``, then the top-level data folders into ``<build_lib>/kg/_data/``."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in DATA_DIRS:
            src = ROOT / name
            if not src.is_dir():
                raise SystemExit(f"setup.py: {src} is missing; kg cannot be built without it")
            dst = Path(self.build_lib) / "kg" / "_data" / name
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


# The extractors live in the top-level folder extractors/ (the design card's layout) and are
# installed as the subpackage kg.extractors: no generic top-level name lands in site-packages
# (an editable install maps the folder the same way).
PACKAGES = find_packages(include=["kg", "kg.*"]) + ["kg.extractors"] + [f"kg.extractors.{p}" for p in find_packages("extractors")]

setup(cmdclass={"build_py": build_py_with_data}, packages=PACKAGES, package_dir={"kg.extractors": "extractors"})
