"""`clinkg` commands, run in-process through `cli.main`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("command", ["load", "serve", "query", "questions", "export", "rules"])
def test_every_command_has_help(runner: Runner, command: str) -> None:
    with pytest.raises(SystemExit) as exited:
        runner(command, "--help")
    assert exited.value.code == 0


def test_questions_lists_the_catalogue(runner: Runner) -> None:
    code, out, _ = runner("questions")
    assert code == 0
    assert "conditions-by-feature  (site=body-site, trigger=trigger)" in out


def test_query_a_question_as_json(runner: Runner, disk_store: Path) -> None:
    code, out, _ = runner(
        "query",
        "--store",
        str(disk_store),
        "--question",
        "inducing-medications",
        "--param",
        "condition=leg cramps",
        "--format",
        "json",
    )
    assert code == 0
    assert [a["label"] for a in json.loads(out)["answers"]] == ["Naproxen"]


def test_query_a_question_as_a_table(runner: Runner, disk_store: Path) -> None:
    code, out, _ = runner(
        "query",
        "--store",
        str(disk_store),
        "--question",
        "risk-factors",
        "--param",
        "condition=DVT",
    )
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["label", "iri"]
    assert "Superficial vein thrombosis" in out


def test_query_a_file_as_csv(runner: Runner, disk_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/clinkg/ontology#Condition> }"
    )
    code, out, _ = runner("query", str(rq), "--store", str(disk_store), "--format", "csv")
    assert (code, out.split()) == (0, ["n", "6"])


def test_a_question_id_given_as_a_file_names_the_option_to_use(
    runner: Runner, disk_store: Path
) -> None:
    code, _, err = runner("query", "treatments", "--store", str(disk_store))
    assert code == 1
    assert "cannot read the query file treatments" in err
    assert "--question treatments" in err
    assert "Traceback" not in err


def test_a_bad_value_exits_1_with_the_message(runner: Runner, disk_store: Path) -> None:
    code, _, err = runner(
        "query", "--store", str(disk_store), "--question", "treatments", "--param", "condition=gout"
    )
    assert code == 1
    assert "unknown value 'gout'" in err


def test_export_writes_the_graph(runner: Runner, disk_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.nt"
    code, _, _ = runner("export", "--store", str(disk_store), "--format", "nt", "-o", str(target))
    assert code == 0
    assert '"sural region"' in target.read_text()


def test_the_store_option_beats_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from clinkg.config import DEFAULT_STORE, store_path

    monkeypatch.setenv("CLINKG_STORE", str(tmp_path / "env"))
    assert store_path("given") == Path("given")
    assert store_path(None) == tmp_path / "env"
    assert store_path(None, environ={}) == DEFAULT_STORE


@pytest.mark.slow
def test_load_reports_counts_warnings_and_reasoning(runner: Runner, tmp_path: Path) -> None:
    article = Path(__file__).resolve().parents[1] / "data" / "articles" / "calf-muscle-spasms.txt"
    store = str(tmp_path / "store")
    code, out, err = runner("load", "--store", store, str(article))
    assert code == 0, err
    assert "calf-muscle-spasms.txt" in out and "marker 4 matches none" in out
    assert "Reasoning" in out and "Reasoning: off" not in out
    code, out, err = runner("load", "--no-reasoning", "--store", store, str(article))
    assert code == 0 and "Reasoning: off" in out, err


def test_a_bad_article_exits_1_naming_the_file(runner: Runner, tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    code, _, err = runner("load", "--store", str(tmp_path / "store"), str(bad))
    assert code == 1 and "empty.txt" in err and "empty" in err
