"""The build notices data and code changes that the execution cache cannot see; editions differ
from the default configuration only where they should."""

import os

from cjbook import editions, live
from cjbook.sphinxext import freshness


def test_inputs_digest_changes_when_a_data_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(freshness, "ROOT", tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("x\n1\n")
    before = freshness.inputs_digest((data,))
    assert freshness.inputs_digest((data,)) == before
    (data / "a.csv").write_text("x\n2\n")
    assert freshness.inputs_digest((data,)) != before


def test_inputs_digest_changes_when_a_file_is_added(tmp_path, monkeypatch):
    monkeypatch.setattr(freshness, "ROOT", tmp_path)
    (tmp_path / "a.csv").write_text("x\n1\n")
    before = freshness.inputs_digest((tmp_path,))
    (tmp_path / "b.csv").write_text("")
    assert freshness.inputs_digest((tmp_path,)) != before


def test_inputs_digest_follows_single_files_too(tmp_path, monkeypatch):
    monkeypatch.setattr(freshness, "ROOT", tmp_path)
    reference = tmp_path / "expected_numbers.json"
    reference.write_text("[]")
    before = freshness.inputs_digest((reference,))
    reference.write_text('[{"page": "p", "name": "n", "value": "1"}]')
    assert freshness.inputs_digest((reference,)) != before


def test_forced_config_executes_everything_and_keeps_strictness():
    config = editions.derived_config(force=True)
    assert config["execute"]["execute_notebooks"] == "force"
    assert config["execute"]["allow_errors"] is False
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True


def test_student_config_hides_solutions_only():
    student, default = editions.derived_config(student=True), editions.derived_config()
    assert student["sphinx"]["config"]["cjbook_hide_solutions"] is True
    assert "cjbook_hide_solutions" not in default["sphinx"]["config"]
    assert student["execute"] == default["execute"] | {"cache": str(editions.SHARED_CACHE)}


def test_live_config_points_thebe_at_the_local_server_only_in_the_live_edition():
    live_config, default = editions.derived_config(live_token="t0ken"), editions.derived_config()
    assert live_config["sphinx"]["config"]["cjbook_live_server"] == {
        "url": live.SERVER_URL,
        "token": "t0ken",
    }
    assert live.SERVER_URL.startswith("http://127.0.0.1:")
    assert "cjbook_live_server" not in default["sphinx"]["config"]
    assert live_config["execute"]["cache"] == str(editions.SHARED_CACHE)  # executes nothing anew


def test_live_token_is_random_and_kept_with_the_build(tmp_path):
    first = live.token(tmp_path / "a")
    assert len(first) >= 32 and live.token(tmp_path / "a") == first
    assert live.token(tmp_path / "b") != first


class FakeApp:
    """The few attributes of a Sphinx application that the cache guard reads."""

    def __init__(self, build_dir, cache=""):
        self.outdir = str(build_dir / "html")
        self.config = type("Config", (), {"nb_execution_cache_path": str(cache)})()
        self._warncount = 0

    def build(self, error: Exception | None = None) -> None:
        """What the guard sees of a build: its start and how it ended."""
        freshness.drop_stale_cache(self)
        freshness.record_digests(self, error)


class FakeEnv:
    found_docs = frozenset({"a", "b", "c"})


def test_changed_inputs_drop_the_execution_cache_and_reread_every_page(tmp_path, monkeypatch):
    monkeypatch.setattr(freshness, "inputs_digest", lambda *_: "digest-1")
    app = FakeApp(tmp_path)
    cache = tmp_path / ".jupyter_cache"
    cache.mkdir()
    (cache / "global.db").write_text("stale outputs")

    app.build()
    assert not cache.exists()
    assert freshness.outdated_when_inputs_changed(app, FakeEnv(), {"a"}, set(), set()) == [
        "b",
        "c",
    ]

    cache.mkdir()  # the next build executes and fills the cache again
    app.build()  # same inputs: the cache is kept, nothing is forced
    assert cache.exists()
    assert freshness.outdated_when_inputs_changed(app, FakeEnv(), set(), set(), set()) == []

    monkeypatch.setattr(freshness, "inputs_digest", lambda *_: "digest-2")  # a data file changed
    app.build()
    assert not cache.exists()


def test_a_build_that_fails_leaves_every_page_to_be_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(freshness, "inputs_digest", lambda *_: "digest-1")
    app = FakeApp(tmp_path)
    app.build()
    monkeypatch.setattr(freshness, "inputs_digest", lambda *_: "digest-2")  # a data file changed
    app.build(error=RuntimeError("a broken bibliography"))  # stopped before reading the pages
    app._warncount = 1  # finished with a warning (an error with -W): not a success either
    app.build()
    app._warncount = 0
    app.build()  # still every page: neither build before it succeeded
    assert freshness.outdated_when_inputs_changed(app, FakeEnv(), set(), set(), set()) == [
        "a",
        "b",
        "c",
    ]
    app.build()
    assert freshness.outdated_when_inputs_changed(app, FakeEnv(), set(), set(), set()) == []


def test_a_changed_table_of_contents_is_noticed_until_a_build_succeeds(tmp_path, monkeypatch):
    monkeypatch.setattr(freshness, "ROOT", tmp_path)
    monkeypatch.setattr(freshness, "STRUCTURE", (tmp_path / "_toc.yml",))
    monkeypatch.setattr(
        freshness,
        "inputs_digest",
        lambda inputs: inputs[0].read_text() if inputs == freshness.STRUCTURE else "inputs",
    )
    (tmp_path / "_toc.yml").write_text("root: intro\n")
    app = FakeApp(tmp_path)
    app.build()
    assert app.cjtrade_structure_changed
    app.build()
    assert not app.cjtrade_structure_changed
    (tmp_path / "_toc.yml").write_text("root: intro\nparts: []\n")
    app.build(error=RuntimeError("stopped"))
    assert app.cjtrade_structure_changed
    app.build()
    assert app.cjtrade_structure_changed


def test_an_edition_sharing_the_cache_keeps_it_and_rereads_its_own_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(freshness, "inputs_digest", lambda *_: "digest-1")
    shared = tmp_path / ".jupyter_cache"
    book = FakeApp(tmp_path)
    book.build()  # the HTML book fills the cache and records its inputs
    shared.mkdir()
    student = FakeApp(tmp_path / "student" / "_build", cache=shared)
    (tmp_path / "student" / "_build").mkdir(parents=True)
    student.build()
    assert shared.exists()  # same inputs: the edition reuses the book's outputs

    monkeypatch.setattr(freshness, "inputs_digest", lambda *_: "digest-2")  # a data file changed
    book.build()  # the book drops the cache and executes anew
    shared.mkdir()
    freshness.drop_stale_cache(student)
    assert shared.exists()  # already refilled for these inputs: kept
    assert freshness.outdated_when_inputs_changed(student, FakeEnv(), set(), set(), set()) == [
        "a",
        "b",
        "c",
    ]  # but the edition's own pages, built from the old outputs, are read again


def test_kernels_get_a_fixed_hash_seed_and_one_numba_thread(monkeypatch):
    from cjbook.sphinxext import determinism

    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    monkeypatch.setenv("NUMBA_NUM_THREADS", "2")  # a reader's own setting is kept
    determinism.fixed_kernel_environment(None, None)
    assert os.environ["PYTHONHASHSEED"] == "0"
    assert os.environ["NUMBA_NUM_THREADS"] == "2"
