"""The documentation site: strict build, browser check, downloads and reproducibility.

One clean, strict build (a session fixture, in a temporary copy of the
repository) serves every test here, except the reproducibility test, which
builds a second time. All tests carry the ``docs`` marker:
``pytest -m "not docs"`` skips them, ``pytest -m docs`` runs only them.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

import mlp_symmetry

bs4 = pytest.importorskip("bs4")

pytestmark = pytest.mark.docs

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What a build needs from the repository; generated folders are left behind.
SOURCES = ["docs", "gallery", "mlp_symmetry", "pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE"]
SOURCES += ["constraints.txt"]
GENERATED = {
    "docs/_build",
    "docs/auto_examples",
    "docs/gen_modules",
    "docs/api/generated",
    "docs/jupyter_execute",
    "docs/sg_execution_times.rst",
}
SKIP_DIRS = {"_static", "_sources", "_downloads", "_images", "_modules"}


def copy_sources(dest: Path) -> Path:
    """Copy the files a build needs into ``dest``, without any generated output."""

    def ignore(directory, names):
        rel = Path(directory).relative_to(ROOT)
        return {
            n
            for n in names
            if (rel / n).as_posix() in GENERATED
            or n in {"__pycache__", ".ipynb_checkpoints", ".jupyter_cache"}
            or n.endswith(".egg-info")
        }

    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest


def build_env(root: Path) -> dict[str, str]:
    """Environment of a hosted-like offline build: the copied package first on the path."""
    env = {k: v for k, v in os.environ.items() if k not in {"MLP_SYMMETRY_EXAMPLE", "MLP_SYMMETRY_INTERSPHINX"}}
    env.pop("MPLBACKEND", None)  # notebook kernels must keep their inline backend
    env["PYTHONPATH"] = str(root)
    return env


def run_sphinx(root: Path) -> subprocess.CompletedProcess:
    """Build the site in ``root`` with warnings as errors and nitpicky references, as ``make docs`` does."""
    html = root / "docs" / "_build" / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-j", "2"]
    command += ["-d", str(root / "docs" / "_build" / "doctrees"), "docs", str(html)]
    result = subprocess.run(command, cwd=root, env=build_env(root), capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout[-3000:]}\n{result.stderr[-8000:]}"
    return result


def strict_build(root: Path) -> Path:
    """Build the site from clean into a copy of the sources in ``root``; return the HTML folder."""
    copy_sources(root)
    run_sphinx(root)
    return root / "docs" / "_build" / "html"


@pytest.fixture(scope="session")
def site_root(tmp_path_factory) -> Path:
    """A temporary copy of the repository with one clean, strict build of the site."""
    root = tmp_path_factory.mktemp("site")
    strict_build(root)
    return root


@pytest.fixture(scope="session")
def site(site_root) -> Path:
    return site_root / "docs" / "_build" / "html"


def html_pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if not SKIP_DIRS & set(p.relative_to(html).parts))


def soup(path: Path):
    return bs4.BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def example_pages(html: Path) -> list[Path]:
    return [p for p in html.glob("auto_examples/**/*.html") if p.name != "index.html"]


# -- 1. Strict build ------------------------------------------------------------------------


def test_strict_build_has_every_part_of_the_site(site):
    for page in ["index.html", "install.html", "references.html", "api/index.html", "auto_examples/index.html"]:
        assert (site / page).is_file(), f"{page} missing from the build"
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax must be served by the site itself"


def test_a_second_build_finds_the_same_configuration_and_nothing_to_do(site, site_root):
    figures = {p: p.stat().st_mtime_ns for p in (site_root / "docs" / "auto_examples").rglob("*.png")}
    output = run_sphinx(site_root).stdout
    assert "configuration has changed" not in output, output[:2000]
    assert "no targets are out of date" in output, output[-2000:]
    assert "Executed notebook" not in output and "page(s) in" not in output, "no page may run again"
    assert figures and figures == {p: p.stat().st_mtime_ns for p in figures}, "no example may run again"


def test_api_reference_documents_every_public_name(site):
    api = soup(site / "api" / "index.html").get_text()
    for name in mlp_symmetry.__all__:
        page = site / "api" / "generated" / f"mlp_symmetry.{name}.html"
        assert page.is_file(), f"no API page for mlp_symmetry.{name}"
        assert soup(page).find(id=f"mlp_symmetry.{name}"), f"API page of {name} documents no object"
        assert name in api, f"{name} missing from the API summary"


def test_every_public_function_and_class_links_to_its_source(site):
    for name in mlp_symmetry.__all__:
        if not callable(getattr(mlp_symmetry, name)) or hasattr(getattr(mlp_symmetry, name), "__origin__"):
            continue  # type aliases have no source of their own
        page = site / "api" / "generated" / f"mlp_symmetry.{name}.html"
        link = soup(page).select_one("a:has(> .viewcode-link)")
        assert link is not None, f"the API page of {name} has no [source] link"
        target = (page.parent / unquote(urlsplit(link["href"]).path)).resolve()
        assert target.is_file() and "_modules" in target.parts, f"[source] of {name} leads to {link['href']}"
        source = soup(target).get_text()
        assert re.search(rf"\b(def|class) {name}\b", source), f"{target} does not define {name}"


def test_references_page_lists_every_bibliography_entry(site):
    bib = (ROOT / "docs" / "references.bib").read_text()
    titles = re.findall(r"^\s*title\s*=\s*\{(.*)\},?\s*$", bib, flags=re.MULTILINE)
    assert len(titles) == len(re.findall(r"^@\w+\{", bib, flags=re.MULTILINE)) >= 15
    text = " ".join(soup(site / "references.html").get_text(" ").lower().split())
    missing = [t for t in titles if " ".join(t.replace("{", "").replace("}", "").lower().split()) not in text]
    assert not missing, f"bibliography entries missing from the references page: {missing}"


def test_example_pages_offer_script_notebook_and_archives(site):
    pages = example_pages(site)
    assert pages, "the gallery has no example pages"
    for page in pages:
        links = {Path(unquote(a["href"])).name for a in soup(page).select("a.download, a[download]")}
        stem = page.stem
        expected = {f"{stem}.py", f"{stem}.ipynb", "auto_examples_python.zip", "auto_examples_jupyter.zip"}
        assert expected <= links, f"{page.relative_to(site)} lacks downloads: {sorted(expected - links)}"


def executed_pages(site_root: Path) -> list[str]:
    """Names of the pages that run code when the site is built (MyST notebooks)."""
    docs = site_root / "docs"
    return sorted(
        path.relative_to(docs).with_suffix("").as_posix()
        for path in docs.rglob("*.md")
        if "_build" not in path.parts and "kernelspec:" in path.read_text()[:2000]
    )


def test_every_page_that_runs_code_offers_itself_as_a_notebook(site, site_root):
    import nbformat

    pages = executed_pages(site_root)
    assert len(pages) >= 20, pages
    with zipfile.ZipFile(next(site.glob("notebooks/mlp-symmetry-pages.zip"))) as archive:
        zipped = sorted(name.removeprefix("mlp-symmetry-pages/") for name in archive.namelist())
    assert zipped == sorted(f"{page}.ipynb" for page in pages)
    wheel = wheel_of(site).name
    for page in pages:
        html = soup(site / f"{page}.html")
        links = {urljoin(f"{page}.html", a["href"]) for a in html.select(".page-notebook-download a[download]")}
        assert links == {f"notebooks/{page}.ipynb", "notebooks/mlp-symmetry-pages.zip"}, (page, links)
        notebook = nbformat.read(site / "notebooks" / f"{page}.ipynb", as_version=4)
        nbformat.validate(notebook)
        assert f'pip install "{wheel}[examples]"' in notebook.cells[0].source, page
        markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
        # MyST roles and directives are turned into plain Markdown, pasted numbers into values.
        leftovers = re.findall(r"\{[\w:-]+\}`[^`]*`|^[`:]{3,}\{[\w-]+\}", markdown, re.M)
        assert not leftovers, (page, leftovers[:5])
        code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
        assert not re.search(r"^\s*(from|import) myst_nb", code, re.M), page


def test_the_site_serves_the_wheel_and_says_how_to_install_it(site):
    wheel = wheel_of(site)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "mlp_symmetry/__init__.py" in names and any(n.endswith("METADATA") for n in names), names
    install = soup(site / "install.html")
    assert install.select_one(f'a.download[href="wheels/{wheel.name}"]') is not None
    assert f'pip install "{wheel.name}[examples]"' in install.get_text()


def test_sitemap_404_page_and_link_previews(site, site_root):
    base = "http://127.0.0.1:8000/"  # the default base URL (MLP_SYMMETRY_BASE_URL is not set)
    sitemap = (site / "sitemap.xml").read_text()
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    unlisted = {"404.html", "genindex.html", "search.html", "py-modindex.html"}
    pages = {base + p.relative_to(site).as_posix() for p in html_pages(site)} - {base + u for u in unlisted}
    assert listed == pages, (sorted(pages - listed)[:5], sorted(listed - pages)[:5])
    # The 404 page is served for any missing address, so its links start at the site's root.
    missing = soup(site / "404.html")
    assert "Page not found" in missing.get_text()
    relative = [a["href"] for a in missing.select("a[href]") if not a["href"].startswith(("/", "#", "http"))]
    assert not relative, relative
    for path in html_pages(site):
        if path.name in unlisted:  # the 404 page and the generated index and search pages
            continue
        page = soup(path)
        meta = {m["property"]: m["content"] for m in page.select("meta[property^='og:']")}
        assert meta.get("og:url") == base + path.relative_to(site).as_posix(), (path, meta)
        assert meta.get("og:title") and meta.get("og:site_name") == "mlp-symmetry", (path, meta)


CHECK_LINE = re.compile(r"^\s*(assert\b|glue\()", re.M)


def test_checks_are_folded_away_and_still_run(site, site_root):
    """A reader sees the story and the code that teaches; the asserts and glue calls are one click away.

    On a page, they sit in folded cells (tag ``hide-input``) or removed ones; in
    an example, between ``sphinx_gallery_start_ignore`` and ``..._end_ignore``.
    They still run: the page's source has them, and the build executes it.
    """
    shown: list[str] = []
    n_checks = 0
    for page in executed_pages(site_root):
        source = (site_root / "docs" / f"{page}.md").read_text()
        n_checks += len(CHECK_LINE.findall(source))
        for cell in soup(site / f"{page}.html").select("div.cell"):
            if {"tag_hide-input", "tag_hide-cell"} & set(cell.get("class", [])):
                continue
            code = cell.select_one("div.cell_input")
            if code is not None and (line := CHECK_LINE.search(code.get_text())):
                shown.append(f"{page}: {line.group(0).strip()}")
    for path in example_pages(site):
        for block in soup(path).select("div.highlight-Python pre"):
            if line := CHECK_LINE.search(block.get_text()):
                shown.append(f"{path.relative_to(site)}: {line.group(0).strip()}")
    scripts = sorted((site_root / "gallery").rglob("plot_*.py"))
    assert sum(len(CHECK_LINE.findall(p.read_text())) for p in scripts) > 100, "the examples lost their checks"
    assert n_checks > 200, "the pages lost their checks"
    assert not shown, "checks shown to the reader:\n" + "\n".join(shown)


def test_example_pages_show_no_run_times(site):
    for page in example_pages(site):
        text = soup(page).get_text()
        assert "Total running time" not in text, f"{page.relative_to(site)} shows its run time"


# -- Internal links, checked on the files -----------------------------------------------------


def _targets(tag) -> list[str]:
    urls = [tag.get(attr) for attr in ("href", "src") if tag.get(attr)]
    for srcset in filter(None, [tag.get("srcset")]):
        urls += [part.strip().split()[0] for part in srcset.split(",") if part.strip()]
    return urls


def test_every_internal_link_and_anchor_resolves(site):
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            page = soup(path)
            ids[path] = {t["id"] for t in page.find_all(id=True)} | {
                t["name"] for t in page.find_all("a", attrs={"name": True})
            }
        return ids[path]

    broken = []
    for page in html_pages(site):
        for tag in soup(page).find_all(["a", "img", "link", "script", "source"]):
            for url in _targets(tag):
                parts = urlsplit(url)
                if parts.scheme or url.startswith("//") or url.startswith("mailto:"):
                    continue
                # Absolute paths (the 404 page's) start at the site's root, where the tests serve it.
                base = site if parts.path.startswith("/") else page.parent
                target = page if not parts.path else (base / unquote(parts.path).lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    broken.append(f"{page.relative_to(site)} -> {url}")
                elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in anchors(target):
                    broken.append(f"{page.relative_to(site)} -> {url} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(sorted(set(broken)))


# -- 2. In a browser -----------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """Serve the built site on 127.0.0.1, on a free port."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"the browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


