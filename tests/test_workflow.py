"""The GitHub Pages workflow: the README's build command, official Pages actions pinned to commits, least privilege."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def readme_build_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```sh\n(.+?)\n```", readme)
    assert match, "README.md starts with the build command in a sh block"
    return match.group(1)


def test_builds_with_the_readme_command_for_the_pages_address(workflow: dict[Any, Any]) -> None:
    runs = [step["run"] for step in steps(workflow) if "run" in step]
    command = readme_build_command()
    assert [run for run in runs if run.startswith(command + " ")] == [f'{command} --base-url "$BASE_URL"']
    build = next(step for step in steps(workflow) if "run" in step)
    assert build["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}  # never ${{ }} inside the script
    upload = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"


def test_deploys_with_the_official_pages_actions_pinned_to_commits(workflow: dict[Any, Any]) -> None:
    uses = [step["uses"] for step in steps(workflow) if "uses" in step]
    assert {u.split("@")[0] for u in uses} >= {"actions/upload-pages-artifact", "actions/deploy-pages", "actions/configure-pages"}
    assert all(PINNED.match(u) for u in uses), uses
    text = WORKFLOW.read_text(encoding="utf-8")
    for use in uses:  # the tag each pin was taken from, for whoever updates it
        assert re.search(re.escape(use) + r" # v\d+\.\d+\.\d+$", text, re.MULTILINE), use
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_asks_for_the_least_permissions(workflow: dict[Any, Any]) -> None:
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true


def test_zizmor_finds_nothing() -> None:
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert zizmor, "zizmor is missing: install the test extras (pip install -e '.[test]')"
    result = subprocess.run([zizmor, "--offline", "--pedantic", "--no-progress", str(WORKFLOW)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
