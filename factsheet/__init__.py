"""factsheet: a static, citation-heavy briefing site generator.

The pipeline runs one way, one module per stage:

    loader → validate → resolve → render → write      (pipeline.py runs them in order)
    (loader reads with contentfiles, parses with rawrecords and yamlfile)

Shared by the stages, importing none of them:
    errors.py      locations, diagnostics, "did you mean"
    vocabulary.py  every closed list of words (statuses, kinds, qualifiers) with meanings
    schema.py      every record's fields, declared once (drives validate, docs and schemas/)
    dates.py       EDTF dates (datewords.py says them in words)
    numbers.py     numbers in words and their limits; units.py checks conversions (pint)
    documents.py   an archived text's paragraphs, headings, pages and running heads
    quotes.py      finding a quote in its document (folds, ellipses, locators), near misses
    citations.py   the `[@id]` syntax; prose.py parses a page's Markdown once (HTML, notes,
                   citations with their places) for validate, resolve and render alike
    provenance.py  attribution chains per citation and independent claimants
    archive.py     a document as its source page shows it, quotes marked
    model.py       the plain data classes

docs.py generates the field tables of docs/content-format.md and schemas/*.json from schema.py.
A lower stage never imports a higher one.
"""

__version__ = "0.1.0"  # the one place the version is given (pyproject.toml reads it)
