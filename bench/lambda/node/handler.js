// The handler both Gatehouse and serverless-offline serve in bench/lambda/run.sh:
// a typical HTTP API (payload 2.0) Lambda response.
exports.hello = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ ok: true, path: event.rawPath }),
});
