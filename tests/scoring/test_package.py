"""The publication package (SPEC section 5, "A publication anyone can re-check") of the
sample city: built at publication, served byte for byte, and `verify.py`, run in a
subprocess without site-packages, agrees with it, and catches a changed count."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kindness.roles import Role
from scoring.models import RankingRun, RunPackage
from tests.scoring.test_sample_city import DATA, IMPORTS, command

FILES = ["rules.json", "departments.csv", "inputs.csv", "city.csv", "README.txt", "verify.py"]


@pytest.fixture
def sample_city(db, make_user):
    for name, file in IMPORTS:
        command(name, str(DATA / file))
    command("create_period", "2025-H1")
    command("compute_rankings", "2025-H1", "--sync")
    return make_user(Role.MANAGER, username="evaluator")


def unzip(content: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == FILES
        archive.extractall(folder)
    return folder


def verify(folder: Path) -> subprocess.CompletedProcess:
    # -I -S: isolated, without site-packages, so only the standard library is there.
    return subprocess.run(
        [sys.executable, "-I", "-S", "verify.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_published_package_verifies_and_a_changed_count_fails(sample_city, client, tmp_path):
    assert client.get("/rankings/2025-H1/package.zip").status_code == 404  # nothing published

    out = command("publish_rankings", "2025-H1", "--run", "1", "--by", "evaluator")
    assert "2025-H1" in out
    run = RankingRun.objects.get(number=1)
    assert run.status == RankingRun.Status.PUBLISHED
    assert run.published_by.username == "evaluator"

    response = client.get("/rankings/2025-H1/package.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.content == bytes(RunPackage.objects.get(run=run).content)
    assert client.get("/rankings/2025-H1/runs/1/package.zip").content == response.content

    folder = unzip(response.content, tmp_path / "package")
    for name in FILES:
        assert (folder / name).read_bytes().startswith("\ufeff".encode()), name
    departments = run.departments.count()
    result = verify(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{departments} of {departments} departments match"

    # No personal data: department rows only, the same as the public download plus flags.
    with open(folder / "departments.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["level"] for row in rows} == {"department"}
    assert len(rows) == departments
    assert {row["v_flag"] for row in rows} <= {"above", "below", "within", ""}
    assert "S0" not in (folder / "inputs.csv").read_text(encoding="utf-8-sig")

    # One count changed in inputs.csv: that department no longer matches.
    inputs = (folder / "inputs.csv").read_text(encoding="utf-8-sig").splitlines()
    line_no, line = next((i, line) for i, line in enumerate(inputs) if ",t," in line)
    code, component, score, count = line.split(",")
    inputs[line_no] = ",".join([code, component, score, str(int(count) + 1)])
    (folder / "inputs.csv").write_text("\ufeff" + "\n".join(inputs) + "\n", encoding="utf-8")
    result = verify(folder)
    assert result.returncode == 1
    assert any(out.startswith(f"{code}: ") for out in result.stdout.splitlines())
    assert "Traceback" not in result.stderr


def test_a_missing_or_garbled_file_gives_a_message_and_exit_2(sample_city, client, tmp_path):
    command("publish_rankings", "2025-H1", "--run", "1", "--by", "evaluator")
    content = client.get("/rankings/2025-H1/package.zip").content

    missing = unzip(content, tmp_path / "missing")
    (missing / "city.csv").unlink()
    result = verify(missing)
    assert result.returncode == 2
    assert "city.csv" in result.stdout and "Traceback" not in result.stderr

    garbled = unzip(content, tmp_path / "garbled")
    (garbled / "inputs.csv").write_text("code,component,score,count\nX,v,one half,2\n")
    result = verify(garbled)
    assert result.returncode == 2
    assert "inputs.csv, line 2" in result.stdout and "Traceback" not in result.stderr

    broken = unzip(content, tmp_path / "broken")
    (broken / "rules.json").write_bytes(b"\xff\xfe{")
    result = verify(broken)
    assert result.returncode == 2 and "rules.json" in result.stdout


def test_every_publication_keeps_its_own_package_served_byte_for_byte(sample_city, client):
    command("publish_rankings", "2025-H1", "--run", "1", "--by", "evaluator")
    first = client.get("/rankings/2025-H1/package.zip").content
    command("compute_rankings", "2025-H1", "--sync")
    assert client.get("/rankings/2025-H1/runs/2/package.zip").status_code == 404  # unpublished
    command("publish_rankings", "2025-H1", "--run", "2", "--by", "evaluator")

    second = client.get("/rankings/2025-H1/package.zip").content
    assert second != first  # its own rules.json names run 2
    assert client.get("/rankings/2025-H1/runs/1/package.zip").content == first
    assert client.get("/rankings/2025-H1/runs/2/package.zip").content == second
    assert client.get("/rankings/2025-H1/runs/1/package.zip").content == first
    assert client.get("/rankings/2025-H1/runs/9/package.zip").status_code == 404
    assert client.get("/rankings/2099-H1/package.zip").status_code == 404


@translation.override("en")
def test_publish_rankings_refuses_what_the_review_page_refuses(sample_city, make_user):
    make_user(Role.AUDITOR, username="inspector")
    with pytest.raises(CommandError, match="inspector"):
        call_command("publish_rankings", "2025-H1", "--run", "1", "--by", "inspector")
    with pytest.raises(CommandError, match="nobody"):
        call_command("publish_rankings", "2025-H1", "--run", "1", "--by", "nobody")
    with pytest.raises(CommandError, match="#7"):
        call_command("publish_rankings", "2025-H1", "--run", "7", "--by", "evaluator")
    call_command(
        "publish_rankings", "2025-H1", "--run", "1", "--by", "evaluator", stdout=io.StringIO()
    )
    with pytest.raises(CommandError, match="published already"):
        call_command("publish_rankings", "2025-H1", "--run", "1", "--by", "evaluator")
    assert RankingRun.objects.get(number=1).status == RankingRun.Status.PUBLISHED
    assert RunPackage.objects.count() == 1
