"""Notebook downloads: each notebook page offers a runnable ``.ipynb`` that reads like the page.

The page's MyST source is converted with jupytext and then made readable in plain Jupyter, which
knows none of the book's MyST roles and directives:

- a first cell says what the notebook needs (a clone of the book's repository with ``make setup``,
  or the package installed from it), and its first code cell imports the book's package with an
  error saying so, instead of a bare ``ImportError``;
- every number the page quotes with a ``{glue:...}`` role is written in, as the build computed it;
- every ``{glue:figure}`` becomes a code cell that shows the figure (:func:`cjtrade.notebook.show`),
  with the build's drawing as its output, followed by the figure's number and caption;
- cross-references, glossary terms and citations read as on the page ("Figure 5.1", "Exercise 5.2",
  the section's title, "Lu (2024)"); exercises and solutions are numbered (solutions are left
  out of the student edition, as on its pages); the learning objectives keep their title.

The code cells run top to bottom as in the build; only their ``glue`` import is the package's,
which also keeps each glued figure for the figure's cell. What the page hides (the bookkeeping
cells that glue values and check the prose's claims, code shown on request) is folded in Jupyter.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import nbformat
from myst_nb.core.variables import format_plain_text
from pybtex.database import parse_file
from sphinx.application import Sphinx

GLUE_IMPORT = re.compile(r"^from myst_nb import glue$", re.M)
PACKAGE_IMPORT = "from cjtrade.notebook import glue, show"
REQUIREMENTS = """\
This notebook is a chapter of *{title}*. Run it top to bottom to compute every number and chart
of the chapter's page.

It needs the book's Python package `cjtrade` and its data package, so run it inside a clone of
the book's repository{repository}, with the Python environment `make setup` creates there:

```bash
make setup                                       # in the clone: .venv with the pinned packages
.venv/bin/pip install jupyterlab && .venv/bin/jupyter lab    # or pick .venv's Python as kernel
```

(or install the package and its pinned requirements from the clone, with
`pip install -r requirements.txt -e .`, into the environment your Jupyter uses). The chapter's
page is in {folder} of the clone.
"""
IMPORT_CHECK = f"""\
try:
    {PACKAGE_IMPORT}
