-- wrk script for bench/ui: half story pages, half search pages, drawn (seeded) from two URL lists.
-- Arguments after `--`: stories_file searches_file seed. Prints one JSON line when done.

local stories, searches = {}, {}

local function read_lines(path, into)
  for line in io.lines(path) do
    if line ~= "" then into[#into + 1] = line end
  end
end

function init(args)
  read_lines(args[1], stories)
  read_lines(args[2], searches)
  math.randomseed(tonumber(args[3]) or 1)
end

function request()
  local list = (math.random() < 0.5) and stories or searches
  return wrk.format("GET", list[math.random(#list)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
