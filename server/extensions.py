"""The store and the catalogue the app holds, for the blueprints."""

from __future__ import annotations

from typing import cast

from flask import current_app

from clinkg.registry import Catalogue
from clinkg.store import Store


def store() -> Store:
    """The app's store (`app.extensions["clinkg.store"]`)."""
    return cast(Store, current_app.extensions["clinkg.store"])


def catalogue() -> Catalogue:
    """The app's question catalogue (`app.extensions["clinkg.catalogue"]`)."""
    return cast(Catalogue, current_app.extensions["clinkg.catalogue"])
