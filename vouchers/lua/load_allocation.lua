-- Load an allocation's counters from the database, only if they are not loaded (a missing key means
-- "not loaded", never zero). The per-user claim counts are loaded with it, so that on a loaded
-- allocation a shopper without a count has claimed none (a flash sale's first claims need no database).
-- KEYS: 1 allocation hash, 2 released set, 3 per-user counts hash, 4 the loader's staged per-user counts
--       (written in batches by the loader; renamed into place here, atomically with the rest)
-- ARGV: budget, face, min_spend, limit, starts, ends, valid, issued, then the released claim ids.
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('HEXISTS', KEYS[3], '_loaded') == 1 then
  redis.call('DEL', KEYS[4])
  return 0
end
redis.call('DEL', KEYS[1], KEYS[3])
if redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('RENAME', KEYS[4], KEYS[3])
  redis.call('PERSIST', KEYS[3])
end
redis.call('HSET', KEYS[3], '_loaded', '1')
redis.call('HSET', KEYS[1], 'budget', ARGV[1], 'face', ARGV[2], 'min_spend', ARGV[3], 'limit', ARGV[4],
  'starts', ARGV[5], 'ends', ARGV[6], 'valid', ARGV[7], 'issued', ARGV[8])
redis.call('DEL', KEYS[2])
for i = 9, #ARGV, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return 1
