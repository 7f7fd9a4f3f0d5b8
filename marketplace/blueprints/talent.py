"""(stub) talent blueprint — filled in by the talent work."""

from flask import Blueprint

bp = Blueprint("talent", __name__)
