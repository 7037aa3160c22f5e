"""Importing the other tools' readers for the interop tests.

They come from the test set-up (the `test` extra and tests/interop/requirements.txt). On a
developer's machine set up before they were added, their tests are skipped with the command that
installs them; in CI (CI=true, as .ci/run sets it) a missing reader is an error, so the suite can
never pass without having run them.
"""

from __future__ import annotations

import importlib
import os

import pytest

INSTALL = "pip install -e '.[test]' && pip install --no-deps -r tests/interop/requirements.txt"


def require(module: str):
    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=f"{module} not installed; {INSTALL}")
