extensions = ["cjbook.sphinxext.assets"]
