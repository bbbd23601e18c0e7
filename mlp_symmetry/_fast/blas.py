"""Run numpy's matrix products on one thread for a while, so that several threads of ours can each run their own.

Between two products, OpenBLAS's threads keep spinning for a while, so threads of ours that run elementwise work
(``tanh``, bias adds, the loss) at the same time compete with them for the CPUs. For a batch of large networks it is
faster to give each CPU one network at a time with single-threaded products: the products take as long in total, and
the elementwise work runs in parallel too. This module finds the thread setting of the OpenBLAS that numpy's wheels
ship (``numpy.libs/libscipy_openblas*``); with another BLAS, :func:`single_threaded` changes nothing and says so.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from contextlib import contextmanager

import numpy as np

# Symbol prefixes of the OpenBLAS builds in numpy's wheels (64-bit integers or not), and of a plain OpenBLAS.
_PREFIXES = ("scipy_openblas", "openblas")
_SUFFIXES = ("64_", "")
_lock = threading.Lock()
_controls = None
_users, _before = 0, None  # how many blocks are single-threaded now, and the setting before the first


def _find_controls():
    """Return the ``(set_num_threads, get_num_threads)`` functions of numpy's OpenBLAS, or ``None``."""
    libs = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "*openblas*"))):
        try:
            library = ctypes.CDLL(path)  # already loaded by numpy: this returns the same library
        except OSError:
            continue
        for prefix in _PREFIXES:
            for suffix in _SUFFIXES:
                setter = getattr(library, f"{prefix}_set_num_threads{suffix}", None)
                getter = getattr(library, f"{prefix}_get_num_threads{suffix}", None)
                if setter is not None and getter is not None:
                    return setter, getter
    return None


def available() -> bool:
    """Whether numpy's BLAS threads can be set from here."""
    global _controls
    if _controls is None:
        _controls = _find_controls() or False
    return bool(_controls)


@contextmanager
def single_threaded():
    """Run numpy's products on one thread within the block, then restore the setting; yield whether it could be set.

    Blocks may overlap (in several threads): the setting before the first is restored when the last ends.
    """
    global _users, _before
    if not available():
        yield False
        return
    setter, getter = _controls
    with _lock:
        if _users == 0:
            _before = int(getter())
            setter(1)
        _users += 1
    try:
        yield True
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                setter(_before)
