"""Cleaning: scraped text (or a page) in, the report's text out, with every removal recorded."""


class DataFileError(ValueError):
    """A data file cleaning reads when it is imported (cleaning/vocabulary.yaml) is malformed: the message is one
    line naming the file and the entry, which the CLI prints instead of a traceback."""
