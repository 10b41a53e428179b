"""Demo data for ``manage.py load_demo_data``: a believable marketplace, the same on every run.

Each part of the demo is a *step*: a function ``step(ctx: DemoContext) -> None`` that creates what is
missing and nothing else (idempotent), records its counts with ``ctx.count`` and draws randomness only
from ``ctx.rng("<its own name>")``. Each feature's part (certificates, vouchers, orders ...) is such a
function in a module of this package (e.g. ``certificates.py``), listed by its dotted path in
``DEMO_STEPS`` below; the command only runs the steps in order, in one transaction. This app may import
every other app, and no other app imports it.

``--scale`` (PostgreSQL only) then adds bulk products, runs ``SCALE_STEPS`` (the same kind of function,
for bulk data of a feature, e.g. certifying a share of the scale products; each commits its own
batches) and finally the bulk orders.
"""
