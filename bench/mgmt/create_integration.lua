-- wrk script: CreateIntegration (POST /v2/apis/{apiId}/integrations) in a loop.
--
--   wrk -t2 -c8 -d10s --latency -s bench/mgmt/create_integration.lua \
--       http://127.0.0.1:PORT -- <apiId>
--
-- The apiId comes from the first script argument (after "--"), or from the
-- API_ID environment variable. The Authorization header is a dummy SigV4
-- header: moto_server needs one to pick the region/account, and Gatehouse in
-- its default permissive mode accepts it and takes the region from it.
--
-- done() prints one machine-readable line that bench/mgmt/run.sh parses:
--   RESULT requests=N duration_us=N rps=N p50_us=N p90_us=N p99_us=N max_us=N errors=N
-- where errors = connect+read+write+timeout errors + HTTP statuses > 399.

local req

function init(args)
  local api = args[1] or os.getenv("API_ID")
  if api == nil or api == "" then
    error("create_integration.lua: pass the apiId after -- or in API_ID")
  end
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=x",
  }
  local body = '{"integrationType":"HTTP_PROXY","integrationUri":"https://example.com/x",' ..
               '"integrationMethod":"GET","payloadFormatVersion":"1.0"}'
  -- Pre-build the request once per thread; request() only returns it.
  req = wrk.format("POST", "/v2/apis/" .. api .. "/integrations", headers, body)
end

function request()
  return req
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, errors))
end
