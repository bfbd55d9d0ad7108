"""The sandbox: four template sites (essay portal, document sharing, study notes, blog) on 127.0.0.1.

`baogao sandbox` (or `python -m tests.sandbox`) serves them; tests use `Sandbox` from tests.sandbox.server.
The sample documents live in data/ (split by hand from tests/data/seeds), listed in data/catalog.json.
"""
