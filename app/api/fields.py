"""Typed reads of a request's JSON fields: each wrong value is a `RequestError` naming it."""

from __future__ import annotations

import math
from typing import Any


class RequestError(ValueError):
    """A request the API refuses (400), with the reason for the client."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


def refuse(path: str, problem: str) -> RequestError:
    return RequestError(f"{path}: {problem}", path)


def optional_object(data: dict[str, Any], key: str, path: str) -> dict[str, Any] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise refuse(path, "must be an object")
    return value


def optional_list(data: dict[str, Any], key: str, path: str) -> list[Any] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise refuse(path, "must be a list")
    return value


def optional_text(data: dict[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise refuse(path, "must be a string")
    return value


def required_text(data: dict[str, Any], key: str, path: str) -> str:
    value = optional_text(data, key, path)
    if not value:
        raise refuse(path, "is required (a non-empty string)")
    return value


def optional_flag(data: dict[str, Any], key: str, path: str) -> bool | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise refuse(path, "must be true or false")
    return value


def optional_whole(
    data: dict[str, Any], key: str, path: str, low: int, high: int | None = None
) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise refuse(path, "must be a whole number")
    if value < low or (high is not None and value > high):
        limits = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise refuse(path, f"must be {limits}")
    return value


def optional_number(
    data: dict[str, Any], key: str, path: str, low: float, high: float
) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise refuse(path, f"must be a number from {low:g} to {high:g}")
    return float(value)
