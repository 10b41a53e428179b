"""The default factor set shipped in ``carbon/data/`` (pure: no Django; used by migrations and tests)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from carbon.engine import FactorTable, FactorValue

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FACTOR_SET_FILE = DATA_DIR / "factor_set_2025.json"
ROW_FIELDS = ("key", "value", "unit", "scope", "source", "table", "proxy", "note")


def load_factor_set_data(path: Path = DEFAULT_FACTOR_SET_FILE) -> dict[str, Any]:
    """The file's content, checked: every row names its source (one of the set's sources) and scope."""
    data = json.loads(path.read_text(encoding="utf-8"))
    source_codes = {source["code"] for source in data["sources"]}
    seen: set[str] = set()
    for row in data["factors"]:
        missing = [name for name in ROW_FIELDS if name not in row]
        if missing:
            raise ValueError(f"factor row {row.get('key')!r} lacks {', '.join(missing)}")
        if row["source"] not in source_codes:
            raise ValueError(f"factor row {row['key']!r} names an unknown source {row['source']!r}")
        if not row["scope"] or not row["table"]:
            raise ValueError(f"factor row {row['key']!r} must state its scope and table reference")
        if row["key"] in seen:
            raise ValueError(f"factor row {row['key']!r} appears twice")
        seen.add(row["key"])
        Decimal(row["value"])
    return data


def factor_table_from_data(data: dict[str, Any]) -> FactorTable:
    return FactorTable.from_rows(
        data["version"],
        (
            FactorValue(
                key=row["key"],
                value=Decimal(row["value"]),
                unit=row["unit"],
                scope=row["scope"],
                proxy=bool(row["proxy"]),
            )
            for row in data["factors"]
        ),
    )


def default_factor_table() -> FactorTable:
    return factor_table_from_data(load_factor_set_data())
