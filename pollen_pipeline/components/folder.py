"""What both component types read from their folder: the ``checks.py`` beside the YAML and the
check functions it names."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Annotated, Any

from dagster import AssetCheckResult, AssetCheckSeverity, ComponentLoadContext, Resolver

from pollen_pipeline.checks import Verdict

CHECKS_MODULE = "checks.py"

CheckFunction = Callable[..., Verdict]


def described(type_: Any, description: str) -> Any:
    """``type_`` with the description ``dg utils inspect-component`` and the YAML schema show."""
    return Annotated[type_, Resolver.default(description=description)]


def checks_module(context: ComponentLoadContext) -> ModuleType | None:
    """The folder's ``checks.py``, imported as a module of the defs package, if there is one."""
    path = context.path / CHECKS_MODULE
    return context.load_defs_relative_python_module(path) if path.exists() else None


def resolve_check(function: str, module: ModuleType | None) -> CheckFunction:
    """A check function: a name in the folder's ``checks.py``, or a dotted path to any module."""
    if "." in function:
        module_name, name = function.rsplit(".", 1)
        return getattr(import_module(module_name), name)
    if module is None:
        raise ValueError(f"check {function!r} names no function: the folder has no checks.py")
    return getattr(module, function)


def as_result(name: str, severity: str, verdict: Verdict) -> AssetCheckResult:
    """A check's verdict as Dagster's result, with the severity its folder declares."""
    return AssetCheckResult(
        check_name=name,
        passed=verdict.passed,
        severity=AssetCheckSeverity(severity),
        description=verdict.description,
        metadata=dict(verdict.metadata),
    )
