"""Hostile input: how many examples the property tests draw. Quick by default; CI (CI=true) or
HYPOTHESIS_PROFILE=ci draws a few hundred per property; HYPOTHESIS_PROFILE=deep looks harder, by hand."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]}
settings.register_profile("dev", max_examples=40, **_QUIET)
settings.register_profile("ci", max_examples=300, **_QUIET)
settings.register_profile("deep", max_examples=5000, **_QUIET)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
settings.load_profile(PROFILE)

# schemathesis cases per API operation and phase
SCHEMATHESIS_EXAMPLES = {"dev": 25, "ci": 100}.get(PROFILE, 300)