except ImportError as error:
    raise ImportError(
        "This notebook needs the book's package cjtrade: run it in a clone of the book's "
        "repository after `make setup` (or `pip install -r requirements.txt -e .` there)."
    ) from error"""

ROLE = re.compile(r"\{(?P<role>[a-z]+(?::[a-z]*)?)\}`(?P<text>[^`]*)`")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
FENCE = re.compile(
    r"^(?P<fence>```+|:::+)\{(?P<name>[\w:-]+)\}[ \t]*(?P<argument>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.M | re.S,
)
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>[^\n]*)\n?", re.M)
TARGET = re.compile(r"^\([\w:.-]+\)=[ \t]*\n", re.M)
SOLUTION_START = re.compile(r"^```\{solution-start\}.*?^```[ \t]*$\n?", re.M | re.S)
SOLUTION_END = re.compile(r"^```\{solution-end\}[ \t]*\n```[ \t]*$\n?", re.M)


def is_notebook(source: Path) -> bool:
    """True if *source* is a MyST notebook: a Markdown file whose front matter names a kernel."""
    return source.suffix == ".md" and "kernelspec" in source.read_text(encoding="utf-8")[:500]


class Page:
    """What a page's notebook needs from the build: glued values, numbers, titles, citations."""

    def __init__(self, app: Sphinx, pagename: str) -> None:
        self.app, self.env, self.pagename = app, app.env, pagename
        output_folder = Path(app.env.mystnb_config.output_folder)
        glue_file = output_folder.joinpath(*pagename.split("/")).with_suffix(".glue.json")
        self.glued = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.exists() else {}
        self.labels = self.env.domaindata["std"]["labels"]

    def glued_text(self, name: str, fmt: str = "") -> str:
        """The glued value *name* as the page prints it (with the format *fmt*, if given)."""
        if name not in self.glued:
            raise KeyError(f"{self.pagename}: nothing glued under {name!r} in the build")
        return format_plain_text(self.glued[name]["data"]["text/plain"], fmt)

    def number(self, label: str) -> str:
        """The numbered object *label* as the page names it: "Figure 5.1", "Exercise 5.2"."""
        docname, target, _ = self.labels.get(label, (self.pagename, label, ""))
        for figtype, numbers in self.env.toc_fignumbers.get(docname, {}).items():
            if target in numbers:
                words = self.app.config.numfig_format.get(figtype, f"{figtype.title()} %s")
                return words % ".".join(map(str, numbers[target]))
        raise KeyError(f"{self.pagename}: {label!r} has no number in the build")

    def title(self, target: str) -> str:
        """The title of the section labelled *target*, or of the page *target* names."""
        if target in self.labels:
            return self.labels[target][2]
        docname = self.env.relfn2path(target, self.pagename)[0]
        return self.env.titles[docname].astext()

    def citation(self, keys: str, textual: bool) -> str:
        """Author–year citations of *keys*: "(Lu 2024; Yotov 2016)", or "Lu (2024)"."""
        entries = _bibliography(self.app)
        cited = []
        for key in (k.strip() for k in keys.split(",")):
            entry = entries[key]
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in people]
            if not names:
                names = [entry.fields.get("organization", entry.fields.get("title", key))]
            author = names[0] if len(names) == 1 else " and ".join(names[:2])
            author = f"{names[0]} et al." if len(names) > 2 else author
            year = entry.fields.get("year", "n.d.")
            cited.append(f"{author} ({year})" if textual else f"{author} {year}")
        return "; ".join(cited) if textual else f"({'; '.join(cited)})"

    def role(self, match: re.Match) -> str:
        """The text the page shows for one MyST role."""
        role, text = match["role"], match["text"]
        explicit = EXPLICIT.match(text)
        shown, target = (explicit["text"], explicit["target"]) if explicit else (None, text)
        if role == "glue:text":
            name, _, fmt = text.rpartition(":") if ":" in text else (text, "", "")
            return self.glued_text(name, fmt)
        if role in ("glue", "glue:", "glue:any"):
            return self.glued_text(text)
        if role == "numref":
            number = self.number(target)
            return shown.replace("{number}", number.split(" ", 1)[-1]) if shown else number
        if role in ("ref", "doc"):
            return shown or self.title(target)
        if role == "term":
            return shown or text
        if role in ("cite:p", "cite:t"):
            return self.citation(text, textual=role == "cite:t")
        return match[0]


_BIBLIOGRAPHIES: dict[tuple, dict] = {}


def _bibliography(app: Sphinx) -> dict:
    files = tuple(Path(app.srcdir, name) for name in getattr(app.config, "bibtex_bibfiles", []))
    if files not in _BIBLIOGRAPHIES:
        entries: dict = {}
        for path in files:
            entries.update(parse_file(str(path)).entries)
        _BIBLIOGRAPHIES[files] = entries
    return _BIBLIOGRAPHIES[files]


def repository_url(app: Sphinx) -> str:
    """The book's repository, if ``_config.yml`` records one (``repository: url:``)."""
    return (app.config.html_theme_options or {}).get("repository_url", "")


