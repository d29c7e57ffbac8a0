"""A domain writes only its own tables: no raw SQL in one package inserts into, updates or
deletes from a table whose model another package owns. (The import contracts in
pyproject.toml check the imports; `lint-imports` runs them in `make lint`.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
TABLE = re.compile(r'^\s*table = "([a-z_]+)"', re.MULTILINE)
WRITE = re.compile(r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_]+)"?', re.IGNORECASE)


def table_owners() -> dict[str, str]:
    return {
        table: models.parent.name
        for models in BACKEND.glob("*/models.py")
        for table in TABLE.findall(models.read_text())
    }


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the nodes that are docstrings (they may show SQL as an example)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sql_writes(path: Path) -> set[str]:
    """The tables the string constants of one module write to."""
    tree = ast.parse(path.read_text())
    skipped = docstrings(tree)
    return {
        table
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in skipped
        for table in WRITE.findall(node.value)
    }


def foreign_writes() -> list[str]:
    owners = table_owners()
    found = []
    for path in sorted(BACKEND.glob("*/**/*.py")):
        domain = path.relative_to(BACKEND).parts[0]
        for table in sorted(sql_writes(path)):
            owner = owners.get(table)
            if owner is not None and owner != domain:
                found.append(f"{path.relative_to(BACKEND)} writes {table} (owned by {owner})")
    return found


def test_every_table_has_one_owner() -> None:
    owners = table_owners()
    assert {"users", "outbox", "ledger_entries", "payouts", "follows"} <= owners.keys()


def test_raw_sql_writes_only_the_domains_own_tables() -> None:
    assert foreign_writes() == []


def test_the_check_sees_a_foreign_write(tmp_path: Path) -> None:
    module = tmp_path / "offender.py"
    module.write_text('"""INSERT INTO "outbox" in a docstring is an example."""\n'
                      'SQL = \'UPDATE "wallets" SET "balance" = 0\'\n')  # fmt: skip
    assert sql_writes(module) == {"wallets"}
    assert table_owners()["wallets"] == "wallet"
