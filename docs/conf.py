"""Sphinx configuration for the mlp-symmetry site.

Three things here go beyond plain settings:

* the API reference is generated from ``mlp_symmetry.__all__`` at every build
  (one stub page per public name, grouped by the module that defines it), so
  adding a public function only takes an edit of ``mlp_symmetry/__init__.py``;
* both execution caches (sphinx-gallery's ``.md5`` files and myst-nb's
  jupyter-cache) are keyed on a hash of the package sources: editing
  ``mlp_symmetry/*.py`` re-runs every example and notebook, a no-op build
  re-runs nothing;
* intersphinx is on only when ``MLP_SYMMETRY_INTERSPHINX=1`` (the hosted builds
  set it); offline builds ignore references to external objects instead.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import inspect
import os
import pkgutil
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pydata_sphinx_theme
import sphinx_copybutton

import mlp_symmetry

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
PACKAGE = Path(mlp_symmetry.__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

import takeaway  # noqa: E402  (docs/_ext, put on the path just above)

# -- Project -----------------------------------------------------------------

project = "mlp-symmetry"
author = "The mlp-symmetry authors"
copyright = "2025, the mlp-symmetry authors"
release = mlp_symmetry.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinx-mathjax-offline",
    "numpydoc",
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinxcontrib.bibtex",
    "sphinx_copybutton",
    "sphinxext.opengraph",
    "notfound.extension",
    "prerun_pages",
    "takeaway",
]

INTERSPHINX = os.environ.get("MLP_SYMMETRY_INTERSPHINX", "") == "1"
if INTERSPHINX:
    extensions.append("sphinx.ext.intersphinx")

exclude_patterns = [
    "_build",
    "jupyter_execute",
    "**.ipynb_checkpoints",
    # sphinx-gallery's notebooks are downloads, not pages.
    "auto_examples/**.ipynb",
    "api/generated/*.inc",
]
# The theme and sphinx-copybutton add these folders when the builder starts,
# after Sphinx has compared this configuration with the previous build's. Listed
# here already (and de-duplicated once they are added again, in
# drop_repeated_paths), they leave the configuration the same from build to build.
templates_path = [
    "_templates",
    str(Path(pydata_sphinx_theme.__file__).parent.resolve() / "theme/pydata_sphinx_theme/components"),
]
html_static_path = ["_static", str((Path(sphinx_copybutton.__file__).parent / "_static").absolute())]

nitpicky = True
# Turn every warning of an extension into a build error under -W, except none.
suppress_warnings: list[str] = []

# -- Cross-references to other projects --------------------------------------

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "scipy": ("https://docs.scipy.org/doc/scipy", None),
    "matplotlib": ("https://matplotlib.org/stable", None),
}
intersphinx_timeout = 30

if not INTERSPHINX:
    # Offline, objects of other projects cannot resolve; only those are ignored.
    nitpick_ignore_regex = [
        (r"py:.*", r"(numpy|np|scipy|matplotlib|mpl|plt|sklearn|cycler|collections|math|typing)(\..*)?"),
        (r"py:.*", r"(ndarray|array_like|ArrayLike|Generator|Figure|Axes|NDArray)"),
    ]

# -- Where the site lives ----------------------------------------------------------

# The address the site is served from: the sitemap, the OpenGraph metadata, the
# 404 page's links and the install commands of downloaded notebooks use it.
# Hosted builds set MLP_SYMMETRY_BASE_URL (Read the Docs sets its own
# READTHEDOCS_CANONICAL_URL); the default is where `make serve` serves the site.
BASE_URL = (
    os.environ.get("MLP_SYMMETRY_BASE_URL") or os.environ.get("READTHEDOCS_CANONICAL_URL") or "http://127.0.0.1:8000/"
)
BASE_URL = BASE_URL.rstrip("/") + "/"
# The source repository, linked from the top bar when set (MLP_SYMMETRY_REPOSITORY=https://...).
REPOSITORY = os.environ.get("MLP_SYMMETRY_REPOSITORY", "")

html_baseurl = BASE_URL
# The first cell of every downloadable notebook, examples and pages alike.
takeaway_install_text = (
    "# This notebook needs the mlp-symmetry package with its examples extra. Download\n"
    "# the wheel {wheel} from the site's install page, then:\n"
    '#     pip install "{wheel}[examples]"\n'
    "# or install it straight from the site:\n"
    '#     pip install "mlp-symmetry[examples] @ {wheel_url}"\n'
    '# or, in a clone of the repository: pip install ".[examples]"'
)

# OpenGraph metadata (title, description, URL and first figure of each page), for
# link previews; only tags in the pages, nothing is fetched.
ogp_site_url = BASE_URL
ogp_site_name = "mlp-symmetry"
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = True
ogp_use_first_image = True

# The 404 page is served for any missing address, at any depth, so every link on
# it is absolute: it starts from the path of the base URL.
notfound_urls_prefix = urlsplit(BASE_URL).path
_NOT_FOUND_LINKS = [
    ("index.html", "The answer in short"),
    ("part1/index.html", "Part I: convex where there is one layer"),
    ("part2/index.html", "Part II: symmetry makes many minima"),
    ("part3/index.html", "Part III: stuck or not?"),
    ("part4/index.html", "Part IV: seeing and crossing the landscape"),
    ("auto_examples/index.html", "The examples"),
    ("api/index.html", "The API reference"),
]
notfound_context = {
    "title": "Page not found",
    "body": "<h1>Page not found</h1>\n<p>There is no page at this address; it may have moved. Start from one of"
    " these, or search the site with the box at the top.</p>\n<ul>\n"
    + "".join(f'<li><a href="{notfound_urls_prefix}{path}">{label}</a></li>\n' for path, label in _NOT_FOUND_LINKS)
    + "</ul>",
}

# -- HTML ----------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = "mlp-symmetry"
# Values below are written in the form the extensions would give them (a
# priority for the style sheet, the theme's "#" permalinks, its empty icon links
# and logo), so that none is changed while the site builds.
html_css_files = [("custom.css", {"priority": 800})]
html_permalinks_icon = "#"
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 5,
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc", "page_notebook", "sg_download_links", "all_examples_downloads"],
    "icon_links": [
        {"name": "Source repository", "url": REPOSITORY, "icon": "fa-solid fa-code-branch", "type": "fontawesome"}
    ]
    if REPOSITORY
    else [],
    "logo": {},
}
html_sidebars = {"index": [], "references": [], "install": []}
html_context = {"default_mode": "auto"}

# MathJax is served from the site itself (sphinx-mathjax-offline copies it).
mathjax_path = "mathjax/tex-chtml.js"
# MathJax typesets only the elements that MyST marks as maths. myst-parser would
# set this itself when the builder starts (myst_update_mathjax); set here, it is
# part of the configuration from the start.
myst_update_mathjax = False
mathjax4_config = {"options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}}

# -- API reference: autodoc, numpydoc ----------------------------------------

autosummary_generate = False  # the stubs are written below, from __all__
autodoc_typehints = "signature"
autodoc_member_order = "bysource"
python_use_unqualified_type_names = True
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# -- Bibliography ----------------------------------------------------------------

bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- myst-nb: executed text notebooks ------------------------------------------

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 600
nb_merge_streams = True
nb_kernel_rgx_aliases = {".*": "python3"}
# Cells tagged hide-input are folded behind this prompt. A cell that only checks
# the page's claims (asserts, glue) overrides it with "Show the checks" in its
# own ``mystnb`` metadata (see CONTRIBUTING.md).
nb_code_prompt_show = "Show the code"
nb_code_prompt_hide = "Hide the code"

# -- sphinx-gallery --------------------------------------------------------------

# Run only the examples whose path matches this regular expression, e.g.
# MLP_SYMMETRY_EXAMPLE=plot_01 make docs (see CONTRIBUTING.md).
EXAMPLE_PATTERN = os.environ.get("MLP_SYMMETRY_EXAMPLE", "")

sphinx_gallery_conf = {
    "examples_dirs": "../gallery",
    "gallery_dirs": "auto_examples",
    "filename_pattern": EXAMPLE_PATTERN or "/plot_",
    "within_subsection_order": "sphinx_gallery.sorting.FileNameSortKey",
    "abort_on_example_error": True,
    "doc_module": ("mlp_symmetry",),
    "backreferences_dir": "gen_modules/backreferences",
    "capture_repr": (),
    "image_srcset": ["2x"],
    "min_reported_time": float("inf"),  # no run times on pages: identical text between builds
    "write_computation_times": False,
    "show_memory": False,
    "download_all_examples": True,
    "remove_config_comments": True,
    "first_notebook_cell": takeaway.install_text(takeaway_install_text, BASE_URL, release),
    "log_level": {"backreference_missing": "debug"},
    # An example that leaves a matplotlib animation open gets a player (frames
    # embedded in the page, no video encoder, nothing loaded from elsewhere).
    "matplotlib_animations": (True, "jshtml"),
    "parallel": False,  # set while the examples run, in choose_gallery_parallelism()
}

# -- Generated API pages ------------------------------------------------------------

API_DIR = DOCS / "api" / "generated"


def _write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless it already holds it (keeps builds incremental)."""
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _defining_module(name: str, obj) -> str:
    """Return the submodule of mlp_symmetry that defines the public name ``name``."""
    module = getattr(obj, "__module__", "") or ""
    if module.startswith("mlp_symmetry.") and getattr(importlib.import_module(module), name, None) is obj:
        return module
    for info in pkgutil.iter_modules(mlp_symmetry.__path__, "mlp_symmetry."):
        candidate = importlib.import_module(info.name)
        if vars(candidate).get(name) is obj:
            return info.name
    raise ValueError(f"cannot find the module that defines mlp_symmetry.{name}")


