"""Reading pages: one decoder, one HTML-to-paragraphs path, and the generic main-content extractor.

Shared by the crawler (with a site rule's selectors) and the cleaning html stage (with or without them).
"""
