"""What a reader can take home from the site, and the files a site is expected to have.

* ``wheels/<wheel>``: the package built from this checkout, so that a
  downloaded script or notebook can be run in a fresh environment
  (``pip install "<wheel>[examples]"``); rebuilt only when the package changed.
* ``notebooks/<page>.ipynb``: every executed narrative page as a Jupyter
  notebook, with a first cell that says what to install, and
  ``notebooks/mlp-symmetry-pages.zip`` with all of them. The MyST syntax that
  Jupyter does not know is turned into plain Markdown: numbers pasted with
  ``{glue:text}`` become the values of this build, cross-references become links
  to the site.
* ``sitemap.xml`` listing every page, from ``html_baseurl``.

Configuration (``conf.py``): ``html_baseurl``, the address the site is served
from, and ``takeaway_install_text``, the install instructions (with ``{wheel}``
and ``{wheel_url}`` fields) written at the top of every notebook.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

NOTEBOOKS = "notebooks"
WHEELS = "wheels"
ZIP_NAME = "mlp-symmetry-pages.zip"
# A fixed date for the files inside the wheel and the zip, so that builds of the
# same sources give the same bytes.
EPOCH = "1735689600"  # 2025-01-01
ZIP_DATE = (2025, 1, 1, 0, 0, 0)

GLUE_SHIM = (
    "def glue(name, value, display=True):\n"
    '    """Show a value the site pastes into its text (myst_nb.glue when the site is built)."""\n'
    "    if display:\n"
    "        from IPython.display import display as show\n"
    "\n"
    "        show(value)"
)


def wheel_name(version: str) -> str:
    """File name of the package's wheel (pure Python, any platform)."""
    return f"mlp_symmetry-{version}-py3-none-any.whl"


def wheel_url(base_url: str, version: str) -> str:
    """Address of the wheel on the site served from ``base_url``."""
    return urljoin(base_url, f"{WHEELS}/{wheel_name(version)}")


def _executed(app, docname: str, suffix: str = ".ipynb") -> Path:
    """Where myst-nb leaves a page's notebook (``.ipynb``) and its pasted values (``.glue.json``)."""
    return Path(app.outdir).parent / "jupyter_execute" / f"{docname}{suffix}"


# -- The wheel ------------------------------------------------------------------------


def _wheel_inputs(root: Path) -> list[Path]:
    files = [root / "pyproject.toml", root / "README.md", root / "LICENSE"]
    return files + sorted((root / "mlp_symmetry").rglob("*.py"))


def build_wheel(root: Path, dest: Path, version: str, stamp: Path) -> Path:
    """Build the wheel of the package in ``root`` into ``dest``, unless the one there is current.

    ``stamp`` (outside the site) records the hash of the sources it was built from.

    The build runs in a temporary copy of the sources (setuptools writes its
    ``build/`` and ``*.egg-info`` folders next to them), offline, with the
    setuptools of this environment.
    """
    digest = hashlib.sha256()
    for path in _wheel_inputs(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    wheel = dest / wheel_name(version)
    if wheel.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return wheel
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        for path in _wheel_inputs(root):
            target = copy / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        out = Path(tmp) / "dist"
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PIP_NO_INDEX="1")
        subprocess.run([*command, "--wheel-dir", str(out), str(copy)], check=True, env=env, capture_output=True)
        (built,) = out.glob("*.whl")
        if built.name != wheel.name:
            raise RuntimeError(f"expected the wheel {wheel.name}, pip built {built.name}")
        dest.mkdir(parents=True, exist_ok=True)
        for old in dest.glob("*.whl"):
            old.unlink()
        shutil.copy2(built, wheel)
    stamp.write_text(digest.hexdigest())
    return wheel


# -- Narrative pages as notebooks ---------------------------------------------------------

ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
FENCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<args>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
ADMONITIONS = {"note", "tip", "important", "warning", "caution", "attention", "hint", "seealso", "admonition"}


def _format_glue(data: dict, fmt: str) -> str:
    text = data.get("text/plain", "")
    if fmt in ("", "s"):
        return text.strip("'\"")
    try:
        return format(float(text) if not text.lstrip("-").isdigit() else int(text), fmt)
    except ValueError:
        return format(text.strip("'\""), fmt)


