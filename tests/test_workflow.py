"""The GitHub workflows: the flagship's Pages build (the README's build command, strict), the project's tests (the
README's test command), and the two a new site gets from `explainer new` (check, then build and publish); every
action pinned to a commit, least privilege, and zizmor finds nothing in any of them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, run_cli

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
IMAGE = re.compile(r"^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site written by `explainer new`, for its workflows."""
    root = tmp_path_factory.mktemp("starter")
    assert run_cli(root, "new", "site", "-q").code == 0
    return root / "site"


def load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def all_workflows(starter: Path) -> list[Path]:
    return [*sorted(WORKFLOWS.glob("*.yml")), *sorted((starter / ".github" / "workflows").glob("*.yml"))]


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def readme_commands() -> list[str]:
    """The two commands the README starts with: build the flagship, run the tests."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)[:2]


def test_the_flagship_builds_with_the_readme_command_strict_for_the_pages_address() -> None:
    workflow = load(WORKFLOWS / "pages.yml")
    runs = [step["run"] for step in steps(workflow) if "run" in step]
    command = readme_commands()[0]
    assert [run for run in runs if run.startswith(command + " ")] == [f'{command} --strict --base-url "$BASE_URL"']
    build = next(step for step in steps(workflow) if "run" in step)
    assert build["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}  # never ${{ }} inside the script
    upload = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"


def test_the_tests_run_with_the_readme_command_on_pushes_and_pull_requests() -> None:
    workflow = load(WORKFLOWS / "test.yml")
    assert {"push", "pull_request"} <= set(workflow[True])  # YAML 1.1 reads the key `on` as true
    assert [step["run"] for step in steps(workflow) if "run" in step] == [readme_commands()[1]]
    job = workflow["jobs"]["test"]
    assert job["permissions"] == {"contents": "read"}
    assert IMAGE.match(job["container"]["image"]) and "python:3.11" in job["container"]["image"]
    assert job["env"] == {"EXPLAINER_ARTICLES": "none"}  # the articles are not public: quotes go through the lock


def test_a_new_site_publishes_itself_after_a_strict_check(starter: Path) -> None:
    workflow = load(starter / ".github" / "workflows" / "pages.yml")
    runs = [step["run"] for step in steps(workflow) if "run" in step]
    assert runs == ["python -m pip install --disable-pip-version-check -r requirements.txt", "explainer check --strict",
                    'explainer build --strict --base-url "$BASE_URL"']
    build = next(step for step in steps(workflow) if step.get("run", "").startswith("explainer build"))
    assert build["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}
    checks = load(starter / ".github" / "workflows" / "check.yml")
    assert set(checks[True]) == {"pull_request", "workflow_dispatch"}
    assert [step["run"] for step in steps(checks) if "run" in step] == runs[:2]
    assert checks["jobs"]["check"]["permissions"] == {"contents": "read"}


def test_a_new_site_installs_a_pinned_explainer(starter: Path) -> None:
    lines = [line for line in (starter / "requirements.txt").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(lines) == 1
    assert re.fullmatch(r"explainer==\d+\.\d+\.\d+|explainer @ git\+https://\S+@(v\d+\.\d+\.\d+|[0-9a-f]{40})", lines[0]), lines


def test_pages_workflows_deploy_with_the_official_actions_and_least_privilege(starter: Path) -> None:
    for path in (WORKFLOWS / "pages.yml", starter / ".github" / "workflows" / "pages.yml"):
        workflow = load(path)
        uses = {step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step}
        assert uses >= {"actions/upload-pages-artifact", "actions/deploy-pages", "actions/configure-pages"}, path
        assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"
        assert workflow["jobs"]["deploy"]["needs"] == "build"
        assert workflow["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
        assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
        assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
        assert workflow[True]["push"]["branches"] == ["main"]


def test_every_action_is_pinned_to_a_commit_and_credentials_are_not_kept(starter: Path) -> None:
    pins: dict[str, str] = {}
    for path in all_workflows(starter):
        workflow = load(path)
        assert workflow["permissions"] == {}, path
        text = path.read_text(encoding="utf-8")
        for step in steps(workflow):
            if "uses" not in step:
                continue
            use = step["uses"]
            assert PINNED.match(use), (path, use)
            assert re.search(re.escape(use) + r" # v\d+\.\d+\.\d+$", text, re.MULTILINE), (path, use)  # the tag, for whoever updates it
            action, commit = use.split("@")
            assert pins.setdefault(action, commit) == commit, f"{action} is pinned to two commits"
            if action == "actions/checkout":
                assert step["with"]["persist-credentials"] is False, path


def test_zizmor_finds_nothing(starter: Path) -> None:
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert zizmor, "zizmor is missing: install the test extras (pip install -e '.[test]')"
    paths = [str(path) for path in all_workflows(starter)]
    assert len(paths) == 4
    result = subprocess.run([zizmor, "--offline", "--pedantic", "--no-progress", *paths], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
