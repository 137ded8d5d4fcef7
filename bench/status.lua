-- wrk script: count the responses by status, and print one machine-readable
-- line at the end that bench/run parses:
--   BENCH requests=N ok=N bad=N connect=N read=N write=N timeout=N duration_us=N bytes=N
-- "ok" is status 200 exactly; every other status is "bad".
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   ok = 0
   bad = 0
end

function response(status, headers, body)
   if status == 200 then
      ok = ok + 1
   else
      bad = bad + 1
   end
end

function done(summary, latency, requests)
   local o, b = 0, 0
   for _, t in ipairs(threads) do
      o = o + t:get("ok")
      b = b + t:get("bad")
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d ok=%d bad=%d connect=%d read=%d write=%d timeout=%d duration_us=%d bytes=%d\n",
      summary.requests, o, b, e.connect, e.read, e.write, e.timeout, summary.duration,
      summary.bytes))
end
