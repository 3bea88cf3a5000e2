"""Repository files a contributor relies on: README commands, CI, workflows, forms, hooks."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)[1]
    return [line.split("#")[0].strip() for line in block.strip().splitlines()]


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def run_steps(data: dict) -> list[str]:
    return [step["run"] for job in data["jobs"].values() for step in job.get("steps", []) if "run" in step]


def test_readme_quick_start_is_exactly_serve_and_test():
    assert readme_commands() == ["make serve", "make test"]


def test_ci_script_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert "make test" in script.splitlines()


@pytest.mark.parametrize("name, command, trigger", [("ci.yml", "make test", "pull_request"), ("deploy.yml", "make build", "push")])
def test_workflows_parse_and_use_the_readme_commands(name, command, trigger):
    data = workflow(name)
    assert trigger in data[True]  # YAML 1.1 reads the key `on` as True
    assert command in run_steps(data)


def test_deploy_restores_and_saves_the_notebook_cache_and_publishes_pages():
    steps = [step for job in workflow("deploy.yml")["jobs"].values() for step in job["steps"]]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/notebooks" and "notebooks/**" in cache["with"]["key"]
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in steps)


@pytest.mark.parametrize("form, required", [
    ("propose-question.yml", {"questions"}),
    ("wrong-answer.yml", {"page", "question-id", "wrong", "source"}),
])
def test_issue_forms_ask_for_what_a_maintainer_needs(form, required):
    body = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / form).read_text())["body"]
    assert {field["id"] for field in body if field.get("validations", {}).get("required")} == required


def test_pull_request_template_has_the_review_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text()
    assert text.count("- [ ]") >= 8 and "make test" in text


def test_pre_commit_runs_the_content_checks():
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert any(hook["entry"].endswith("/qa check") for hook in hooks)


def test_licences_are_stated_in_readme_and_site_footer():
    assert "CC BY 4.0" in (ROOT / "README.md").read_text() and "MIT" in (ROOT / "README.md").read_text()
    config = (ROOT / "mkdocs.yml").read_text()
    assert "CC BY 4.0" in config and "MIT" in config