class PageConverter:
    """Turn one page's MyST Markdown into Markdown that Jupyter renders."""

    def __init__(self, app, docname: str, glue: dict[str, dict]):
        self.app, self.docname, self.glue = app, docname, glue

    def page_url(self, target: str) -> str:
        """Address on the site of the page ``target`` (a {doc} target)."""
        docname = self.resolve(target)
        return urljoin(self.app.config.html_baseurl, self.app.builder.get_target_uri(docname))

    def resolve(self, target: str) -> str:
        """Document name of a {doc} target, relative to this page or to the root ("/...")."""
        target = target.removesuffix(".md")
        if target.startswith("/"):
            return target.lstrip("/")
        return os.path.normpath(os.path.join(os.path.dirname(self.docname), target)).replace(os.sep, "/")

    def glue_text(self, content: str) -> str:
        """Value of a pasted number, ``[doc::]key[:format]``, formatted as the site shows it."""
        key, _, fmt = content.rpartition(":") if ":" in content.split("::")[-1] else (content, "", "")
        doc, _, key = key.rpartition("::")
        glue = self.glue if not doc else _read_glue(self.app, self.resolve(doc))
        if key not in glue:
            return f"`{key}`"
        return _format_glue(glue[key]["data"], fmt)

    def role(self, match: re.Match) -> str:
        """Markdown for one MyST role."""
        name, content = match.group(1), match.group(2)
        label, target = content, content
        explicit = re.fullmatch(r"(.*?)\s*<([^>]+)>", content, re.S)
        if explicit:
            label, target = explicit.groups()
        if name.startswith("glue"):
            return self.glue_text(content)
        if name == "doc":
            docname = self.resolve(target)
            if not explicit:
                title = self.app.env.titles.get(docname)
                label = title.astext() if title is not None else target
            return f"[{label}]({self.page_url(target)})"
        if name in ("math",):
            return f"${content}$"
        if name.startswith("cite"):
            keys = ", ".join(k.strip() for k in content.split(","))
            return f"[{keys}]({self.page_url('/references')})"
        if name in ("func", "class", "meth", "mod", "data", "attr", "obj", "py:func", "py:class"):
            shown = label if explicit else target.lstrip("~").rsplit(".", 1)[-1] if target.startswith("~") else target
            return f"`{shown}`"
        return label

    def fence(self, match: re.Match) -> str:
        """Markdown for one MyST directive."""
        name, args, body = match.group("name"), match.group("args").strip(), match.group("body")
        lines = body.splitlines()
        if lines and lines[0].strip() == "---":
            end = lines.index("---", 1) if "---" in lines[1:] else 0
            lines = lines[end + 1 :]
        options = dict(
            re.match(r"^:([\w-]+):\s*(.*)$", line).groups() for line in lines if re.match(r"^:[\w-]+:", line)
        )
        lines = [line for line in lines if not re.match(r"^:[\w-]+:", line)]
        text = "\n".join(lines).strip()
        if name == "literalinclude":
            return f"```{options.get('language', '')}\n{self.included(args, options).rstrip()}\n```"
        if name in ("toctree", "eval-rst", "bibliography", "contents"):
            return ""
        if name == "math":
            return f"$$\n{text}\n$$"
        if name in ADMONITIONS:
            title = args or name.capitalize()
            return "\n".join(f"> {line}".rstrip() for line in [f"**{title}.**", "", *text.splitlines()])
        if name in ("figure", "image") or name.startswith("glue"):
            caption = f"{text}\n" if text else ""
            return f"{caption}(Figure on the site: {self.page_url(self.docname)})"
        return text

    def included(self, path: str, options: dict[str, str]) -> str:
        """Return the text a ``literalinclude`` shows, read as Sphinx reads it."""
        from sphinx.directives.code import LiteralIncludeReader

        options = {key: value.strip('"') for key, value in options.items()}
        if "dedent" in options:
            options["dedent"] = int(options["dedent"])
        source = (Path(self.app.srcdir) / Path(self.docname).parent / path).resolve()
        text, _ = LiteralIncludeReader(str(source), options, self.app.config).read()
        return text

    def markdown(self, source: str) -> str:
        """Markdown cell ``source`` with targets, comments, directives and roles converted."""
        source = re.sub(r"^\([\w:-]+\)=[ \t]*\n", "", source, flags=re.M)  # targets
        source = re.sub(r"^%[^\n]*\n?", "", source, flags=re.M)  # comments
        source = FENCE.sub(self.fence, source)
        return ROLE.sub(self.role, source)


def _read_glue(app, docname: str) -> dict[str, dict]:
    path = _executed(app, docname, ".glue.json")
    return json.loads(path.read_text()) if path.exists() else {}


