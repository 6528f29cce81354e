extensions = [
    "myst_nb",
    "sphinx_exercise",
    "cjbook.sphinxext.quoted_numbers",
    "cjbook.sphinxext.downloads",
    "cjbook.sphinxext.solutions",
]
nb_execution_mode = "force"
numfig = True
myst_enable_extensions = ["colon_fence"]
cjbook_reference_numbers = "reference.json"
exclude_patterns = ["_build"]
numfig_format = {"figure": "Figure %s"}
html_title = "A test book"
