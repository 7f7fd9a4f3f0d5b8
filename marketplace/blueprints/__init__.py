"""Blueprints, one per area of the marketplace."""

from __future__ import annotations

from flask import Flask


def register_all(app: Flask) -> None:
    """Register every blueprint on the app."""
    from marketplace.blueprints import (
        account,
        admin,
        agreements,
        applications,
        auth,
        check_ins,
        equality,
        explanations,
        fairness,
        host,
        imports,
        jobs,
        main,
        notifications,
        opportunities,
        profile,
        recommendations,
        return_feedback,
        returns,
        secondments,
        selection,
        skills,
        skills_gained,
        talent,
        team,
        termination,
    )

    for module in (auth, main, opportunities, recommendations, applications, profile, equality, host, talent,
                   fairness, team, selection, secondments, agreements, check_ins, termination, returns,
                   skills_gained, return_feedback, explanations, admin, jobs, imports, skills, notifications, account):
        app.register_blueprint(module.bp)
