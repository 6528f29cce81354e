extensions = ["cjbook.sphinxext.figure_index"]
numfig = True
