"""Signs requests with botocore for the Go tests in botocore_test.go.

Reads a JSON spec on stdin:
  {"access_key", "secret_key", "time": "YYYYMMDDTHHMMSSZ", "region", "service",
   "requests": [{"name", "method", "url", "headers": {}, "body": "",
                 "params": [[k, v], ...] (optional), "token": "" (optional),
                 "presign_expires": N (optional)}]}
and prints a JSON list of {"name", "method", "url", "headers": [[k, v], ...],
"body_b64"} describing each prepared request as it would go on the wire.
The signing clock is pinned by patching botocore.auth.get_current_datetime.
"""

import base64
import datetime
import json
import sys
from unittest import mock

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    spec = json.load(sys.stdin)
    now = datetime.datetime.strptime(spec["time"], "%Y%m%dT%H%M%SZ")
    out = []
    with mock.patch("botocore.auth.get_current_datetime", lambda *a, **k: now):
        for r in spec["requests"]:
            creds = Credentials(spec["access_key"], spec["secret_key"], r.get("token") or None)
            req = AWSRequest(
                method=r["method"],
                url=r["url"],
                headers=r.get("headers") or {},
                data=(r.get("body") or "").encode("utf-8"),
                params=[tuple(p) for p in r.get("params") or []],
            )
            if r.get("presign_expires"):
                auth = SigV4QueryAuth(creds, spec["service"], spec["region"],
                                      expires=r["presign_expires"])
            else:
                auth = SigV4Auth(creds, spec["service"], spec["region"])
            auth.add_auth(req)
            prepared = req.prepare()
            body = prepared.body or b""
            if isinstance(body, str):
                body = body.encode("utf-8")
            out.append({
                "name": r["name"],
                "method": prepared.method,
                "url": prepared.url,
                "headers": [[k, v] for k, v in prepared.headers.items()],
                "body_b64": base64.b64encode(body).decode("ascii"),
            })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