def _kind(obj) -> str:
    if hasattr(obj, "__origin__"):  # a type alias such as tuple[Layer, ...]
        return "data"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "data"


def _attribute_docs(module: str, name: str) -> list[str]:
    """Return the docstring lines written under a module-level assignment."""
    from sphinx.pycode import ModuleAnalyzer

    return list(ModuleAnalyzer.for_module(module).find_attr_docs().get(("", name), []))


def _stub(name: str, module: str, kind: str) -> str:
    full = f"mlp_symmetry.{name}"
    lines = [full, "=" * len(full), "", ".. currentmodule:: mlp_symmetry", ""]
    if kind == "data":
        # A module-level alias keeps its docstring in the defining module's source.
        docs = _attribute_docs(module, name)
        lines += [f".. py:data:: {name}", ""]
        lines += [f"   {line}".rstrip() for line in docs]
    else:
        lines += [f".. auto{kind}:: {name}"]
    lines += [
        "",
        f".. minigallery:: {full}",
        f"   :add-heading: Examples using ``{name}``",
        "   :heading-level: -",
        "",
    ]
    return "\n".join(lines)


# Modules in reading order; any other module follows, alphabetically.
API_MODULE_ORDER = ["network", "losses", "derivatives", "symmetry"]


def _module_rank(module: str) -> tuple[int, str]:
    short = module.rsplit(".", 1)[-1]
    rank = API_MODULE_ORDER.index(short) if short in API_MODULE_ORDER else len(API_MODULE_ORDER)
    return rank, short


