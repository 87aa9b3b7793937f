"""PDF front end: the only package that imports pdfplumber. PDF pages -> lines -> blocks and tables."""
