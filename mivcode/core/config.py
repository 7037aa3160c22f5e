"""User settings: who is coding, interface language, theme and key overrides.

Kept in `config.toml` under the XDG config folder (override the folder with
`MIVCODE_CONFIG_DIR`), because on a shared research server each researcher
has their own account but may open the same project files.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir


@dataclass(slots=True)
class Settings:
    coder: str | None = None
    language: str = "nl"
    theme: str = "textual-dark"
    spacy_model: str | None = None  # a package name or a path; None = best installed Dutch model
    keymap: dict[str, str] = field(default_factory=dict)


def config_dir() -> Path:
    return Path(os.environ.get("MIVCODE_CONFIG_DIR") or user_config_dir("mivcode"))


def data_dir() -> Path:
    return Path(os.environ.get("MIVCODE_DATA_DIR") or user_data_dir("mivcode"))


def config_path() -> Path:
    return config_dir() / "config.toml"


def load_settings() -> Settings:
    path = config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raw = {}
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
        raw = {}  # a broken config must never stop a researcher from working; defaults apply
    keymap = raw.get("keymap") if isinstance(raw.get("keymap"), dict) else {}
    return Settings(
        coder=_str(raw.get("coder")),
        language=_str(raw.get("language")) or "nl",
        theme=_str(raw.get("theme")) or "textual-dark",
        spacy_model=_str(raw.get("spacy_model")),
        keymap={str(k): str(v) for k, v in keymap.items()},
    )


def save_settings(settings: Settings) -> Path:
    """Write the few flat keys by hand (tomllib only reads; the format here is trivial)."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for key in ("coder", "language", "theme", "spacy_model"):
        value = getattr(settings, key)
        if value:
            lines.append(f"{key} = {_quote(value)}")
    if settings.keymap:
        lines.append("\n[keymap]")
        lines.extend(f"{_quote(k)} = {_quote(v)}" for k, v in sorted(settings.keymap.items()))
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def resolve_coder(explicit: str | None = None, settings: Settings | None = None) -> str:
    """--coder, then MIVCODE_CODER, then the configured name, then the login name."""
    for candidate in (explicit, os.environ.get("MIVCODE_CODER"), (settings or load_settings()).coder):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "coder"


def resolve_language(settings: Settings | None = None) -> str:
    """MIVCODE_LANG, then `language` in config.toml; Dutch unless one of them names English.

    The environment variable lets a script or a shared account pin the language
    of the command line's messages whatever the researcher configured.
    """
    for candidate in (os.environ.get("MIVCODE_LANG"), (settings or load_settings()).language):
        if candidate and candidate.strip().lower() in ("nl", "en"):
            return candidate.strip().lower()
    return "nl"


def _str(value) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