def generate_api_pages() -> None:
    """Write one stub per name of ``mlp_symmetry.__all__`` and the grouped summary tables."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in mlp_symmetry.__all__:
        obj = getattr(mlp_symmetry, name)
        module = _defining_module(name, obj)
        groups.setdefault(module, []).append((name, _kind(obj)))
    wanted = set()
    sections = []
    for module in sorted(groups, key=_module_rank):
        mod = importlib.import_module(module)
        summary = (inspect.getdoc(mod) or module).splitlines()[0].rstrip(".")
        title = f"{summary} (``{module}``)"
        sections += [title, "-" * len(title), "", f".. automodule:: {module}", "   :no-members:", ""]
        names = [name for name, kind in groups[module] if kind != "data"]
        aliases = [name for name, kind in groups[module] if kind == "data"]
        sections += [".. currentmodule:: mlp_symmetry", ""]
        if names:
            sections += [".. autosummary::", "   :toctree: generated", "   :nosignatures:", ""]
            sections += [f"   {name}" for name in names] + [""]
        if aliases:
            # autosummary cannot summarise type aliases: list them by hand.
            sections += [".. rubric:: Type aliases", ""]
            for name in aliases:
                docs = _attribute_docs(module, name)
                sections.append(f"* :data:`{name}`: {docs[0] if docs else ''}".rstrip())
            sections += ["", ".. toctree::", "   :hidden:", ""]
            sections += [f"   generated/mlp_symmetry.{name}" for name in aliases] + [""]
        for name, kind in groups[module]:
            stub = API_DIR / f"mlp_symmetry.{name}.rst"
            wanted.add(stub)
            _write_if_changed(stub, _stub(name, module, kind))
    _write_if_changed(API_DIR / "sections.inc", "\n".join(sections))
    for stale in API_DIR.glob("mlp_symmetry.*.rst"):
        if stale not in wanted:
            stale.unlink()


generate_api_pages()

# -- Execution caches keyed on the package sources -----------------------------------


def package_hash() -> str:
    """SHA-256 of every source file of the package, and of the example filter."""
    digest = hashlib.sha256(EXAMPLE_PATTERN.encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp_path(app) -> Path:
    return Path(app.doctreedir) / "mlp_symmetry.sha256"


_PACKAGE_CHANGED = {"value": True}


def invalidate_caches_if_package_changed(app, config) -> None:
    """Force re-execution of every example and notebook when the package changed."""
    stamp = _stamp_path(app)
    changed = not stamp.exists() or stamp.read_text() != package_hash()
    _PACKAGE_CHANGED["value"] = changed
    if not changed:
        return
    for md5 in (DOCS / "auto_examples").rglob("*.md5"):
        md5.unlink()
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    shutil.rmtree(cache, ignore_errors=True)


def choose_gallery_parallelism(app) -> None:
    """Run examples in MLP_SYMMETRY_JOBS processes (default 2), but only when two or more must run.

    Starting worker processes costs seconds; a build with nothing to run should not pay them.
    Set when the builder starts, after Sphinx has hashed the configuration, and put back
    once the gallery has run (:func:`restore_gallery_parallelism`), so that the
    configuration of one build equals that of the next.
    """
    from sphinx_gallery.utils import get_md5sum

    stale = 0
    for source in (ROOT / "gallery").rglob("plot_*.py"):
        target = DOCS / "auto_examples" / source.relative_to(ROOT / "gallery")
        md5 = Path(f"{target}.md5")
        if not md5.exists() or md5.read_text() != get_md5sum(source, mode="t"):
            stale += 1
    jobs = int(os.environ.get("MLP_SYMMETRY_JOBS", "2"))
    app.config.sphinx_gallery_conf["parallel"] = jobs if stale > 1 and jobs > 1 else False


def drop_repeated_paths(app) -> None:
    """Keep the first of each folder that an extension added again to the template and static paths."""
    for name in ("templates_path", "html_static_path"):
        paths = getattr(app.config, name)
        paths[:] = list(dict.fromkeys(paths))


# sphinx-gallery keeps the state of a run in its configuration (the examples
# it ran, their titles, the source folder and builder); Sphinx stores the
# configuration with the environment and compares it with the next build's.
# Its run fills in the first four and adds the last two.
GALLERY_RUN_STATE = {
    "stale_examples": [],
    "passing_examples": [],
    "failing_examples": {},
    "titles": {},
    "src_dir": None,
    "builder_name": None,
}


def stash_gallery_run_state(app, env) -> None:
    """Store the environment with the gallery's configuration as ``conf.py`` gives it (env-updated)."""
    conf = app.config.sphinx_gallery_conf
    app._gallery_run_state = {key: conf[key] for key in GALLERY_RUN_STATE if key in conf}
    for key, value in GALLERY_RUN_STATE.items():
        if value is None:
            conf.pop(key, None)
        else:
            conf[key] = copy.deepcopy(value)


