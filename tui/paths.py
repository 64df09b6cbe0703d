"""Where things live: the default index folder, the bundled seeds, config and data folders."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "newsdesk"


def default_index() -> Path:
    env = os.environ.get("NEWSDESK_INDEX")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP) / "index"


def data_dir() -> Path:
    return platformdirs.user_data_path(APP)


def config_file() -> Path:
    env = os.environ.get("NEWSDESK_CONFIG")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_config_path(APP) / "config.toml"


def seeds_dir() -> Path | None:
    """The bundled seed articles (the repository's seeds/ folder)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "seeds", here / "seeds"):
        if candidate.is_dir():
            return candidate
    return None
