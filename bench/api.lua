-- wrk script of bench/api.sh: every request POSTs the same GraphQL body.
--
--   API_BODY         file holding the JSON body ({"query": ..., "variables": ...})
--   API_TOKENS_FILE  Databank's tokens file ("TOKEN ROLE NAME" lines), if
--                    any: the requests go round its tokens, one after the
--                    other, as many researchers would, so that a limit per
--                    user (requests in flight, share of the pool) is not
--                    what gets measured. PostGraphile runs without
--                    authentication and gets no Authorization header.
--
-- At the end it prints one line that bench/api.sh parses:
--   RESULT requests=N seconds=S rps=R p50_ms=A p90_ms=B p99_ms=C max_ms=D errors=E graphql_errors=G
-- where errors counts connection errors, timeouts and non-2xx answers, and
-- graphql_errors the answers with an "errors" member (both servers answer
-- 200 to a query whose fields failed; refusals such as 429 have one too).

local body_file = assert(os.getenv("API_BODY"), "API_BODY is not set")
local f = assert(io.open(body_file, "rb"))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local tokens = {}
local tokens_file = os.getenv("API_TOKENS_FILE")
if tokens_file and tokens_file ~= "" then
	for line in io.lines(tokens_file) do
		local t = line:match("^(%S+)")
		if t then
			table.insert(tokens, t)
		end
	end
end

-- Each wrk thread runs its own copy of this script: setup() (in the main
-- copy) starts the threads' rounds of tokens 32 apart, response()
-- counts in the thread's copy, done() (in the main copy again) collects
-- the counts through the threads setup() kept.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("first_token", (#threads - 1) * 32)
end

graphql_errors = 0

if #tokens > 0 then
	local requests, next_request = {}, 0

	function init(args)
		for i, t in ipairs(tokens) do
			local headers = {}
			for k, v in pairs(wrk.headers) do
				headers[k] = v
			end
			headers["Authorization"] = "Bearer " .. t
			requests[i] = wrk.format(nil, nil, headers, body)
		end
		next_request = (first_token or 0) % #requests
	end

	function request()
		next_request = next_request % #requests + 1
		return requests[next_request]
	end
end

function response(status, headers, body)
	if string.find(body, '"errors":', 1, true) then
		graphql_errors = graphql_errors + 1
	end
end

function done(summary, latency, requests)
	local gql = 0
	for _, t in ipairs(threads) do
		gql = gql + t:get("graphql_errors")
	end
	local e = summary.errors
	local seconds = summary.duration / 1e6
	io.write(string.format(
		"RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d graphql_errors=%d\n",
		summary.requests, seconds, summary.requests / seconds,
		latency:percentile(50) / 1000, latency:percentile(90) / 1000,
		latency:percentile(99) / 1000, latency.max / 1000,
		e.connect + e.read + e.write + e.timeout + e.status, gql))
end
