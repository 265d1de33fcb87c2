"""YAML text as people write it, for the specs kept as YAML (frameworks, report outlines)."""

from __future__ import annotations

from typing import Any

import yaml


def dump_yaml(data: Any, dumper: type[yaml.SafeDumper]) -> str:
    """`data` as YAML: keys in their order, Vietnamese unescaped, lines up to 100 characters,
    block style; `dumper` adds the spec's own representers."""
    return yaml.dump(
        data,
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
