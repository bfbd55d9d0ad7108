"""Every junk string the sandbox sites inject (tests/sandbox/junk.py, written apart from these stages) is removed."""

import pytest

from cleaning.pipeline import run
from corpus.document import Document
from corpus.document.model import Provenance

junk = pytest.importorskip("tests.sandbox.junk")
BODY = "现在，我代表县人民政府向大会报告工作，请予审议，并请各位政协委员和其他列席人员提出意见。"


@pytest.mark.parametrize("line", junk.JUNK)
def test_sandbox_junk_line_is_removed_and_the_report_kept(line):
    for text in (f"各位代表：\n{line}\n{BODY}", f"{BODY}\n{line}"):
        (doc,), _ = run([Document(id="x", text=text, provenance=Provenance(site="s", url="u"))])
        assert BODY in doc.text
        assert line not in doc.text and line.replace(":", "：") not in doc.text
        assert doc.removals, "the removal is recorded"
