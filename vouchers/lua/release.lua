-- Give a released voucher's face value back to the counter, once per claim id.
-- KEYS: 1 allocation hash, 2 released set. ARGV: 1 claim id, 2 face (cents).
-- Not loaded: nothing to do, the next load reads the ledger.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'issued', -tonumber(ARGV[2]))
  return 1
end
return 0
