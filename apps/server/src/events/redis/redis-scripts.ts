import type { Redis } from 'ioredis';

/*
 * Lua scripts of the Redis event bus. Keys, all under the bus prefix `p` (`<prefix>:bus:`):
 *   seq                  the id counter (one sequence for every node)
 *   clock                the newest event timestamp handed out, µs since the epoch (Redis TIME)
 *   model:<id>           stream of a model's events; entry id `<event id>-0`, fields
 *                        e (event JSON), u (owner), v (newest id trimmed before it); markers
 *                        `<id>-<n>` with c (the model was deleted) or g (an event came late)
 *   model:<id>:meta      hash: evicted (newest id no longer in the stream), user, late (clients
 *                        at or past it before a late event must refetch: ids went out of order)
 *   user:<id>            stream of every event of a user's models (live delivery only)
 *   user:<id>:meta       hash: evicted
 *   user:<id>:models     set of the user's model ids that have a stream
 *   lock:user:<id>       commit lease of one owner
 * All but seq expire after a day without events: a model's stream is rebuilt from storage when
 * needed again, and a user's set outlives the streams in it (every append refreshes both).
 * Keys are built inside the scripts, so the bus needs one Redis server (not Cluster).
 * Numbers cross into Lua as strings and leave through string.format('%d'): Lua would
 * print a large id in exponent notation.
 */

const TOP = `
local function top(key)
  local t = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
  if #t == 0 then return '0-0' end
  return t[1][1]
end
`;

const TRIM = `
local function trimmed(key, size)
  local meta = key .. ':meta'
  local ev = redis.call('HGET', meta, 'evicted')
  local len = redis.call('XLEN', key)
  if len + 1 >= 2 * size then
    -- Batch trim: keep at least size entries, touch the stream once every size appends.
    local gone = redis.call('XRANGE', key, '-', '+', 'COUNT', len + 1 - size)
    local last = string.match(gone[#gone][1], '^%d+')
    if not ev or tonumber(last) > tonumber(ev) then ev = last end
    redis.call('XTRIM', key, 'MAXLEN', size - 1)
    redis.call('HSET', meta, 'evicted', ev)
  end
  return ev
end
`;

/** Reserves n microseconds of the bus clock: distinct, increasing timestamps on every node. */
const CLOCK = `
local function stamps(p, n)
  local t = redis.call('TIME')
  local first = math.max(tonumber(t[1]) * 1000000 + tonumber(t[2]), tonumber(redis.call('GET', p .. 'clock') or '0') + 1)
  redis.call('SET', p .. 'clock', string.format('%d', first + n - 1))
  return string.format('%d', first)
end
`;

/**
 * ARGV: p, n, floor, model ids. Returns the last allocated id, the first of n timestamps (µs),
 * then the models with no stream state.
 */
const ALLOCATE =
  CLOCK +
  `
local p, floor = ARGV[1], ARGV[3]
-- A Redis that lost its data must not hand out ids the database already holds.
if tonumber(redis.call('GET', p .. 'seq') or '0') < tonumber(floor) then redis.call('SET', p .. 'seq', floor) end
local out = { string.format('%d', redis.call('INCRBY', p .. 'seq', ARGV[2])), stamps(p, tonumber(ARGV[2])) }
for i = 4, #ARGV do
  if redis.call('EXISTS', p .. 'model:' .. ARGV[i] .. ':meta') == 0 then out[#out + 1] = ARGV[i] end
end
return out
`;

/** ARGV: p, size, idle ttl ms, then per event: id, model, user, json. Returns how many went out of order. */
const APPEND =
  TRIM +
  TOP +
  `
local p, size, idle = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local late = 0
for i = 4, #ARGV, 4 do
  local id, m, u, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local mkey, ukey = p .. 'model:' .. m, p .. 'user:' .. u
  if redis.call('EXISTS', mkey .. ':meta') == 0 then
    -- Stream state lost since it was warmed: whoever resumes from before this id must refetch.
    redis.call('HSET', mkey .. ':meta', 'evicted', string.format('%d', tonumber(id) - 1), 'user', u)
  end
  redis.call('SADD', ukey .. ':models', m)
  for _, key in ipairs({ mkey, ukey }) do
    local ev = trimmed(key, size) or '0'
    local ok = redis.pcall('XADD', key, id .. '-0', 'e', json, 'u', u, 'v', ev)
    if type(ok) == 'table' and ok.err then
      -- Older than the stream's top (a commit lease ran out), so whoever went past the top missed
      -- it: evicted moves past the top (resumers reset) and a marker carrying it makes every
      -- node's reader end the live streams that went past it (they resume, then reset).
      local ms, sq = string.match(top(key), '^(%d+)-(%d+)$')
      local past = string.format('%d', tonumber(ms) + 1)
      redis.call('HSET', key .. ':meta', 'evicted', past, 'late', past)
      redis.call('XADD', key, ms .. '-' .. string.format('%d', tonumber(sq) + 1), 'g', id, 'v', past)
      late = late + 1
    end
  end
  for _, key in ipairs({ mkey, mkey .. ':meta', ukey, ukey .. ':meta', ukey .. ':models' }) do redis.call('PEXPIRE', key, idle) end
end
return late
`;

