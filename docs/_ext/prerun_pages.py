"""Execute the stale narrative pages on every core before Sphinx reads them.

myst-nb executes a page while Sphinx reads it, and Sphinx reads in chunks of
consecutive pages (``sphinx -j`` forks one process per chunk), so the slow
pages of one part of the site run one after the other in a single process.
This extension runs every page whose outputs are not yet in myst-nb's
execution cache in a pool of ``MLP_SYMMETRY_JOBS`` processes, once the gallery
has run, and stores the executed notebooks in that cache exactly as myst-nb
would (same reader, same cache, same hash). Sphinx then reads every page from
the cache.

A page that fails here is not stored: myst-nb runs it again while reading and
reports the error with its traceback, as it does without this extension.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from pathlib import Path

import nbformat
from sphinx.util import logging

logger = logging.getLogger(__name__)


# With several pages at once, each kernel gets one BLAS thread: OpenBLAS threads
# that wait for cores taken by another page spin, and made pages 5-10 times slower.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def execute(path: str, notebook_json: str, timeout: int, one_thread: bool) -> tuple[str, str | None, float]:
    """Run one notebook in its page's folder; return it executed (``None`` on failure) and the seconds taken."""
    from jupyter_cache.executors.utils import single_nb_execution

    if one_thread:
        os.environ.update(ONE_THREAD)  # this worker's kernels inherit it

    notebook = nbformat.reads(notebook_json, as_version=4)
    start = time.perf_counter()
    result = single_nb_execution(
        notebook, cwd=str(Path(path).parent), allow_errors=False, timeout=timeout, meta_override=True
    )
    seconds = time.perf_counter() - start
    return path, None if result.err is not None else nbformat.writes(notebook), seconds


def stale_pages(app) -> list[tuple[str, object, object]]:
    """Return the executed pages whose code is not in the cache, as ``(path, notebook, reader)``."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    env = app.env
    md_config, nb_config = env.myst_config, env.mystnb_config
    cache = get_cache(nb_config.execution_cache_path)
    stale = []
    for docname in sorted(env.found_docs):
        path = env.doc2path(docname)
        if Path(path).suffix != ".md":
            continue
        text = Path(path).read_text()
        reader = create_nb_reader(str(path), md_config, nb_config, text)
        if reader is None:
            continue
        notebook = reader.read(text)
        with suppress(KeyError):
            cache.match_cache_notebook(notebook)
            continue
        stale.append((str(path), notebook, reader))
    return stale


def prerun(app) -> None:
    """Execute the stale pages in parallel and cache them (builder-inited, after the gallery)."""
    if app.config.nb_execution_mode != "cache":
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    app.env.find_files(app.config, app.builder)
    stale = stale_pages(app)
    jobs = min(int(os.environ.get("MLP_SYMMETRY_JOBS", "2")), len(stale))
    if not stale:
        return
    logger.info(f"executing {len(stale)} page(s) in {jobs} process(es)")
    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    timeout = app.env.mystnb_config.execution_timeout
    readers = {path: reader for path, _, reader in stale}
    # The slowest pages first, so that the pool ends together: order by the size of the code.
    stale.sort(key=lambda item: -sum(len(cell.source) for cell in item[1].cells if cell.cell_type == "code"))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(execute, path, nbformat.writes(nb), timeout, jobs > 1) for path, nb, _ in stale]
        for future in futures:
            path, executed, seconds = future.result()
            name = os.path.relpath(path, app.srcdir)
            if executed is None:
                logger.info(f"page {name} failed ({seconds:.1f} s); it runs again while reading, to report why")
                continue
            logger.info(f"page {name} executed in {seconds:.1f} s")
            read_fmt = readers[path].read_fmt
            record = cache.add_nb_to_project(path, read_data=read_fmt) if read_fmt else cache.add_nb_to_project(path)
            bundle = CacheBundleIn(
                nbformat.reads(executed, as_version=4), record.uri, data={"execution_seconds": seconds}
            )
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def setup(app):
    """Run the stale pages once myst-nb is configured (500) and the gallery has run (500)."""
    app.connect("builder-inited", prerun, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
