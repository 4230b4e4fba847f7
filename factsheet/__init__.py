"""factsheet: a static, citation-heavy briefing site generator.

The pipeline runs one way, one module per stage:

    loader → validate → resolve → render → write      (pipeline.py runs them in order)

Shared by the stages, importing none of them:
    errors.py      locations, diagnostics, "did you mean"
    vocabulary.py  every closed list of words (statuses, kinds, qualifiers) with meanings
    schema.py      every record's fields, declared once (drives validate, docs and schemas/)
    dates.py       EDTF dates; numbers.py  numbers in words and their limits
    quotes.py      finding a quote in its document, explaining a near miss
    model.py       the plain data classes

docs.py generates the field tables of docs/content-format.md and schemas/*.json from schema.py.
A lower stage never imports a higher one.
"""
