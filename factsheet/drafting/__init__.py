"""Drafting: fact entries proposed from an archived document (`factsheet draft`).

A tool beside the pipeline, not a stage of it: it reads a briefing through the pipeline's lower
stages (loader, validate, documents, quotes) and writes proposals for an editor to review. The
pipeline never imports this package.

  sentences.py  the document cut into sentences, placed as the quote check places them
  propose.py    a sentence → a proposed fact (claim, quote, locator, entities, dates, figures)
  command.py    `draft DOCUMENT --source ID`: load, skip what is already quoted, write the files
"""
