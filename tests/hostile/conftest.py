"""Hostile input: how many examples the property tests draw. Quick by default; CI (CI=true) or
HYPOTHESIS_PROFILE=ci draws a few hundred per property."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("ci", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
settings.load_profile(PROFILE)

# schemathesis cases per API operation and phase
SCHEMATHESIS_EXAMPLES = 100 if PROFILE == "ci" else 25