WAIT_FOR_IMAGES = """async () => {
  const images = Array.from(document.images);
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map(image => image.complete ? null
    : new Promise(done => { image.addEventListener("load", done); image.addEventListener("error", done); })));
  return images.filter(image => !(image.naturalWidth > 0)).map(image => image.currentSrc || image.src);
}"""

# Code blocks wider than their box: a reader would have to scroll sideways.
CLIPPED_CODE = """() => Array.from(document.querySelectorAll("div.highlight pre"))
  .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
  .map(pre => pre.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), ""))"""

WAIT_FOR_MATH = """async () => {
  if (!window.MathJax || !window.MathJax.startup) return -1;
  await window.MathJax.startup.promise;
  return document.querySelectorAll("mjx-container").length;
}"""


def test_every_page_loads_cleanly_in_a_browser(site, server, browser):
    host = urlsplit(server).netloc
    problems: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    current = {"url": ""}
    page.on("console", lambda m: m.type == "error" and problems.append(f"{current['url']}: console error {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{current['url']}: page error {e}"))
    page.on("requestfailed", lambda r: problems.append(f"{current['url']}: request failed {r.url} {r.failure}"))
    page.on(
        "request",
        lambda r: (
            urlsplit(r.url).netloc not in {host, ""}
            and not r.url.startswith("data:")
            and problems.append(f"{current['url']}: request to another host {r.url}")
        ),
    )
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{current['url']}: HTTP {r.status} {r.url}"))
    pages = html_pages(site)
    n_math = 0
    for path in pages:
        rel = path.relative_to(site).as_posix()
        current["url"] = rel
        page.goto(urljoin(server, rel), wait_until="load")
        missing = page.evaluate(WAIT_FOR_IMAGES)
        problems += [f"{rel}: image not loaded {src}" for src in missing]
        clipped = page.evaluate(CLIPPED_CODE)
        problems += [f"{rel}: code line cut off at the right: {line!r}" for line in clipped]
        if soup(path).select(".math, span.math, div.math"):
            n_math += 1
            typeset = page.evaluate(WAIT_FOR_MATH)
            if typeset <= 0:
                problems.append(f"{rel}: math on the page but no MathJax output")
        page.wait_for_load_state("networkidle")
    context.close()
    assert len(pages) > 5 and n_math >= 1, (len(pages), n_math)
    assert not problems, "\n".join(problems)


