"""Target parsing: Hub ids, revisions and local folders."""

import pytest

from auditor.errors import InputError
from auditor.target import parse_target


def test_hub_id_with_revision():
    t = parse_target("org/name@v1.0")
    assert (t.kind, t.id, t.revision) == ("hub", "org/name", "v1.0")


def test_revision_option_and_legacy_id():
    t = parse_target("gpt2", revision="main")
    assert (t.kind, t.id, t.revision) == ("hub", "gpt2", "main")


def test_local_folder(tmp_path):
    t = parse_target(str(tmp_path))
    assert t.kind == "local" and t.path == tmp_path


@pytest.mark.parametrize("bad", ["", "   ", "a/b/c", "../x", "org/na me", " org/name", "org/name@", "org/-x",
                                 "org--x/name", "org/name@../../etc"])
def test_bad_ids_are_input_errors(bad):
    with pytest.raises(InputError):
        parse_target(bad)


def test_missing_path_and_file_instead_of_folder(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        parse_target(str(tmp_path / "missing"))
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="is a file"):
        parse_target(str(f))


def test_conflicting_revisions():
    with pytest.raises(InputError, match="revision given twice"):
        parse_target("org/name@a", revision="b")
