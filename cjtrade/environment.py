"""What the book's build tells the code it runs, through the environment.

A module of its own, with nothing to import, so that the build can name the setting without
loading pandas and Altair (about 1.5 s at the start of every build).
"""

BUILD_FLAG = "CJTRADE_BOOK_BUILD"
"""Set by the book's build for the kernels it starts: charts draw with the offline renderer."""
