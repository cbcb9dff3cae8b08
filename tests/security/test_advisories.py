"""Dependency floors stay above the published advisories listed in security/advisories.yaml."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
ADVISORIES = yaml.safe_load((ROOT / "security" / "advisories.yaml").read_text(encoding="utf-8"))["packages"]


def floors() -> dict[str, Version]:
    """The highest fixed release per package."""
    return {name: max(Version(a["fixed"]) for a in entries) for name, entries in ADVISORIES.items()}


def pyproject_floors() -> dict[str, Version]:
    """The `>=` floor of every runtime dependency in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        for spec in requirement.specifier:
            if spec.operator == ">=":
                out[requirement.name.lower()] = Version(spec.version)
    return out


def test_every_advisory_names_an_id_and_a_fixed_release() -> None:
    assert {"pypdf", "starlette", "python-multipart", "lxml", "gradio"} <= set(ADVISORIES)
    for name, entries in ADVISORIES.items():
        for advisory in entries:
            assert re.fullmatch(
                r"(GHSA(-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+|CVE-\d{4}-\d+)", advisory["id"]
            ), name
            assert Version(advisory["fixed"]) and advisory["what"], name


def test_installed_versions_are_above_every_advisory() -> None:
    below = {
        name: (version(name), str(floor))
        for name, floor in floors().items()
        if Version(version(name)) < floor
    }
    assert below == {}


def test_pyproject_floors_agree_with_the_advisories() -> None:
    declared = pyproject_floors()
    for name, floor in floors().items():
        if name in declared:  # direct dependencies; the rest arrive through them
            assert declared[name] >= floor, f"pyproject.toml: {name}>={declared[name]} is below {floor}"
    assert {"pypdf", "starlette", "python-multipart", "lxml", "gradio"} <= set(declared)
