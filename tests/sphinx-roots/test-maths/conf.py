extensions = ["cjbook.sphinxext.maths"]
