"""(stub) profile blueprint — filled in by the profile work."""

from flask import Blueprint

bp = Blueprint("profile", __name__)
