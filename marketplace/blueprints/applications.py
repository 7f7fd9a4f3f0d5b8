"""(stub) applications blueprint — filled in by the applications work."""

from flask import Blueprint

bp = Blueprint("applications", __name__)