def restore_gallery_run_state(app, env) -> None:
    """Give the gallery its run state back once the environment is stored (env-check-consistency)."""
    app.config.sphinx_gallery_conf.update(getattr(app, "_gallery_run_state", {}))


def restore_gallery_parallelism(app) -> None:
    """Put back the value of ``conf.py`` once the examples have run."""
    app.config.sphinx_gallery_conf["parallel"] = False


def outdated_notebooks(app, env, added, changed, removed) -> list[str]:
    """Mark every executed page outdated when the package changed."""
    if not _PACKAGE_CHANGED["value"]:
        return []
    docs = []
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        if path.suffix == ".md" and "kernelspec:" in path.read_text()[:2000]:
            docs.append(docname)
    return docs


# {glue:text}`other.md::key` in text, or ":doc: other.md" under a {glue} directive.
PASTED_FROM = re.compile(r"([\w./-]+)\.md::|^:doc:\s*([\w./-]+)\.md\s*$", re.M)


def pages_that_paste_from(app, env, added, changed, removed) -> list[str]:
    """Re-read a page that pastes numbers from another page (``{glue:text}`other.md::key```) when that one changed.

    Sphinx does not know about this dependency by itself; without it, an
    incremental build would keep the old numbers on the pasting page.
    """
    rebuilt = set(added) | set(changed)
    docs = []
    for docname in env.found_docs - rebuilt:
        path = Path(env.doc2path(docname))
        if path.suffix != ".md":
            continue
        sources = {
            os.path.normpath(os.path.join(os.path.dirname(docname), target)).replace(os.sep, "/")
            for match in PASTED_FROM.findall(path.read_text())
            for target in match
            if target
        }
        if sources & rebuilt:
            docs.append(docname)
    return docs


