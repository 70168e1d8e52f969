"""pytest at the checkout's root: the doctests of graph/, loaders/ and data/ run on the installed
``geokg`` modules.

``--doctest-modules`` imports ``graph/model.py`` by its folder, as ``graph.model``; without this
the checkout's modules would load a second time under those names, beside the ``geokg.graph.model``
the code itself imports (two copies of each class and table). The finder below answers
``graph``/``loaders``/``data`` and their submodules with the ``geokg`` module of the same file.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

FOLDERS = ("graph", "loaders", "data")  # the folders whose doctests pytest collects (pyproject testpaths)


class _GeokgAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``graph.x`` -> the already importable ``geokg.graph.x`` (same file, one module object)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".", 1)[0] in FOLDERS:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        module = importlib.import_module(f"geokg.{spec.name}")
        spec.loader_state = module.__spec__  # the module's own, put back by exec_module
        return module

    def exec_module(self, module):
        """Nothing to run: the geokg module is loaded already. Only its own ``__spec__``, which
        the import system has just replaced by the alias's, is put back (``importlib.resources``
        and worker processes read it)."""
        module.__spec__ = module.__spec__.loader_state


if not any(isinstance(f, _GeokgAlias) for f in sys.meta_path):
    sys.meta_path.insert(0, _GeokgAlias())
