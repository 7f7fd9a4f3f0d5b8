"""(stub) skills blueprint — filled in by the skills work."""

from flask import Blueprint

bp = Blueprint("skills", __name__)
