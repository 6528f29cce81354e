extensions = ["sphinx_exercise", "cjbook.sphinxext.numbering"]
numfig = True
latex_documents = [("index", "book.tex", "Book", "Authors", "manual")]
