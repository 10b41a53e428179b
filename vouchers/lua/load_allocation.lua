-- Load an allocation's counter from the database ledger, only if it is not loaded (a missing key means
-- "not loaded", never zero). KEYS: 1 allocation hash, 2 released set.
-- ARGV: budget, face, min_spend, limit, starts, ends, valid, issued, then the released claim ids.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'budget', ARGV[1], 'face', ARGV[2], 'min_spend', ARGV[3], 'limit', ARGV[4],
  'starts', ARGV[5], 'ends', ARGV[6], 'valid', ARGV[7], 'issued', ARGV[8])
redis.call('DEL', KEYS[2])
for i = 9, #ARGV, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return 1
