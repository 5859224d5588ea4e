#!/usr/bin/env python3
"""SigV4 in --auth strict mode, through boto3.

Usage: strict_auth.py ENDPOINT_URL auth      full checks (leaves one API behind)
       strict_auth.py ENDPOINT_URL count N   exactly N APIs in us-east-1

Gatehouse must be started with GATEHOUSE_ACCESS_KEY_ID=AKIDTEST and
GATEHOUSE_SECRET_ACCESS_KEY=secret. Exits non-zero with a message on any
mismatch.
"""
import sys

import boto3
import botocore.config
from botocore.exceptions import ClientError

KEY_ID, SECRET = "AKIDTEST", "secret"
FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("MISMATCH: " + msg, file=sys.stderr)
    return cond


def client(endpoint, key_id=KEY_ID, secret=SECRET, region="us-east-1"):
    cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                 connect_timeout=5, read_timeout=30)
    return boto3.client("apigatewayv2", endpoint_url=endpoint, region_name=region,
                        aws_access_key_id=key_id, aws_secret_access_key=secret, config=cfg)


def expect_error(label, fn, code, status=403):
    try:
        fn()
    except ClientError as e:
        got = e.response["Error"].get("Code")
        got_status = e.response["ResponseMetadata"].get("HTTPStatusCode")
        check(got == code and got_status == status,
              "%s: want %d %s, got %s %s (%s)" % (label, status, code, got_status, got,
                                                  e.response["Error"].get("Message")))
        return
    check(False, "%s: succeeded, want %d %s" % (label, status, code))


def api_names(c):
    return sorted(a["Name"] for a in c.get_apis()["Items"])


def auth(endpoint):
    good = client(endpoint)
    try:
        before = api_names(good)
    except ClientError as e:
        print("FAIL: get_apis with the right keys (%s/%s) failed: %s" % (KEY_ID, SECRET, e), file=sys.stderr)
        sys.exit(1)

    # The right keys work for writes too, and the body is covered by the signature.
    api = good.create_api(Name="strict-ok", ProtocolType="HTTP", Description="signed " + "x" * 1000)
    check(api["Name"] == "strict-ok", "create_api returned %r" % api.get("Name"))
    got = good.get_api(ApiId=api["ApiId"])
    check(got["ApiId"] == api["ApiId"], "get_api returned %r" % got.get("ApiId"))
    integ = good.create_integration(ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationMethod="GET",
                                    IntegrationUri="https://example.com/a?c=d&e=f", PayloadFormatVersion="1.0")
    pages = list(good.get_paginator("get_integrations").paginate(ApiId=api["ApiId"], PaginationConfig={"PageSize": 1}))
    check([i["IntegrationId"] for p in pages for i in p["Items"]] == [integ["IntegrationId"]],
          "paginated get_integrations with signed query strings: %r" % pages)
    # A path label that needs escaping (ARN in /v2/tags/{resource-arn}).
    arn = "arn:aws:apigateway:us-east-1::/apis/" + api["ApiId"]
    good.tag_resource(ResourceArn=arn, Tags={"signed": "yes"})
    check(good.get_tags(ResourceArn=arn)["Tags"].get("signed") == "yes", "get_tags after tag_resource")
    check(api_names(good) == sorted(before + ["strict-ok"]), "get_apis after create: %r" % api_names(good))

    # The region comes from the credential scope.
    west = client(endpoint, region="eu-west-2")
    check(api_names(west) == [], "eu-west-2 sees us-east-1 APIs: %r" % api_names(west))

    # Wrong secret: the signature does not match.
    bad_secret = client(endpoint, secret="not-the-secret")
    expect_error("get_apis with a wrong secret", bad_secret.get_apis, "InvalidSignatureException")
    expect_error("create_api with a wrong secret",
                 lambda: bad_secret.create_api(Name="must-not-exist", ProtocolType="HTTP"), "InvalidSignatureException")

    # Unknown access key.
    unknown = client(endpoint, key_id="AKIDUNKNOWN")
    expect_error("get_apis with an unknown access key", unknown.get_apis, "UnrecognizedClientException")
    expect_error("create_api with an unknown access key",
                 lambda: unknown.create_api(Name="must-not-exist", ProtocolType="HTTP"), "UnrecognizedClientException")

    check("must-not-exist" not in api_names(good), "a request with a bad signature created an API")


def count(endpoint, n):
    names = api_names(client(endpoint))
    check(len(names) == n, "want %d APIs in us-east-1, got %d: %r" % (n, len(names), names))


def main():
    if len(sys.argv) < 3:
        print("usage: strict_auth.py ENDPOINT_URL auth|count N", file=sys.stderr)
        sys.exit(2)
    endpoint, mode = sys.argv[1], sys.argv[2]
    if mode == "auth":
        auth(endpoint)
    elif mode == "count":
        count(endpoint, int(sys.argv[3]))
    else:
        print("unknown mode " + mode, file=sys.stderr)
        sys.exit(2)
    if FAILURES:
        print("FAIL: %d mismatches" % len(FAILURES), file=sys.stderr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
