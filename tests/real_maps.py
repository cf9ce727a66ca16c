"""Where the real journey maps live: ../shared/data/real-maps beside the checkout.

CI clones main with shared/ beside it; WAYMARK_SHARED overrides the location.
"""

from __future__ import annotations

import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[1]
REAL_MAPS = Path(os.environ.get("WAYMARK_SHARED", _CHECKOUT.parent / "shared")) / "data/real-maps"
