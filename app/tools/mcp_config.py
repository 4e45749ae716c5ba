"""`mcp.json`: the servers to start, in the common `mcpServers` shape (a `command` with `args`
and `env` for stdio, or a `url` with `headers` for streamable HTTP). `${NAME}` in a value of
`env` or `headers` is the environment variable NAME, so a token need not be written in the file."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.core.i18n import translate

MCP_CONFIG_FILE = "mcp.json"

VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class McpConfigError(ValueError):
    """An `mcp.json` that cannot be used, and why."""


@dataclass(frozen=True, slots=True)
class McpServerConfig:
    name: str
    command: str | None = None  # stdio: the program and its arguments
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    url: str | None = None  # streamable HTTP
    headers: Mapping[str, str] = field(default_factory=dict)  # sent with every HTTP request

    def __repr__(self) -> str:  # never writes header values (tokens) into logs or tracebacks
        where = self.url or " ".join((self.command or "", *self.args))
        return f"McpServerConfig({self.name!r}, {where!r}, headers={sorted(self.headers)})"


def read_mcp_config(path: Path) -> list[McpServerConfig]:
    """The servers of `path`; none when the file does not exist."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise McpConfigError(
            translate("McpConfig", "{path} cannot be read: {reason}").format(path=path, reason=exc)
        ) from exc
    except json.JSONDecodeError as exc:
        raise McpConfigError(
            translate("McpConfig", "{path} is not valid JSON ({reason}, line {line})").format(
                path=path, reason=exc.msg, line=exc.lineno
            )
        ) from exc
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        raise McpConfigError(
            translate("McpConfig", '{path} has no "mcpServers" object').format(path=path)
        )
    return [_server(name, entry, path) for name, entry in servers.items()]


def _server(name: str, entry: object, path: Path) -> McpServerConfig:
    if not isinstance(entry, dict):
        raise McpConfigError(
            translate("McpConfig", "{path}: the server {name} is not an object").format(
                path=path, name=repr(name)
            )
        )
    command, url = entry.get("command"), entry.get("url")
    if isinstance(url, str) and url:
        if not url.startswith(("http://", "https://")):
            raise McpConfigError(
                translate(
                    "McpConfig", '{path}: the "url" of {name} must start with http:// or https://'
                ).format(path=path, name=repr(name))
            )
        headers = _strings(entry.get("headers", {}), path, name, "headers")
        return McpServerConfig(name, url=url, headers=headers)
    if not isinstance(command, str) or not command:
        raise McpConfigError(
            translate("McpConfig", '{path}: the server {name} needs a "command" or a "url"').format(
                path=path, name=repr(name)
            )
        )
    args = entry.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise McpConfigError(
            translate("McpConfig", '{path}: the "args" of {name} must be a list of strings').format(
                path=path, name=repr(name)
            )
        )
    env = _strings(entry.get("env", {}), path, name, "env")
    return McpServerConfig(name, command, tuple(args), env)


def _strings(value: object, path: Path, name: str, section: str) -> dict[str, str]:
    """The `section` ("headers", "env") of server `name`: names mapped to strings, with the
    environment's variables put in."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise McpConfigError(
            translate(
                "McpConfig", '{path}: the "{section}" of {name} must map names to strings'
            ).format(path=path, section=section, name=repr(name))
        )
    return {str(key): _expanded(text, path, name, section) for key, text in value.items()}


def _expanded(text: str, path: Path, name: str, section: str) -> str:
    def variable(match: re.Match[str]) -> str:
        found = os.environ.get(match[1])
        if found is None:
            raise McpConfigError(
                translate(
                    "McpConfig",
                    '{path}: the "{section}" of {name} use {variable}, which is not set',
                ).format(path=path, section=section, name=repr(name), variable=f"${{{match[1]}}}")
            )
        return found

    return VARIABLE.sub(variable, text)
