extensions = ["cjbook.sphinxext.assets", "cjbook.sphinxext.page_fixes"]
html_theme = "sphinx_book_theme"  # the job trims the theme's icon fonts and scripts
