-- One voucher claim, atomically (VOUCHER_CLAIM_BACKEND=redis).
-- KEYS: 1 open flag, 2 allocation hash, 3 campaign hash, 4 user claim count, 5 journal hash,
--       6 user's pending claims set, 7 idempotency key (or an unused name)
-- ARGV: 1 now (epoch s), 2 claim id, 3 code, 4 user id, 5 idempotency ttl (0: none), 6 allocation id
-- Money is in integer cents (exact in a Lua double up to 2^53).
-- Claims are open only while the open flag holds this server's run id: a restarted server has a new
-- one, so claims stay closed (503) until the recovery has run, even though the AOF restored the flag.
local run_id = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
if redis.call('GET', KEYS[1]) ~= run_id then return {'closed'} end
if redis.call('HEXISTS', KEYS[5], ARGV[2]) == 1 then return {'duplicate', ARGV[2]} end
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  local previous = redis.call('GET', KEYS[7])
  if previous then return {'duplicate', previous} end
end
local a = redis.call('HMGET', KEYS[2], 'budget', 'face', 'min_spend', 'limit', 'starts', 'ends', 'valid', 'issued')
if not a[1] then return {'noload_alloc'} end
local c = redis.call('HMGET', KEYS[3], 'status', 'ends')
if not c[1] then return {'noload_camp'} end
local now = tonumber(ARGV[1])
if c[1] ~= 'active' or now < tonumber(a[5]) or now >= tonumber(a[6]) then return {'not_active'} end
local count = redis.call('GET', KEYS[4])
if not count then return {'noload_user'} end
if tonumber(count) >= tonumber(a[4]) then return {'limit_reached'} end
local face = tonumber(a[2])
if tonumber(a[8]) + face > tonumber(a[1]) then return {'budget_exhausted'} end
redis.call('HINCRBY', KEYS[2], 'issued', face)
local seq = redis.call('INCR', KEYS[4])
local expires = math.min(now + tonumber(a[7]) * 86400, tonumber(c[2]))
redis.call('HSET', KEYS[5], ARGV[2],
  table.concat({ARGV[6], ARGV[4], seq, ARGV[3], ARGV[1], expires}, '|'))
redis.call('SADD', KEYS[6], ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[7], ARGV[2], 'EX', ttl) end
return {'ok', seq, tostring(expires), a[2], a[3]}
