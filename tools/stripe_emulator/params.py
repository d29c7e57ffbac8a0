"""Stripe's form encoding: `line_items[0][price_data][currency]=usd` -> nested dicts and lists.

The SDK encodes lists with indexes (`expand[0]=x`); browsers and curl users write `expand[]=x`.
Both are accepted. Getters raise the errors Stripe answers for missing or malformed values.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from tools.stripe_emulator.errors import invalid, missing_param, unknown_param

Params = dict[str, Any]

_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def parse_form(raw: str) -> Params:
    root: Params = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        match = _KEY.fullmatch(key)
        path = [match.group(1), *_SEGMENT.findall(match.group(2))] if match else [key]
        node = root
        for depth, segment in enumerate(path):
            name = segment or str(len(node))  # `name[]` appends
            if depth == len(path) - 1:
                if isinstance(node.get(name), dict):
                    raise invalid(f"Invalid hash: {key} is both a value and a hash", param=key)
                node[name] = value
            else:
                child = node.setdefault(name, {})
                if not isinstance(child, dict):
                    raise invalid(f"Invalid hash: {key} is both a value and a hash", param=key)
                node = child
    result: Params = _listify(root)
    return result


def _listify(node: Params) -> Any:
    values = {
        key: _listify(value) if isinstance(value, dict) else value for key, value in node.items()
    }
    if values and all(key.isdigit() for key in values):
        return [values[key] for key in sorted(values, key=int)]
    return values


def check_known(params: Params, known: set[str]) -> None:
    for name in params:
        if name not in known:
            raise unknown_param(name)


def optional_str(params: Params, name: str, *, param: str | None = None) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid(f"Invalid string: {value!r}", param=param or name)
    return value


def required_str(params: Params, name: str, *, param: str | None = None) -> str:
    value = optional_str(params, name, param=param)
    if value is None:
        raise missing_param(param or name)
    return value


def optional_email(params: Params, name: str) -> str | None:
    value = optional_str(params, name)
    if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise invalid(f"Invalid email address: {value}", param=name, code="email_invalid")
    return value


def optional_url(params: Params, name: str) -> str | None:
    value = optional_str(params, name)
    if value is not None and not re.match(r"https?://[^/\s]+", value):
        raise invalid("Not a valid URL", param=name, code="url_invalid")
    return value


def required_url(params: Params, name: str) -> str:
    value = optional_url(params, name)
    if value is None:
        raise missing_param(name)
    return value


def required_currency(params: Params, name: str = "currency", *, param: str | None = None) -> str:
    """A three-letter ISO currency code, lowercased as Stripe returns it."""
    currency = required_str(params, name, param=param).lower()
    if not re.fullmatch(r"[a-z]{3}", currency):
        raise invalid(f"Invalid currency: {currency}.", param=param or name)
    return currency


def optional_int(params: Params, name: str, *, param: str | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise invalid(f"Invalid integer: {value!r}", param=param or name)
    if isinstance(value, str):
        if not re.fullmatch(r"-?\d+", value):
            raise invalid(
                f"Invalid integer: {value}", param=param or name, code="parameter_invalid_integer"
            )
        return int(value)
    return value


def required_int(params: Params, name: str, *, param: str | None = None) -> int:
    value = optional_int(params, name, param=param)
    if value is None:
        raise missing_param(param or name)
    return value


def optional_hash(params: Params, name: str, *, param: str | None = None) -> Params:
    value = params.get(name)
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid(f"Invalid object: {name} must be a hash", param=param or name)
    return value


def metadata(params: Params, name: str = "metadata", *, param: str | None = None) -> dict[str, str]:
    where = param or name
    value = optional_hash(params, name, param=where)
    if len(value) > 50:
        raise invalid("Metadata can have up to 50 keys.", param=where)
    result: dict[str, str] = {}
    for key, item in value.items():
        if len(key) > 40:
            raise invalid(f"Metadata keys can be up to 40 characters long: {key}", param=where)
        if not isinstance(item, str):
            raise invalid(f"Invalid metadata value for {key}: must be a string", param=where)
        if len(item) > 500:
            raise invalid(f"Metadata values can be up to 500 characters long: {key}", param=where)
        if item != "":  # Stripe drops keys set to ""
            result[key] = item
    return result


def expand_paths(params: Params) -> list[str]:
    value = params.get("expand")
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise invalid("Invalid array: expand must be a list of strings", param="expand")