def store_package_hash(app, env) -> list[str]:
    """Remember the package the caches now hold, once every outdated page was re-read.

    Stored after reading rather than at the end of the build, so that a build
    failing later (say on one warning) does not make the next one re-run everything.
    """
    _stamp_path(app).parent.mkdir(parents=True, exist_ok=True)
    _stamp_path(app).write_text(package_hash())
    return []


# -- Cross-references to re-exported names ----------------------------------------


def resolve_reexports(app, env, node, contnode):
    """Resolve ``mlp_symmetry.<module>.<name>`` to the documented ``mlp_symmetry.<name>``.

    Module docstrings and type hints name objects where they are defined; the
    reference documents them where users import them from.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    name = target.rsplit(".", 1)[-1]
    in_package = target.startswith("mlp_symmetry.") or node.get("py:module", "").startswith("mlp_symmetry")
    if name not in mlp_symmetry.__all__ or not in_package or target == f"mlp_symmetry.{name}":
        return None
    domain = env.domains["py"]
    return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", f"mlp_symmetry.{name}", node, contnode)


# -- Every example page also links to the all-examples archives -------------------------


def add_archive_links(app, pagename, templatename, context, doctree) -> None:
    """Offer the archives of all examples in the sidebar of every example page.

    The links are added when pages are written, not as :rst:role:`download` roles
    in their source, so that editing one example does not make every example
    page depend on (and be rebuilt for) the changed archives.
    """
    if not pagename.startswith("auto_examples/") or pagename.endswith("index"):
        return
    archives = {Path(name).as_posix(): dest for name, (_docs, dest) in app.env.dlfiles.items()}
    links = []
    for kind, label in (("python", "All examples as Python scripts"), ("jupyter", "All examples as notebooks")):
        dest = archives.get(f"auto_examples/auto_examples_{kind}.zip")
        if dest is not None:
            links.append((label, context["pathto"](f"_downloads/{Path(dest).as_posix()}", 1)))
    context["all_examples_downloads"] = links


# matplotlib's jshtml player links Font Awesome 4 from a CDN for its button
# icons; the theme ships Font Awesome and draws them, so the link would only
# send readers' browsers elsewhere (and fail offline).
_CDN_STYLESHEET = re.compile(r'<link rel="stylesheet"\s+href="https://maxcdn\.bootstrapcdn\.com/[^"]*">\s*')


def drop_cdn_stylesheets(app, docname, source) -> None:
    """Remove the animation player's link to a CDN from the pages of the examples (source-read)."""
    if docname.startswith("auto_examples/"):
        source[0] = _CDN_STYLESHEET.sub("", source[0])


def section_titles_to_rubrics(app, what, name, obj, options, lines) -> None:
    """Show the titled sections of a module docstring as rubrics inside the API page."""
    if what != "module":
        return
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line.strip() and set(line.strip()) <= set("-=~^") and len(line.strip()) > 2:
            out[-1] = f".. rubric:: {out[-1].strip()}"
            out.append("")
            continue
        out.append(line)
    lines[:] = out


def setup(app):
    """Connect the build hooks defined above."""
    # sphinx-mathjax-offline only copies files once the build has finished, which
    # is safe with parallel reading; it does not say so itself.
    app.extensions["sphinx-mathjax-offline"].parallel_read_safe = True
    app.connect("autodoc-process-docstring", section_titles_to_rubrics, priority=400)
    app.connect("config-inited", invalidate_caches_if_package_changed)
    app.connect("builder-inited", choose_gallery_parallelism, priority=5)
    app.connect("builder-inited", restore_gallery_parallelism, priority=800)
    app.connect("builder-inited", drop_repeated_paths, priority=999)
    app.connect("env-updated", stash_gallery_run_state, priority=999)
    app.connect("env-check-consistency", restore_gallery_run_state)
    app.connect("env-get-outdated", outdated_notebooks)
    app.connect("env-get-outdated", pages_that_paste_from)
    app.connect("env-updated", store_package_hash)
    app.connect("missing-reference", resolve_reexports)
    app.connect("html-page-context", add_archive_links)
    app.connect("source-read", drop_cdn_stylesheets)
    return {"parallel_read_safe": True}