def install_text(template: str, base_url: str, version: str) -> str:
    """Return the first cell of every downloaded notebook: ``template`` with the wheel's name and address."""
    return template.format(wheel=wheel_name(version), wheel_url=wheel_url(base_url, version))


def page_notebook(app, docname: str) -> dict:
    """Return the notebook of one executed page, ready to download."""
    notebook = json.loads(_executed(app, docname).read_text())
    converter = PageConverter(app, docname, _read_glue(app, docname))
    config = app.config
    install = install_text(config.takeaway_install_text, config.html_baseurl, config.release)
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": install}]
    for index, cell in enumerate(notebook["cells"]):
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        metadata = {k: v for k, v in cell.get("metadata", {}).items() if k == "tags"}
        if cell["cell_type"] == "markdown":
            text = converter.markdown(text).strip()
            if text:
                cells.append({"cell_type": "markdown", "id": f"md{index}", "metadata": metadata, "source": text})
            continue
        text = re.sub(r"\n*^from myst_nb import glue$\n*", f"\n\n\n{GLUE_SHIM}\n\n\n", text, flags=re.M).strip("\n")
        code = {"cell_type": "code", "id": f"code{index}", "execution_count": None}
        cells.append({**code, "metadata": metadata, "outputs": [], "source": text})
    cells[0]["id"] = "install"
    metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    metadata["language_info"] = {"name": "python"}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def executed_pages(app) -> list[str]:
    """Names of the pages that are executed notebooks."""
    return sorted(d for d in app.env.found_docs if _executed(app, d).exists())


def notebook_link(app, pagename, templatename, context, doctree) -> None:
    """Tell the page template where its notebook is (sidebar: "Take this page home")."""
    if pagename in app.env.found_docs and _executed(app, pagename).exists():
        context["page_notebook"] = context["pathto"](f"{NOTEBOOKS}/{pagename}.ipynb", 1)
        context["page_notebooks_zip"] = context["pathto"](f"{NOTEBOOKS}/{ZIP_NAME}", 1)


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def write_sitemap(app) -> None:
    """Write ``sitemap.xml``: every page of the site, at ``html_baseurl``."""
    base = app.config.html_baseurl
    urls = [urljoin(base, app.builder.get_target_uri(docname)) for docname in sorted(app.env.found_docs)]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in urls]
    lines += ["</urlset>", ""]
    _write_if_changed(Path(app.outdir) / "sitemap.xml", "\n".join(lines).encode())


def write_takeaways(app, exception) -> None:
    """Write the wheel, the page notebooks and their archive, and the sitemap (build-finished)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    root = Path(app.confdir).parent
    build_wheel(root, outdir / WHEELS, app.config.release, Path(app.doctreedir) / "wheel.sha256")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for docname in executed_pages(app):
            data = (json.dumps(page_notebook(app, docname), indent=1, ensure_ascii=False) + "\n").encode()
            _write_if_changed(outdir / NOTEBOOKS / f"{docname}.ipynb", data)
            zf.writestr(zipfile.ZipInfo(f"mlp-symmetry-pages/{docname}.ipynb", ZIP_DATE), data)
    _write_if_changed(outdir / NOTEBOOKS / ZIP_NAME, archive.getvalue())
    write_sitemap(app)


class WheelDirective(SphinxDirective):
    """``{wheel-download}``: a link to the wheel on this site and the command that installs it."""

    def run(self):
        """Return the paragraph with the link and the block with the commands."""
        config = self.env.config
        name = wheel_name(config.release)
        depth = self.env.docname.count("/")
        link = nodes.reference("", "", nodes.literal(text=name), refuri="../" * depth + f"{WHEELS}/{name}")
        link["classes"].append("download")
        paragraph = nodes.paragraph("", "", nodes.Text("Download the wheel: "), link, nodes.Text("."))
        commands = f'pip install "{name}[examples]"        # the downloaded file\n'
        commands += f'pip install "mlp-symmetry[examples] @ {wheel_url(config.html_baseurl, config.release)}"'
        commands += "   # or straight from this site"
        block = nodes.literal_block(commands, commands, language="bash")
        return [paragraph, block]


def setup(app):
    """Register the configuration values, the directive and the hooks."""
    app.add_directive("wheel-download", WheelDirective)
    app.add_config_value("takeaway_install_text", "# pip install {wheel}", "html", types=[str])
    app.connect("html-page-context", notebook_link)
    app.connect("build-finished", write_takeaways)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
