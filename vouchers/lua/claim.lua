-- One voucher claim in one round trip, atomically (VOUCHER_CLAIM_BACKEND=redis): the stored answer of
-- an Idempotency-Key, the per-user and per-IP rate limits, the campaign/window/per-user/budget checks,
-- the counters and the journal entry.
-- KEYS: 1 open flag, 2 allocation hash, 3 campaign hash, 4 the allocation's per-user counts hash,
--       5 journal hash, 6 user's pending claims set, 7 idempotency answer (or an unused name),
--       8 per-user rate window counter, 9 per-IP rate window counter (unused names when not limited)
-- ARGV: 1 now (epoch s), 2 claim id, 3 code, 4 user id ('': the one the API token ARGV[11] names),
--       5 idempotency ttl (0: none), 6 allocation id,
--       7 per-user limit (0: no rate limits), 8 per-user window s, 9 per-IP limit, 10 per-IP window s,
--       11 API token ('': none), 12 seconds to remember token -> user id (0: do not), 13 key prefix
-- With ARGV[4] = '' the shopper is the one the claims Redis remembers for the token (set by an earlier
-- claim right after a full authentication, deleted when the user is saved or the token deleted, see
-- vouchers/signals.py); the user's keys (KEYS[6], KEYS[8]) are then derived here. Unknown: {'auth'}.
-- Money is in integer cents (exact in a Lua double up to 2^53).
-- Claims are open only while the open flag holds this server's run id: a restarted server has a new
-- one, so claims stay closed (503) until the recovery has run, even though the AOF restored the flag.
-- The stored answer (KEYS[7]) is 'ok|allocation|code|expires|face|min_spend' or 'err|allocation|code';
-- rate-limited answers are not stored (docs/domain.md, "Idempotency").
local uid, pending, rate_user = ARGV[4], KEYS[6], KEYS[8]
if uid == '' then
  uid = redis.call('GET', ARGV[13] .. 't:' .. ARGV[11])
  if not uid then return {'auth'} end
  pending = ARGV[13] .. 'p:' .. uid
  if tonumber(ARGV[7]) > 0 then
    rate_user = ARGV[13] .. 'rl:u:' .. uid .. ':' .. math.floor(tonumber(ARGV[1]) / tonumber(ARGV[8]))
  end
elseif tonumber(ARGV[12]) > 0 then
  redis.call('SET', ARGV[13] .. 't:' .. ARGV[11], uid, 'EX', ARGV[12])
end
local run_id = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
if redis.call('GET', KEYS[1]) ~= run_id then return {'closed'} end
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  local previous = redis.call('GET', KEYS[7])
  if previous then return {'stored', previous} end
end
if redis.call('HEXISTS', KEYS[5], ARGV[2]) == 1 then return {'duplicate', ARGV[2]} end
local a = redis.call('HMGET', KEYS[2], 'budget', 'face', 'min_spend', 'limit', 'starts', 'ends', 'valid', 'issued')
if not a[1] then return {'noload_alloc'} end
local c = redis.call('HMGET', KEYS[3], 'status', 'ends')
if not c[1] then return {'noload_camp'} end
-- The per-user counts are loaded with the allocation: without '_loaded' neither counts (reload both).
local u = redis.call('HMGET', KEYS[4], '_loaded', uid)
if not u[1] then return {'noload_alloc'} end
local count = u[2] or 0
local now = tonumber(ARGV[1])
-- Rate limits: fixed windows, counted once per attempt (after the loads above, which retry the script).
local user_limit = tonumber(ARGV[7])
if user_limit > 0 then
  local user_window, ip_limit, ip_window = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
  local by_user = redis.call('INCR', rate_user)
  if by_user == 1 then redis.call('EXPIRE', rate_user, user_window + 1) end
  local by_ip = redis.call('INCR', KEYS[9])
  if by_ip == 1 then redis.call('EXPIRE', KEYS[9], ip_window + 1) end
  if by_user > user_limit then
    return {'rate_limited', tostring((math.floor(now / user_window) + 1) * user_window - now + 1)}
  end
  if by_ip > ip_limit then
    return {'rate_limited', tostring((math.floor(now / ip_window) + 1) * ip_window - now + 1)}
  end
end
local function refuse(outcome)
  if ttl > 0 then redis.call('SET', KEYS[7], 'err|' .. ARGV[6] .. '|' .. outcome, 'EX', ttl) end
  return {outcome}
end
if c[1] ~= 'active' or now < tonumber(a[5]) or now >= tonumber(a[6]) then return refuse('not_active') end
if tonumber(count) >= tonumber(a[4]) then return refuse('limit_reached') end
local face = tonumber(a[2])
if tonumber(a[8]) + face > tonumber(a[1]) then return refuse('budget_exhausted') end
redis.call('HINCRBY', KEYS[2], 'issued', face)
local seq = redis.call('HINCRBY', KEYS[4], uid, 1)
local expires = math.min(now + tonumber(a[7]) * 86400, tonumber(c[2]))
redis.call('HSET', KEYS[5], ARGV[2],
  table.concat({ARGV[6], uid, seq, ARGV[3], ARGV[1], expires}, '|'))
redis.call('SADD', pending, ARGV[2])
if ttl > 0 then
  redis.call('SET', KEYS[7], table.concat({'ok', ARGV[6], ARGV[3], expires, a[2], a[3]}, '|'), 'EX', ttl)
end
return {'ok', seq, tostring(expires), a[2], a[3]}
