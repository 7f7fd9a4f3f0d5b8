"""(stub) host blueprint — filled in by the host work."""

from flask import Blueprint

bp = Blueprint("host", __name__)
