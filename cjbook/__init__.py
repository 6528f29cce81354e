"""The build of the book *China–Japan Cultural Trade*: what turns chapters into a site and a PDF."""