def test_an_example_animation_plays_offline(site, server, browser):
    """The walk example's player: Play and the slider change the frame shown, and nothing comes from elsewhere."""
    host = urlsplit(server).netloc
    outside: list[str] = []
    page = browser.new_page()
    page.on(
        "request",
        lambda r: urlsplit(r.url).netloc not in {host, ""} and not r.url.startswith("data:") and outside.append(r.url),
    )
    page.goto(urljoin(server, "auto_examples/part2_symmetry/plot_09_walk_to_the_twin.html"), wait_until="load")
    player = page.locator(".sphx-glr-animation .animation")
    assert player.count() == 1, "one jshtml player on the page"
    image = player.locator("img").element_handle()
    slider = player.locator("input.anim-slider")
    n_frames = int(slider.evaluate("s => s.max")) + 1
    first = image.evaluate("img => img.src")
    assert n_frames > 10 and first.startswith("data:image/png;base64,"), (n_frames, first[:40])
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the first frame is drawn"

    # Play: the frame shown changes and the slider follows it; Pause stops it.
    player.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("([img, first]) => img.src !== first", arg=[image, first], timeout=10_000)
    page.wait_for_function("s => Number(s.value) >= 3", arg=slider.element_handle(), timeout=10_000)
    player.get_by_role("button", name="Pause", exact=True).click()
    paused = slider.evaluate("s => s.value")
    page.wait_for_timeout(600)  # four intervals of the player
    assert slider.evaluate("s => s.value") == paused, "Pause stops the player"

    # The slider: the last frame differs from the first, and frame 0 is the first again.
    slider.fill(str(n_frames - 1))
    last = image.evaluate("img => img.src")
    assert last.startswith("data:image/png;base64,") and last != first
    slider.fill("0")
    assert image.evaluate("img => img.src") == first

    page.wait_for_load_state("networkidle")
    page.close()
    assert not outside, f"requests that leave the site: {outside}"


