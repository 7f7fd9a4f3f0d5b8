"""(stub) opportunities blueprint — filled in by the opportunities work."""

from flask import Blueprint

bp = Blueprint("opportunities", __name__)
