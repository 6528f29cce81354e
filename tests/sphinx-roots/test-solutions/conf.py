extensions = ["sphinx_exercise", "cjbook.sphinxext.solutions"]
