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
    steps = [step for job in workflow("deploy.yml")["jobs"].values() for step in job.get("steps", [])]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/notebooks" and "notebooks/**" in cache["with"]["key"]
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in steps)


def test_deploy_runs_the_pull_request_checks_before_it_builds():
    assert "workflow_call" in workflow("ci.yml")[True]
    jobs = workflow("deploy.yml")["jobs"]
    callers = [name for name, job in jobs.items() if job.get("uses") == "./.github/workflows/ci.yml"]
    assert callers and jobs["build"]["needs"] in (callers[0], [callers[0]])


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


WRITE_SCOPES = {"pages", "id-token", "contents", "actions", "packages", "pull-requests", "issues", "deployments", "statuses", "checks"}


def writes(permissions) -> set[str]:
    """The scopes a `permissions:` block grants write access to ("write-all" grants all)."""
    if permissions == "write-all":
        return WRITE_SCOPES
    return {scope for scope, level in (permissions or {}).items() if level == "write"}


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_jobs_that_run_repository_code_hold_a_read_only_token_and_no_stored_credentials(name):
    data = workflow(name)
    assert writes(data["permissions"]) == set(), "a workflow-wide token must be read-only; grant writes per job"
    for job_name, job in data["jobs"].items():
        steps = job.get("steps", [])
        runs_code = any("run" in step for step in steps) or "uses" in job  # a called workflow runs code too
        if runs_code:
            assert writes(job.get("permissions")) == set() and "permissions" in job, f"{name}: job {job_name}"
        for step in steps:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, f"{name}: job {job_name} keeps git credentials"


def test_only_the_deploy_job_publishes_and_it_runs_no_repository_code():
    jobs = workflow("deploy.yml")["jobs"]
    publishers = {name for name, job in jobs.items() if writes(job.get("permissions"))}
    assert publishers == {"deploy"}
    assert writes(jobs["deploy"]["permissions"]) == {"pages", "id-token"}
    assert [step["uses"].split("@")[0] for step in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    uploads = [step for step in jobs["build"]["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert uploads and jobs["deploy"]["needs"] in ("build", ["build"])
