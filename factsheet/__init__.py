"""factsheet: a static, citation-heavy briefing site generator.

The pipeline runs one way, one module per stage:

    loader → validate → resolve → render → write      (pipeline.py runs them in order)

errors.py, dates.py and model.py are shared by every stage and import none of them;
citations.py is the Markdown extension render uses (resolve uses its scanner).
A lower stage never imports a higher one.
"""
