extensions = ["myst_nb", "cjbook.sphinxext.quoted_numbers", "cjbook.sphinxext.downloads"]
nb_execution_mode = "force"
cjbook_reference_numbers = "reference.json"
exclude_patterns = ["_build"]
