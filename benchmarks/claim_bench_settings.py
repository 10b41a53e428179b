"""Settings of the claim benchmark: the project's settings plus two benchmark-only URLs (a plain view and
the naive ``select_for_update`` claim kept as the baseline)."""

from marketplace.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.claim_bench_urls"
