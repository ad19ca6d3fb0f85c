/**
 * The Lua scripts that make the shared-state decisions atomically in Redis. Keys of one namespace
 * (one model's engine) share a prefix `<cluster prefix><namespace>:`; a provider's keys are
 * `fail:<p>` (consecutive failures), `open:<p>` (circuit open, PX expiry), `cool:<p>` (cooldown
 * reason, PX expiry) and `slots:<p>` (concurrency leases, a sorted set scored by expiry), with
 * `<p>` the encoded provider name. The `index` set lists the providers that have such keys, so
 * that a (re)joining instance can load them without scanning the keyspace.
 * Events go out on one channel per cluster as JSON `{ ns, type, targetId, forMs?, ... }`: times
 * travel as durations, so instances need no common clock.
 */

/** Milliseconds of the Redis server's clock (allowed in scripts since effects replication). */
const SERVER_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * A failure. KEYS: fail, open, index. ARGV: threshold, openMs, failTtlMs, channel, ns, target id,
 * encoded provider. Counts it; opens the circuit when the count reaches the threshold and the
 * circuit is not open already (resetting the count). Returns 1 when it opened the circuit.
 */
export const FAILURE_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[7])
if count >= tonumber(ARGV[1]) and redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[4], cjson.encode({ ns = ARGV[5], type = 'circuit-opened',
    targetId = ARGV[6], forMs = tonumber(ARGV[2]) }))
  return 1
end
redis.call('PUBLISH', ARGV[4], cjson.encode({ ns = ARGV[5], type = 'failure', targetId = ARGV[6] }))
return 0
`;

/**
 * A timed state (circuit open, cooldown) decided by one engine. KEYS: key, index. ARGV: forMs,
 * value, channel, message JSON, encoded provider. Keeps the longer of the stored and the new time.
 */
export const TIMED_STATE_SCRIPT = `
local forMs = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < forMs then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', forMs)
  redis.call('SADD', KEYS[2], ARGV[5])
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`;

/** A circuit closed. KEYS: open, fail. ARGV: channel, message JSON. */
export const CLOSE_SCRIPT = `
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`;

/**
 * The shared state of one namespace. KEYS: index. ARGV: the namespace's key prefix. Returns, per
 * provider with state, `{ encoded provider, open ms left, cooldown ms left, cooldown reason,
 * failures }`; forgets providers that have none left.
 */
export const LOAD_SCRIPT = `
local out = {}
for _, p in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local openMs = redis.call('PTTL', ARGV[1] .. 'open:' .. p)
  local coolMs = redis.call('PTTL', ARGV[1] .. 'cool:' .. p)
  local reason = redis.call('GET', ARGV[1] .. 'cool:' .. p) or ''
  local failures = tonumber(redis.call('GET', ARGV[1] .. 'fail:' .. p) or '0')
  if openMs < 0 and coolMs < 0 and failures == 0 then
    redis.call('SREM', KEYS[1], p)
  else
    table.insert(out, { p, openMs, coolMs, reason, failures })
  end
end
return out
`;

/**
 * Takes a concurrency slot. KEYS: slots. ARGV: limit, lease id, leaseMs. Drops expired leases
 * (instances that crashed), then adds one if fewer than `limit` remain. Returns 1 or 0.
 */
export const ACQUIRE_SCRIPT = `
${SERVER_NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** Extends leases still held. KEYS: slots. ARGV: leaseMs, lease ids... */
export const RENEW_SCRIPT = `
${SERVER_NOW}
local leaseMs = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + leaseMs, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], leaseMs)
return 1
`;

/**
 * One request against a sliding window. KEYS: the client's log (a sorted set of request times).
 * ARGV: limit, windowMs, member. Returns `{ allowed (1/0), remaining, retry after ms }`; the wait is
 * until enough entries leave the window for one more to fit (the limit may have been lowered).
 */
export const RATE_SCRIPT = `
${SERVER_NOW}
local limit = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], windowMs)
  return { 1, limit - count - 1, 0 }
end
local freeing = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return { 0, 0, math.max(1, tonumber(freeing[2]) + windowMs - now) }
`;
