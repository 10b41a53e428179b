"""The redis claim backend: one Lua script on ``VOUCHER_REDIS_URL`` checks the campaign, the window,
the budget counter and the shopper's count, then counts and appends a journal entry, atomically.

Durability: the claims Redis runs with ``appendonly yes`` and ``appendfsync always``, so the script's
writes are on disk before the reply reaches the web process, and only then is the shopper answered 201.
The journal is persisted to the database by ``journal.journal_drain`` (beat, and synchronously for one
shopper when their vouchers are read or one is used at checkout), idempotent by claim id.

Recovery: claims need the ``open`` key to hold the Redis server's run id; a restarted server has a new
run id, so claims answer 503 until ``recovery.claims_recover`` has (1) written every journal entry into
the ledger, (2) set the counters from the ledger and (3) reopened claims. A missing counter key means
"not loaded" and is loaded from the database, never read as zero.

One module per idea:

- ``server``: the client, the Lua scripts and the server's run id;
- ``keys``: the key names and how amounts and moments are written in them;
- ``claim``: the claim itself (``RedisClaimBackend``), one script call in the steady state;
- ``tokens``: which user an API token names, for claims that authenticate in the same round trip;
- ``counters``: each allocation's counters, loaded from the database and given back by releases;
- ``campaigns``: the fast copy of each campaign's state;
- ``journal``: acknowledged claims drained into the database ledger;
- ``recovery``: closing, recovering and reopening claims after a restart;
- ``warming``: loading allocations before a sale opens.
"""
