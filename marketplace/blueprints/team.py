"""(stub) team blueprint — filled in by the team work."""

from flask import Blueprint

bp = Blueprint("team", __name__)
