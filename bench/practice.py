"""The practice's context as the worker builds it: a throw-away SQLite database loaded by seed_demo.

Used by the benches so they measure the analysis on its real path (therapists, staff, clinics known).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A throw-away database needs no real secret; a key given in the environment is kept.
BENCH_SECRET_KEY = "bench-only-key-not-for-production"


def seeded_var_dir() -> Path:
    """A fresh VAR_DIR whose embedded SQLite database is migrated and seeded (seed_demo)."""
    var_dir = Path(tempfile.mkdtemp(prefix="bench-practice-"))
    env = subprocess_env(var_dir)
    for command in (["migrate", "--verbosity", "0"], ["seed_demo"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], env=env, check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
    return var_dir


def subprocess_env(var_dir: Path) -> dict[str, str]:
    """The environment that points manage.py at that database (and never at a real one)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="config.settings")
    env.setdefault("DJANGO_SECRET_KEY", BENCH_SECRET_KEY)
    return env


def practice_context_from(var_dir: Path):
    """moderation.analysis_store.practice_context() read from that database, in this process."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", BENCH_SECRET_KEY)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from moderation.analysis_store import practice_context

    return practice_context(fresh=True)


def clinics_create() -> tuple[list, list]:
    """The bench practice inside a configured Django: 23 clinics (town-0…) and 46 therapists (t-0…),
    two per clinic; (locations, therapists)."""
    from reviews.models import Location, Therapist

    locations = [Location.objects.create(slug=f"town-{i}", name=f"Town {i}") for i in range(23)]
    therapists = []
    for i in range(46):
        therapist = Therapist.objects.create(slug=f"t-{i}", first_name=f"T{i}", last_name="Pist")
        therapist.locations.add(locations[i % 23])
        therapists.append(therapist)
    return locations, therapists