def test_search_finds_permutation(server, browser):
    page = browser.new_page()
    page.goto(urljoin(server, "search.html?q=permutation"), wait_until="load")
    page.wait_for_selector("#search-results li", timeout=30_000)
    assert page.locator("#search-results li").count() >= 1
    page.close()


# -- 3. Downloads -----------------------------------------------------------------------------------


def _run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    )
    return result


NOTEBOOK_RUNNER = """
import sys, nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
    print("ran", path)
"""


def wheel_of(site: Path) -> Path:
    """The package's wheel, as the site serves it."""
    (wheel,) = site.glob("wheels/mlp_symmetry-*-py3-none-any.whl")
    return wheel


def test_downloads_from_the_site_run_in_a_fresh_environment(site, tmp_path):
    """Download what a reader can take home, install the site's wheel in a new venv, run everything."""
    archives = {p.name: p for p in site.glob("_downloads/*/auto_examples_*.zip")}
    assert set(archives) == {"auto_examples_python.zip", "auto_examples_jupyter.zip"}, sorted(archives)
    scripts_dir, notebooks_dir = tmp_path / "scripts", tmp_path / "notebooks"
    zipfile.ZipFile(archives["auto_examples_python.zip"]).extractall(scripts_dir)
    zipfile.ZipFile(archives["auto_examples_jupyter.zip"]).extractall(notebooks_dir)
    zipfile.ZipFile(site / "notebooks" / "mlp-symmetry-pages.zip").extractall(notebooks_dir)
    scripts, notebooks = sorted(scripts_dir.rglob("*.py")), sorted(notebooks_dir.rglob("*.ipynb"))
    pages = [path for path in notebooks if "mlp-symmetry-pages" in path.parts]
    assert scripts and len(scripts) == len(notebooks) - len(pages) and len(pages) >= 20, (scripts, notebooks)

    # The first cell of every notebook says how to install the wheel the site serves.
    import nbformat

    wheel = tmp_path / wheel_of(site).name
    shutil.copy2(wheel_of(site), wheel)
    extras = set()
    for path in notebooks:
        first = nbformat.read(path, as_version=4).cells[0].source
        match = re.search(rf'pip install "{re.escape(wheel.name)}\[([\w,]+)\]"', first)
        assert match, f"{path.name}: the first cell does not say what to install:\n{first}"
        extras.add(match.group(1))
    assert extras == {"examples"}, extras

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], timeout=300)
    python = venv / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "-c", str(ROOT / "constraints.txt")]
    _run(install + [f"{wheel}[{extras.pop()}]", "nbclient", "ipykernel"], timeout=1800)

    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["MPLBACKEND"] = "Agg"
    work = tmp_path / "work"
    work.mkdir()
    for script in scripts:
        _run([str(python), str(script)], cwd=work, env=env, timeout=900)
    env.pop("MPLBACKEND")
    _run([str(python), "-c", NOTEBOOK_RUNNER, *map(str, notebooks)], cwd=work, env=env, timeout=3600)


