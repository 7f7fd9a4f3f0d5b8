"""Periodic lifecycle tasks: escalate undecided releases, start and end secondments whose day has come."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="marketplace.escalate_overdue_releases")
def escalate_overdue_releases() -> int:
    """Send every release left undecided past its due day to the talent team; how many went."""
    from marketplace.services import releases

    return releases.escalate_overdue_releases()


@shared_task(name="marketplace.start_due_secondments")
def start_due_secondments() -> int:
    """Make signed secondments active on their start date; how many started."""
    from marketplace.services import secondments

    return secondments.start_due()


@shared_task(name="marketplace.end_due_secondments")
def end_due_secondments() -> int:
    """End running secondments whose end date has passed, as returned; how many ended."""
    from marketplace.services import secondments

    return secondments.end_due()
