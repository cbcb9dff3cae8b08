"""Quality floors: minimum values per metric, checked by `itas eval --check` (never by the test suite).

`floors.yaml` nests like the results: `gold` → mode → `overall` | `by_category` → category → metric, and
`germanquad` → mode → metric. A floor whose mode, category or metric was not measured in a run (e.g. a
run with `--modes hybrid`) is not checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

FLOORS_FILE = Path(__file__).with_name("floors.yaml")


def load_floors(path: Path = FLOORS_FILE) -> dict[str, Any]:
    """Read the floors file (an empty file means no floors)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data


def _below(scope: str, measured: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    out = []
    for metric, floor in (floors or {}).items():
        value = measured.get(metric)
        if value is not None and float(value) < float(floor):
            out.append(f"{scope} {metric} = {float(value):.3f} < floor {float(floor):.3f}")
    return out


def check_floors(results: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """Return one line per metric below its floor (empty list: all floors met).

    Args:
        results: {"gold": {mode: {"overall": {...}, "by_category": {...}}}, "germanquad": {mode: {...}}};
            either part may be missing.
        floors: the parsed floors.yaml.
    """
    violations: list[str] = []
    gold = results.get("gold") or {}
    for mode, spec in (floors.get("gold") or {}).items():
        if mode not in gold:
            continue
        violations += _below(f"gold {mode} overall", gold[mode].get("overall", {}), spec.get("overall"))
        by_category = gold[mode].get("by_category", {})
        for category, cat_floors in (spec.get("by_category") or {}).items():
            if category in by_category:
                violations += _below(f"gold {mode} {category}", by_category[category], cat_floors)
    dev, dev_floors = results.get("dev") or {}, floors.get("dev") or {}
    if dev:
        violations += _below("dev overall", dev.get("overall", {}), dev_floors.get("overall") or {})
        for category, cat_floors in (dev_floors.get("by_category") or {}).items():
            violations += _below(f"dev {category}", dev.get("by_category", {}).get(category, {}), cat_floors)
    germanquad = results.get("germanquad") or {}
    for mode, mode_floors in (floors.get("germanquad") or {}).items():
        if mode in germanquad:
            violations += _below(f"germanquad {mode}", germanquad[mode], mode_floors)
    return violations