# -- 4. Reproducibility ---------------------------------------------------------------------------


# Wall-clock durations that pages report on purpose ("trained in 4.1 s") are the
# one part of the text allowed to differ between builds.
DURATION = re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|seconds|sec)\b")


def page_text(path: Path) -> str:
    """Visible text of a page, with wall-clock durations masked."""
    page = soup(path)
    for tag in page(["script", "style"]):
        tag.decompose()
    return DURATION.sub("<duration>", re.sub(r"\s+", " ", page.get_text(" ")))


def test_two_clean_builds_are_identical(site, tmp_path):
    other = strict_build(tmp_path)
    pngs = sorted(p.relative_to(site) for p in site.rglob("*.png") if "_static" not in p.parts)
    assert pngs, "no figures in the build"
    assert pngs == sorted(p.relative_to(other) for p in other.rglob("*.png") if "_static" not in p.parts)
    differing = [str(p) for p in pngs if (site / p).read_bytes() != (other / p).read_bytes()]
    assert not differing, f"figures differ between two clean builds: {differing}"
    pages = [p.relative_to(site) for p in html_pages(site)]
    assert pages == [p.relative_to(other) for p in html_pages(other)]
    changed = [str(p) for p in pages if page_text(site / p) != page_text(other / p)]
    assert not changed, f"page text differs between two clean builds: {changed}"
