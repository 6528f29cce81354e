"""The build notices data and code changes that the execution cache cannot see."""

from types import SimpleNamespace

from cjtrade import sphinxext


def test_inputs_digest_changes_when_a_data_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(sphinxext, "ROOT", tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("x\n1\n")
    before = sphinxext.inputs_digest((data,))
    assert sphinxext.inputs_digest((data,)) == before
    (data / "a.csv").write_text("x\n2\n")
    assert sphinxext.inputs_digest((data,)) != before


def test_inputs_digest_changes_when_a_file_is_added(tmp_path, monkeypatch):
    monkeypatch.setattr(sphinxext, "ROOT", tmp_path)
    (tmp_path / "a.csv").write_text("x\n1\n")
    before = sphinxext.inputs_digest((tmp_path,))
    (tmp_path / "b.csv").write_text("")
    assert sphinxext.inputs_digest((tmp_path,)) != before


def test_inputs_digest_follows_single_files_too(tmp_path, monkeypatch):
    monkeypatch.setattr(sphinxext, "ROOT", tmp_path)
    reference = tmp_path / "expected_numbers.json"
    reference.write_text("[]")
    before = sphinxext.inputs_digest((reference,))
    reference.write_text('[{"page": "p", "name": "n", "value": "1"}]')
    assert sphinxext.inputs_digest((reference,)) != before


def load_derived_config_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "derived_config", sphinxext.ROOT / "scripts" / "derived_config.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_forced_config_executes_everything_and_keeps_strictness():
    config = load_derived_config_script().derived_config(force=True)
    assert config["execute"]["execute_notebooks"] == "force"
    assert config["execute"]["allow_errors"] is False
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True


def test_student_config_hides_solutions_only():
    module = load_derived_config_script()
    student, default = module.derived_config(student=True), module.derived_config()
    assert student["sphinx"]["config"]["cjtrade_hide_solutions"] is True
    assert "cjtrade_hide_solutions" not in default["sphinx"]["config"]
    assert student["execute"] == default["execute"]


def test_live_config_points_thebe_at_the_local_server_only_in_the_live_edition():
    from cjtrade import live

    module = load_derived_config_script()
    live_config, default = module.derived_config(live_token="t0ken"), module.derived_config()
    assert live_config["sphinx"]["config"]["cjtrade_live_server"] == {
        "url": live.SERVER_URL,
        "token": "t0ken",
    }
    assert live.SERVER_URL.startswith("http://127.0.0.1:")
    assert "cjtrade_live_server" not in default["sphinx"]["config"]


def test_live_token_is_random_and_kept_with_the_build(tmp_path):
    from cjtrade import live

    first = live.token(tmp_path / "a")
    assert len(first) >= 32 and live.token(tmp_path / "a") == first
    assert live.token(tmp_path / "b") != first


class FakeApp:
    """The few attributes of a Sphinx application that the cache guard reads."""

    def __init__(self, build_dir):
        self.outdir = str(build_dir / "html")
        self.config = type("Config", (), {"nb_execution_cache_path": ""})()


class FakeEnv:
    found_docs = {"a", "b", "c"}


def test_changed_inputs_drop_the_execution_cache_and_reread_every_page(tmp_path, monkeypatch):
    monkeypatch.setattr(sphinxext, "inputs_digest", lambda *_: "digest-1")
    app = FakeApp(tmp_path)
    cache = tmp_path / ".jupyter_cache"
    cache.mkdir()
    (cache / "global.db").write_text("stale outputs")

    sphinxext._drop_stale_cache(app)
    assert not cache.exists()
    assert sphinxext._outdated_when_inputs_changed(app, FakeEnv(), {"a"}, set(), set()) == [
        "b",
        "c",
    ]

    cache.mkdir()  # the next build executes and fills the cache again
    sphinxext._drop_stale_cache(app)  # same inputs: the cache is kept, nothing is forced
    assert cache.exists()
    assert sphinxext._outdated_when_inputs_changed(app, FakeEnv(), set(), set(), set()) == []

    monkeypatch.setattr(sphinxext, "inputs_digest", lambda *_: "digest-2")  # a data file changed
    sphinxext._drop_stale_cache(app)
    assert not cache.exists()


def test_a_changed_table_of_contents_is_noticed_once(tmp_path, monkeypatch):
    monkeypatch.setattr(sphinxext, "ROOT", tmp_path)
    toc = tmp_path / "_toc.yml"
    toc.write_text("root: intro\n")
    app = SimpleNamespace(outdir=str(tmp_path / "_build" / "html"))
    (tmp_path / "_build").mkdir()
    assert sphinxext._changed_since_last_build(app, (toc,), "stamp")
    assert not sphinxext._changed_since_last_build(app, (toc,), "stamp")
    toc.write_text("root: intro\nparts: []\n")
    assert sphinxext._changed_since_last_build(app, (toc,), "stamp")