def _markdown(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def figure_cells(page: Page, name: str, options: dict, caption: str) -> list:
    """The code cell that shows a glued figure (with the build's drawing), and its caption."""
    cell = nbformat.v4.new_code_cell(f'show("{name}")')
    data = page.glued.get(name, {}).get("data", {})
    drawing = {mime: data[mime] for mime in ("image/png", "text/plain") if mime in data}
    if drawing:
        cell.outputs = [
            nbformat.v4.new_output("execute_result", data=drawing, execution_count=None)
        ]
    label = options.get("name", name)
    return [cell, _markdown(f"**{page.number(label)}.** {caption.strip()}")]


def directive(page: Page, match: re.Match) -> list:
    """The cells (markdown text, or a figure's cells) for one MyST directive."""
    name, argument, body = match["name"], match["argument"].strip(), match["body"]
    options = {m["key"]: m["value"].strip() for m in OPTION.finditer(body.split("\n\n", 1)[0])}
    content = OPTION.sub("", body, count=len(options)).strip("\n")
    if name == "glue:figure":
        return figure_cells(page, argument, options, content)
    if name == "exercise-start":
        return [f"**{page.number(options['label'])}**"]
    if name == "solution-start":
        return [f"**Solution to {page.number(argument)}**"]
    if name == "admonition":
        return [f"**{argument}**\n\n{content}"]
    if name in ("exercise-end", "solution-end", "index"):
        return []
    return [match[0]]


def markdown_cells(page: Page, text: str) -> list:
    """The notebook cells for one markdown cell of the page's source."""
    text = TARGET.sub("", text)
    parts, position = [], 0
    for match in FENCE.finditer(text):
        parts += [text[position : match.start()], *directive(page, match)]
        position = match.end()
    parts.append(text[position:])
    cells, words = [], []
    for part in [*parts, None]:  # None: the end, where the last words become a cell
        if isinstance(part, str):
            words.append(ROLE.sub(page.role, part).strip("\n"))
            continue
        if any(w.strip() for w in words):
            cells.append(_markdown("\n\n".join(w for w in words if w.strip())))
        cells += [part] if part is not None else []
        words = []
    return cells


def folded_as_on_the_page(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """*cell*, with what the page hides (bookkeeping cells, code shown on request) folded in
    Jupyter: the code is there and runs, out of the way."""
    tags = set(cell.metadata.get("tags", []))
    folded = cell.metadata.setdefault("jupyter", {})
    if tags & {"remove-cell", "remove-input", "hide-input", "hide-cell"}:
        folded["source_hidden"] = True
    if tags & {"remove-cell", "remove-output", "hide-output", "hide-cell"}:
        folded["outputs_hidden"] = True
    if not folded:
        del cell.metadata["jupyter"]
    return cell


def without_solutions(text: str, in_solution: bool) -> tuple[str, bool]:
    """*text* without the parts inside a solution, and whether it ends inside one (a solution
    spans cells: its start, its code cells, its end)."""
    kept = []
    while text:
        marker = SOLUTION_END if in_solution else SOLUTION_START
        found = marker.search(text)
        if not in_solution:
            kept.append(text[: found.start()] if found else text)
        if not found:
            break
        text, in_solution = text[found.end() :], not in_solution
    return "".join(kept), in_solution


def reader_notebook(app: Sphinx, pagename: str, source: Path) -> nbformat.NotebookNode:
    """The page's notebook as a reader downloads it (see the module's docstring)."""
    page = Page(app, pagename)
    notebook = jupytext.read(source)
    hide_solutions = bool(getattr(app.config, "cjbook_hide_solutions", False))
    folder = Path(pagename).parent.as_posix()
    cells = [
        _markdown(
            REQUIREMENTS.format(
                title=app.config.html_title,
                folder=f"`{folder}/`",
                repository=f" ({url})" if (url := repository_url(app)) else "",
            )
        ),
        nbformat.v4.new_code_cell(IMPORT_CHECK),
    ]
    in_solution = False
    for cell in notebook.cells:
        if cell.cell_type == "code":
            if not in_solution:
                cell.source = GLUE_IMPORT.sub(PACKAGE_IMPORT, cell.source)
                cells.append(folded_as_on_the_page(cell))
        elif hide_solutions:
            text, in_solution = without_solutions(cell.source, in_solution)
            cells += markdown_cells(page, text)
        else:
            cells += markdown_cells(page, cell.source)
    notebook.cells = cells
    return notebook


def offer_notebook_download(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Write the page's notebook for readers and list it in the download menu."""
    source = Path(app.env.doc2path(pagename))
    if not is_notebook(source):
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(reader_notebook(app, pagename, source), target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict:
    # Before sphinx-book-theme builds its header buttons (priority 500), which link ipynb_source.
    app.connect("html-page-context", offer_notebook_download, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
