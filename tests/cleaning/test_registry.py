"""STAGES is the one list of stages: every module in cleaning/stages/ is in it, named after its module."""

from pathlib import Path

import cleaning.stages as stages_pkg
from cleaning.stages import STAGES

MODULES = {p.stem for p in Path(stages_pkg.__file__).parent.glob("*.py")} - {"__init__", "base"}


def test_every_stage_module_is_in_stages():
    assert {s.__module__.rsplit(".", 1)[1] for s in STAGES} == MODULES


def test_stage_name_equals_module_and_class_name():
    for s in STAGES:
        module = s.__module__.rsplit(".", 1)[1]
        assert s.name == module == s.__name__.lower()


def test_every_stage_has_a_one_line_summary_and_a_test_file():
    here = Path(__file__).parent
    for s in STAGES:
        assert (s.__doc__ or "").strip(), s.name
        assert (here / f"test_{s.name}.py").exists(), f"tests/cleaning/test_{s.name}.py is missing"
