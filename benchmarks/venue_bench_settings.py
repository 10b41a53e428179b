"""Settings of the venue benchmark: the project's settings plus a plain Django view as the baseline."""

from marketplace.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.venue_bench_urls"
