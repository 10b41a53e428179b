-- Store a campaign's claim state unless a newer version is already there.
-- KEYS: 1 campaign hash. ARGV: 1 status, 2 ends (epoch s), 3 version.
local current = redis.call('HGET', KEYS[1], 'version')
if current and tonumber(current) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'ends', ARGV[2], 'version', ARGV[3])
return 1
