"""Allow ``python -m app`` to behave exactly like the ``waymark`` command."""

from app.cli import main

raise SystemExit(main())
