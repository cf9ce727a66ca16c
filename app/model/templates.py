"""Built-in templates and the sample map, shipped as DocumentData JSON in resources/templates."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import ValidationError

from app.errors import WaymarkError
from app.model.schema import DocumentData

TEMPLATES = ("blank", "b2c", "b2b", "sample")
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "resources" / "templates"


@cache
def _template_json(name: str) -> bytes:
    return (TEMPLATE_DIR / f"{name}.json").read_bytes()


def load_template(name: str) -> DocumentData:
    """A fresh, validated copy of a built-in template's content."""
    if name not in TEMPLATES:
        raise WaymarkError(f"unknown template {name!r} (choose from {', '.join(TEMPLATES)})")
    try:
        return DocumentData.model_validate_json(_template_json(name))
    except FileNotFoundError:
        raise WaymarkError(f"the {name} template is missing from this installation") from None
    except ValidationError as err:  # a packaging bug, not a user error, but say it plainly
        raise WaymarkError(f"the {name} template is invalid: {err.errors()[0]['msg']}") from None