/** ARGV: p, model, user, evicted, idle ttl ms, then per stored event: id, json. Fills a model's stream once. */
const WARM = `
local p, m, u, ev, idle = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key = p .. 'model:' .. m
if redis.call('EXISTS', key .. ':meta') == 1 then return 0 end
redis.call('DEL', key)
redis.call('HSET', key .. ':meta', 'evicted', ev, 'user', u)
for i = 6, #ARGV, 2 do redis.call('XADD', key, ARGV[i] .. '-0', 'e', ARGV[i + 1], 'u', u, 'v', ev) end
redis.call('SADD', p .. 'user:' .. u .. ':models', m)
for _, k in ipairs({ key, key .. ':meta', p .. 'user:' .. u .. ':models' }) do redis.call('PEXPIRE', k, idle) end
return 1
`;

/**
 * ARGV: p, after ('' for none), 'u' + user id | 'm' + model ids. Atomically: the counter, the top
 * of the user's stream ('u'), a timestamp (µs) for the connection's control events, and per
 * model with stream state: model, evicted, top, entries after.
 */
const SNAPSHOT =
  TOP +
  CLOCK +
  `
local p, after, mode = ARGV[1], ARGV[2], ARGV[3]
local models, live = {}, '0-0'
if mode == 'u' then
  models = redis.call('SMEMBERS', p .. 'user:' .. ARGV[4] .. ':models')
  live = top(p .. 'user:' .. ARGV[4])
else
  for i = 4, #ARGV do models[#models + 1] = ARGV[i] end
end
local out = { redis.call('GET', p .. 'seq') or '0', live, stamps(p, 1) }
for _, m in ipairs(models) do
  local key = p .. 'model:' .. m
  local ev = redis.call('HGET', key .. ':meta', 'evicted')
  if ev then
    local entries = {}
    if after ~= '' then entries = redis.call('XRANGE', key, '(' .. after .. '-0', '+') end
    out[#out + 1] = { m, ev, top(key), entries, redis.call('HGET', key .. ':meta', 'late') or '0' }
  end
end
return out
`;

/** ARGV: p, model, reason, ttl ms. Appends an end marker readers on every node see, then lets the keys expire. */
const CLOSE =
  TOP +
  `
local p, m = ARGV[1], ARGV[2]
local key = p .. 'model:' .. m
local meta = key .. ':meta'
local ms, sq = string.match(top(key), '^(%d+)-(%d+)$')
redis.call('XADD', key, ms .. '-' .. string.format('%d', tonumber(sq) + 1), 'c', ARGV[3], 'v', redis.call('HGET', meta, 'evicted') or '0')
local u = redis.call('HGET', meta, 'user')
if u then redis.call('SREM', p .. 'user:' .. u .. ':models', m) end
redis.call('PEXPIRE', key, ARGV[4])
redis.call('PEXPIRE', meta, ARGV[4])
return 1
`;

/** ARGV: token, ttl ms. KEYS: the lock. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const SCRIPTS = {
  twBusAllocate: { lua: ALLOCATE, numberOfKeys: 0 },
  twBusAppend: { lua: APPEND, numberOfKeys: 0 },
  twBusWarm: { lua: WARM, numberOfKeys: 0 },
  twBusSnapshot: { lua: SNAPSHOT, numberOfKeys: 0 },
  twBusClose: { lua: CLOSE, numberOfKeys: 0 },
  twBusRenew: { lua: RENEW, numberOfKeys: 1 },
  twBusRelease: { lua: RELEASE, numberOfKeys: 1 },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
export type StreamEntryReply = [entryId: string, fields: string[]];
/** Per model in a snapshot: id, evicted, top entry id, entries after the resume point, late mark. */
export type SnapshotModelReply = [model: string, evicted: string, top: string, entries: StreamEntryReply[], late: string];
export type SnapshotReply = [head: string, userTop: string, stamp: string, ...models: SnapshotModelReply[]];

/** Runs one of the bus scripts (EVALSHA, loading it on first use). */
export type RunScript = (name: ScriptName, args: (string | number)[]) => Promise<unknown>;

export function busScripts(redis: Redis): RunScript {
  for (const [name, def] of Object.entries(SCRIPTS)) redis.defineCommand(name, def);
  const commands = redis as unknown as Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;
  return (name, args) => commands[name](...args);
}
