"""Linking managers once every row is in, so a manager may come later in the file or already be in the marketplace."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Employee, IssueSeverity
from marketplace.services.imports.rows import Issue

NOT_CHANGED = "the manager was not changed"


@dataclass(frozen=True)
class ManagerLink:
    """What one imported row says about its manager (None: the person has no manager)."""

    row_number: int
    employee_number: str
    manager_number: str | None


def plan_links(links: list[ManagerLink]) -> tuple[dict[int, int | None], list[Issue]]:
    """Employee id -> new manager id for every link that changes something, and warnings for links refused.

    A link is refused when the manager is unknown, is the person, or would close a loop in the
    reporting chain; the person then keeps the manager they had (none for someone new).
    """
    id_by_number = dict(db.session.execute(sa.select(Employee.employee_number, Employee.id)).all())
    current = dict(db.session.execute(sa.select(Employee.id, Employee.manager_id)).all())
    wanted = dict(current)
    from_file: dict[int, ManagerLink] = {}
    issues: list[Issue] = []
    for link in links:
        employee_id = id_by_number.get(link.employee_number)
        if employee_id is None:
            continue
        manager_id = id_by_number.get(link.manager_number) if link.manager_number else None
        if link.manager_number == link.employee_number:
            issues.append(_warning(link, f"An employee cannot be their own manager; {NOT_CHANGED}."))
        elif link.manager_number and manager_id is None:
            issues.append(_warning(
                link, f"Manager number {link.manager_number} is neither in the file nor in the marketplace; {NOT_CHANGED}."
            ))
        else:
            wanted[employee_id] = manager_id
            from_file[employee_id] = link
    _refuse_loops(wanted, current, from_file, issues, {v: k for k, v in id_by_number.items()})
    return {e: m for e, m in wanted.items() if m != current[e]}, issues


def _refuse_loops(wanted: dict, current: dict, from_file: dict[int, ManagerLink], issues: list[Issue],
                  number_by_id: dict[int, str]) -> None:
    """Undo the file's links in every loop they would close, until no loop of the file's making is left."""
    while True:
        undone = False
        for loop in _loops(wanted):
            ours = [e for e in loop if e in from_file and wanted[e] != current[e]]
            if not ours:
                continue  # a loop already stored is not this import's to repair
            chain = " → ".join(number_by_id[e] for e in [*loop, loop[0]])
            for employee_id in ours:
                wanted[employee_id] = current[employee_id]
                issues.append(_warning(from_file[employee_id], f"The reporting chain would loop ({chain}); {NOT_CHANGED}."))
            undone = True
        if not undone:
            return


def _loops(manager_of: dict[int, int | None]) -> list[list[int]]:
    """Every cycle of the employee -> manager graph, each once, in reporting order."""
    settled: set[int] = set()
    loops = []
    for start in manager_of:
        path: list[int] = []
        on_path: dict[int, int] = {}
        node = start
        while node is not None and node not in settled and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = manager_of.get(node)
        if node is not None and node in on_path:
            loops.append(path[on_path[node]:])
        settled.update(path)
    return loops


def _warning(link: ManagerLink, reason: str) -> Issue:
    return Issue(link.row_number, link.employee_number, "manager_number", IssueSeverity.WARNING, reason)
