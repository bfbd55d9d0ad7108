"""The one document type every step hands to the next, and reading and writing it (io.py)."""

from corpus.document.model import Document, Removal, make_id

__all__ = ["Document", "Removal", "make_id"]
