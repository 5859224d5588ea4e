#!/usr/bin/env python3
"""Seed scenario: boto3's ApiGatewayV2.Paginator.GetIntegrations against Gatehouse.

Usage: seed_paginator.py ENDPOINT_URL   (or GATEHOUSE_ENDPOINT in the environment)

Creates a VPC link and three APIs (a plain HTTP API, a quick-created HTTP API
whose Lambda integration is managed by API Gateway, and a WebSocket API) with
60+ integrations each that together use every field of the paginator's
Response Syntax, then pages through them with
client.get_paginator('get_integrations') in several ways and checks every item
field by field against what create_integration was sent plus AWS's documented
defaults. Exits non-zero with a message on the first mismatch.
"""
import json
import os
import sys

import boto3
import botocore.config
from botocore.exceptions import ClientError

# Every key of the Response Syntax of the seed document (boto3
# ApiGatewayV2.Paginator.GetIntegrations), in the documented order.
SEED_ITEM_KEYS = [
    "ApiGatewayManaged",
    "ConnectionId",
    "ConnectionType",
    "ContentHandlingStrategy",
    "CredentialsArn",
    "Description",
    "IntegrationId",
    "IntegrationMethod",
    "IntegrationResponseSelectionExpression",
    "IntegrationSubtype",
    "IntegrationType",
    "IntegrationUri",
    "PassthroughBehavior",
    "PayloadFormatVersion",
    "RequestParameters",
    "RequestTemplates",
    "ResponseParameters",
    "TemplateSelectionExpression",
    "TimeoutInMillis",
    "TlsConfig",
]
SEED_TLS_KEYS = ["ServerNameToVerify"]

# Enumerations of the Response Syntax; each value must show up at least once.
SEED_ENUMS = {
    "ConnectionType": {"INTERNET", "VPC_LINK"},
    "ContentHandlingStrategy": {"CONVERT_TO_BINARY", "CONVERT_TO_TEXT"},
    "IntegrationType": {"AWS", "HTTP", "MOCK", "HTTP_PROXY", "AWS_PROXY"},
    "PassthroughBehavior": {"WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"},
    "PayloadFormatVersion": {"1.0", "2.0"},
}

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = "arn:aws:iam::%s:role/apigw-invoke" % ACCOUNT
HTTP_TIMEOUTS = [50, 51, 1000, 2999, 15000, 29999, 30000]
WS_TIMEOUTS = [50, 99, 1000, 5000, 28999, 29000]

# Mismatch bookkeeping: every mismatch is recorded, printed at most once per
# group and at most MAX_PRINTED times in all.
MISMATCHES = []
GROUPS = {}
PRINTED = [0]
MAX_PRINTED = 30


def fail(msg):
    """Stops at once: the scenario cannot go on."""
    print("FAIL: " + msg, file=sys.stderr)
    report()
    sys.exit(1)


def check(cond, msg, group=None):
    """Records a mismatch and goes on, so one run shows every problem.
    Mismatches with the same group are printed once and counted."""
    if cond:
        return True
    MISMATCHES.append(msg)
    if group is not None:
        GROUPS[group] = GROUPS.get(group, 0) + 1
        if GROUPS[group] > 1:
            return False
    PRINTED[0] += 1
    if PRINTED[0] <= MAX_PRINTED:
        print("MISMATCH: " + msg, file=sys.stderr)
    return False


def report():
    for g, n in GROUPS.items():
        if n > 1:
            print("(the mismatch %r repeated for %d more items)" % (g, n - 1), file=sys.stderr)
    if PRINTED[0] > MAX_PRINTED:
        print("... and %d more distinct mismatches" % (PRINTED[0] - MAX_PRINTED), file=sys.stderr)
    if MISMATCHES:
        print("FAIL: %d mismatches" % len(MISMATCHES), file=sys.stderr)


def lambda_arn(name):
    return "arn:aws:lambda:%s:%s:function:%s" % (REGION, ACCOUNT, name)


def lambda_invoke_uri(name):
    return ("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations"
            % (REGION, lambda_arn(name)))


def client():
    endpoint = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("GATEHOUSE_ENDPOINT")
    if not endpoint:
        fail("usage: seed_paginator.py ENDPOINT_URL")
    cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                 connect_timeout=5, read_timeout=30)
    return boto3.client("apigatewayv2", endpoint_url=endpoint, region_name=REGION, config=cfg)


# --- what each integration is created with ---------------------------------

def http_api_specs(vpc_link_id, n):
    """n create_integration kwargs for an HTTP API, cycling through variants."""
    specs = []
    for i in range(n):
        v = i % 6
        t = HTTP_TIMEOUTS[i % len(HTTP_TIMEOUTS)]
        if v == 0:  # HTTP_PROXY over the internet, request + response parameter mapping
            s = {
                "IntegrationType": "HTTP_PROXY",
                "IntegrationUri": "https://backend-%d.example.com/items" % i,
                "IntegrationMethod": ["GET", "POST", "ANY", "PUT", "DELETE", "PATCH"][i % 6],
                "PayloadFormatVersion": "1.0",
                "Description": "http proxy %d" % i,
                "TimeoutInMillis": t,
                "RequestParameters": {
                    "append:header.x-seed": "$request.header.x-in",
                    "overwrite:path": "/v2/$request.path.proxy",
                    "remove:querystring.q": "''",
                },
                "ResponseParameters": {
                    "404": {"overwrite:statuscode": "200"},
                    "500": {"append:header.x-err": "$response.header.x"},
                },
            }
        elif v == 1:  # private integration through the VPC link, with TLS
            s = {
                "IntegrationType": "HTTP_PROXY",
                "ConnectionType": "VPC_LINK",
                "ConnectionId": vpc_link_id,
                "IntegrationUri": ("arn:aws:elasticloadbalancing:%s:%s:listener/app/lb-%d/50dc6c495c0c9188/0467ef3c8400ae65"
                                   % (REGION, ACCOUNT, i)),
                "IntegrationMethod": "ANY",
                "TlsConfig": {"ServerNameToVerify": "backend-%d.internal.example.com" % i},
                "Description": "private %d" % i,
                "TimeoutInMillis": t,
            }
        elif v == 2:  # Lambda proxy, payload 2.0, IntegrationMethod defaulted
            s = {
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": lambda_arn("fn-%d" % i),
                "PayloadFormatVersion": "2.0",
            }
            if i % 4 == 0:
                s["TimeoutInMillis"] = t
        elif v == 3:  # AWS service integration (subtype)
            s = {
                "IntegrationType": "AWS_PROXY",
                "IntegrationSubtype": "SQS-SendMessage",
                "CredentialsArn": ROLE,
                "PayloadFormatVersion": "1.0",
                "RequestParameters": {
                    "QueueUrl": "$request.header.queueUrl",
                    "MessageBody": "$request.body.message",
                },
                "Description": "sqs %d" % i,
            }
        elif v == 4:  # Lambda proxy through the invocation-path ARN, payload 1.0, explicit method
            s = {
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": lambda_invoke_uri("path-fn-%d" % i),
                "IntegrationMethod": "POST",
                "PayloadFormatVersion": "1.0",
                "CredentialsArn": ROLE,
                "TimeoutInMillis": t,
            }
        else:  # the most defaulted HTTP_PROXY: no payload version, no timeout, no connection type
            s = {
                "IntegrationType": "HTTP_PROXY",
                "IntegrationUri": "http://plain-%d.example.com" % i,
                "IntegrationMethod": "GET",
            }
        specs.append(s)
    return specs


def ws_api_specs(n):
    """n create_integration kwargs for a WebSocket API, cycling through variants."""
    passthrough = ["WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"]
    handling = ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"]
    specs = []
    for i in range(n):
        v = i % 6
        t = WS_TIMEOUTS[i % len(WS_TIMEOUTS)]
        if v == 0:  # Lambda custom integration with templates
            s = {
                "IntegrationType": "AWS",
                "IntegrationUri": lambda_invoke_uri("ws-fn-%d" % i),
                "IntegrationMethod": "POST",
                "CredentialsArn": ROLE,
                "PassthroughBehavior": passthrough[(i // 6) % 3],
                "ContentHandlingStrategy": handling[(i // 6) % 2],
                "RequestTemplates": {
                    "application/json": '{"action": $input.json(\'$.action\'), "n": %d}' % i,
                    "text/plain": "$input.body",
                },
                "TemplateSelectionExpression": "\\$default",
                "Description": "ws aws %d" % i,
                "TimeoutInMillis": t,
            }
        elif v == 1:  # HTTP custom integration with request parameters
            s = {
                "IntegrationType": "HTTP",
                "IntegrationUri": "https://ws-backend-%d.example.com/messages" % i,
                "IntegrationMethod": "PUT",
                "RequestParameters": {
                    "integration.request.header.x": "route.request.header.y",
                    "integration.request.querystring.conn": "context.connectionId",
                },
                "PassthroughBehavior": passthrough[(i // 6 + 1) % 3],
                "ContentHandlingStrategy": handling[(i // 6 + 1) % 2],
                "TemplateSelectionExpression": "$request.body.kind",
                "TimeoutInMillis": t,
            }
        elif v == 2:  # MOCK with defaulted passthrough behaviour
            s = {
                "IntegrationType": "MOCK",
                "RequestTemplates": {"application/json": '{"statusCode": 200}'},
                "TemplateSelectionExpression": "200",
                "Description": "mock %d" % i,
            }
        elif v == 3:  # Lambda proxy, IntegrationMethod defaulted
            s = {
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": lambda_invoke_uri("ws-proxy-%d" % i),
                "ContentHandlingStrategy": handling[(i // 6) % 2],
                "TimeoutInMillis": t,
            }
        elif v == 4:  # HTTP proxy
            s = {
                "IntegrationType": "HTTP_PROXY",
                "IntegrationUri": "https://ws-proxy-%d.example.com" % i,
                "IntegrationMethod": "ANY",
                "Description": "ws http proxy %d" % i,
            }
        else:  # AWS service action, explicit payload version and defaulted passthrough
            s = {
                "IntegrationType": "AWS",
                "IntegrationUri": "arn:aws:apigateway:%s:sqs:path/%s/queue-%d" % (REGION, ACCOUNT, i),
                "IntegrationMethod": "POST",
                "CredentialsArn": ROLE,
                "PayloadFormatVersion": "1.0",
                "RequestParameters": {"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"},
                "RequestTemplates": {"$default": "Action=SendMessage&MessageBody=$input.body"},
                "TemplateSelectionExpression": "\\$default",
                "TimeoutInMillis": t,
            }
        specs.append(s)
    return specs


# An expected item is a dict of the exact keys and values GetIntegrations must
# return, plus, under the key OPTIONAL, a dict of keys AWS may or may not
# return: key -> set of allowed values, or None for any non-empty string.
OPTIONAL = "__optional__"

# IntegrationResponseSelectionExpression cannot be sent (it is not a
# CreateIntegration input); API Gateway computes it for WebSocket integrations
# that are not proxies. Observed AWS values: MOCK integrations get
# ${integration.response.statuscode} (AWS CLI create-integration example and
# real GetIntegrations output), Lambda custom (AWS) integrations get
# ${integration.response.body.errorMessage}; AWS_PROXY integrations have none.
IRSE_STATUS = "${integration.response.statuscode}"
IRSE_LAMBDA = "${integration.response.body.errorMessage}"


def is_lambda_uri(uri):
    return ":lambda:" in uri and ":function:" in uri


def with_defaults(spec, protocol, integration_id):
    """The item GetIntegrations must return for an integration created with spec."""
    exp = json.loads(json.dumps(spec))
    optional = {}
    exp["IntegrationId"] = integration_id
    exp.setdefault("ConnectionType", "INTERNET")
    exp.setdefault("TimeoutInMillis", 30000 if protocol == "HTTP" else 29000)
    exp.setdefault("PayloadFormatVersion", "1.0")
    t = exp["IntegrationType"]
    uri = exp.get("IntegrationUri", "")
    if t == "AWS_PROXY" and "IntegrationSubtype" not in exp:
        exp.setdefault("IntegrationMethod", "POST")  # Lambda proxy
    if protocol == "WEBSOCKET":
        if t in ("AWS", "HTTP", "MOCK"):
            exp.setdefault("PassthroughBehavior", "WHEN_NO_MATCH")
        elif "PassthroughBehavior" not in exp:
            # Real AWS output shows WHEN_NO_MATCH on WebSocket Lambda proxies too.
            optional["PassthroughBehavior"] = {"WHEN_NO_MATCH"}
        if t == "MOCK":
            exp["IntegrationResponseSelectionExpression"] = IRSE_STATUS
        elif t == "AWS" and is_lambda_uri(uri):
            exp["IntegrationMethod"] = exp.get("IntegrationMethod", "POST")
            exp["IntegrationResponseSelectionExpression"] = IRSE_LAMBDA
        elif t in ("AWS", "HTTP", "HTTP_PROXY"):
            optional["IntegrationResponseSelectionExpression"] = None  # AWS's value is undocumented
    exp[OPTIONAL] = optional
    return exp


def normalize(item):
    """Drops ApiGatewayManaged=False: AWS omits it for unmanaged integrations."""
    item = dict(item)
    if item.get("ApiGatewayManaged") is False:
        del item["ApiGatewayManaged"]
    return item


def diff_group(label, d):
    """Groups per-item mismatches by where they were seen and which keys differ."""
    return (label.split(" ")[0], tuple(sorted(line.split()[1] if line.split()[0] in ("missing", "unexpected") else line.split()[0] for line in d.splitlines())))


def diff(want, got):
    optional = want.get(OPTIONAL, {})
    lines = []
    for k in sorted((set(want) - {OPTIONAL}) | set(got)):
        if k in optional and k not in want:
            allowed = optional[k]
            ok = got[k] in allowed if allowed is not None else isinstance(got[k], str) and got[k] != ""
            if not ok:
                lines.append("  %s = %r, want one of %r" % (k, got[k], allowed or "non-empty string"))
        elif k not in got:
            lines.append("  missing %s (want %r)" % (k, want[k]))
        elif k not in want:
            lines.append("  unexpected %s = %r" % (k, got[k]))
        elif want[k] != got[k]:
            lines.append("  %s: want %r, got %r" % (k, want[k], got[k]))
    return "\n".join(lines)


# --- scenario ---------------------------------------------------------------

def create_integrations(c, api_id, protocol, specs):
    expected = {}
    for s in specs:
        try:
            resp = c.create_integration(ApiId=api_id, **s)
        except ClientError as e:
            fail("create_integration(%s) on %s API: %s" % (json.dumps(s), protocol, e))
        resp.pop("ResponseMetadata", None)
        iid = resp.get("IntegrationId")
        if not iid:
            fail("create_integration returned no IntegrationId: %r" % resp)
        check(iid not in expected, "duplicate IntegrationId %s" % iid)
        exp = with_defaults(s, protocol, iid)
        d = diff(exp, normalize(resp))
        check(not d, "create_integration response for %s differs from request + defaults:\n%s" % (iid, d),
              group=diff_group("create_integration(%s)" % protocol, d))
        expected[iid] = exp
    return expected


def collect(c, api_id, **config):
    pages = list(c.get_paginator("get_integrations").paginate(ApiId=api_id, PaginationConfig=config))
    items = [it for p in pages for it in p.get("Items", [])]
    return pages, items


def check_items(label, items, expected):
    ids = [it["IntegrationId"] for it in items]
    check(len(ids) == len(set(ids)), "%s: duplicate IntegrationIds in listing" % label)
    check(set(ids) == set(expected),
          "%s: listed %d ids, expected %d; missing %s, unexpected %s"
          % (label, len(ids), len(expected), sorted(set(expected) - set(ids))[:5], sorted(set(ids) - set(expected))[:5]))
    for it in items:
        d = diff(expected[it["IntegrationId"]], normalize(it))
        check(not d, "%s: item %s differs from create request + defaults:\n%s" % (label, it["IntegrationId"], d),
              group=diff_group(label, d))


def check_api(c, label, api_id, expected):
    total = len(expected)

    # Page size 7: every page but the last holds exactly 7 items and a NextToken.
    pages, items = collect(c, api_id, PageSize=7)
    check(len(pages) == (total + 6) // 7, "%s: PageSize=7 over %d items gave %d pages" % (label, total, len(pages)))
    for n, p in enumerate(pages):
        last = n == len(pages) - 1
        want = total - 7 * n if last else 7
        check(len(p["Items"]) == want, "%s: page %d has %d items, want %d" % (label, n, len(p["Items"]), want))
        check(("NextToken" in p) != last, "%s: page %d NextToken present=%s" % (label, n, "NextToken" in p))
    check_items(label + " PageSize=7", items, expected)

    # MaxItems 25 / PageSize 10, then resume from the token.
    first = c.get_paginator("get_integrations").paginate(
        ApiId=api_id, PaginationConfig={"MaxItems": 25, "PageSize": 10}).build_full_result()
    check(len(first.get("Items", [])) == 25, "%s: MaxItems=25 returned %d items" % (label, len(first.get("Items", []))))
    token = first.get("NextToken")
    if not token:
        fail("%s: MaxItems=25 of %d items returned no NextToken" % (label, total))
    rest = c.get_paginator("get_integrations").paginate(
        ApiId=api_id, PaginationConfig={"StartingToken": token, "PageSize": 10}).build_full_result()
    check("NextToken" not in rest, "%s: resumed listing still has a NextToken" % label)
    check(len(rest.get("Items", [])) == total - 25,
          "%s: resumed listing returned %d items, want %d" % (label, len(rest.get("Items", [])), total - 25))
    union = first["Items"] + rest["Items"]
    check_items(label + " MaxItems=25+resume", union, expected)
    check([i["IntegrationId"] for i in union] == [i["IntegrationId"] for i in items],
          "%s: MaxItems+resume order differs from the PageSize=7 order" % label)

    # Page size larger than the collection (and than Gatehouse's 500 cap): one page.
    for size in (total + 1, 1000):
        pages, big = collect(c, api_id, PageSize=size)
        check(len(pages) == 1 and "NextToken" not in pages[0],
              "%s: PageSize=%d over %d items gave %d pages" % (label, size, total, len(pages)))
        check_items("%s PageSize=%d" % (label, size), big, expected)

    # build_full_result() with no config.
    full = c.get_paginator("get_integrations").paginate(ApiId=api_id).build_full_result()
    check("NextToken" not in full, "%s: build_full_result left a NextToken" % label)
    check_items(label + " build_full_result", full.get("Items", []), expected)

    # Single get_integration agrees with the listing.
    some = items[len(items) // 2]
    one = c.get_integration(ApiId=api_id, IntegrationId=some["IntegrationId"])
    one.pop("ResponseMetadata", None)
    d = diff(dict(normalize(some), **{OPTIONAL: {}}), normalize(one))
    check(not d, "%s: get_integration(%s) differs from its listing item:\n%s" % (label, some["IntegrationId"], d))
    return items


def main():
    c = client()

    link = c.create_vpc_link(Name="seed-link", SubnetIds=["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
                             SecurityGroupIds=["sg-0123456789abcdef0"])
    vpc_link_id = link["VpcLinkId"]

    # 1. A plain HTTP API.
    http_api = c.create_api(Name="seed-http", ProtocolType="HTTP")["ApiId"]
    http_expected = create_integrations(c, http_api, "HTTP", http_api_specs(vpc_link_id, 64))

    # 2. A quick-created HTTP API: its Lambda integration is managed by API Gateway.
    target = lambda_arn("quick-create")
    quick = c.create_api(Name="seed-quick", ProtocolType="HTTP", Target=target, CredentialsArn=ROLE)
    quick_api = quick["ApiId"]
    routes = c.get_routes(ApiId=quick_api)["Items"]
    if len(routes) != 1:
        fail("quick create made %d routes, want 1" % len(routes))
    check(routes[0].get("RouteKey") == "$default", "quick-create route key %r" % routes[0].get("RouteKey"))
    managed_id = routes[0].get("Target", "").removeprefix("integrations/")
    if not managed_id:
        fail("quick-create route has no integrations/ target: %r" % routes[0])
    quick_expected = {managed_id: {
        OPTIONAL: {},
        "ApiGatewayManaged": True,
        "ConnectionType": "INTERNET",
        "CredentialsArn": ROLE,
        "IntegrationId": managed_id,
        "IntegrationMethod": "POST",
        "IntegrationType": "AWS_PROXY",
        "IntegrationUri": target,
        "PayloadFormatVersion": "2.0",
        "TimeoutInMillis": 30000,
    }}
    quick_expected.update(create_integrations(c, quick_api, "HTTP", http_api_specs(vpc_link_id, 61)))
    try:
        c.delete_integration(ApiId=quick_api, IntegrationId=managed_id)
        check(False, "delete_integration of the managed integration %s succeeded" % managed_id)
    except ClientError as e:
        check(e.response["Error"]["Code"] == "BadRequestException",
              "deleting a managed integration: want BadRequestException, got %s" % e.response["Error"]["Code"])

    # 3. A WebSocket API.
    ws_api = c.create_api(Name="seed-ws", ProtocolType="WEBSOCKET",
                          RouteSelectionExpression="$request.body.action")["ApiId"]
    ws_expected = create_integrations(c, ws_api, "WEBSOCKET", ws_api_specs(63))

    observed_keys, observed_tls, observed_enums = set(), set(), {k: set() for k in SEED_ENUMS}
    for label, api_id, expected in (("HTTP API", http_api, http_expected),
                                    ("quick-created HTTP API", quick_api, quick_expected),
                                    ("WebSocket API", ws_api, ws_expected)):
        check(len(expected) >= 60, "%s has only %d integrations" % (label, len(expected)))
        items = check_api(c, label, api_id, expected)
        for it in items:
            observed_keys.update(it)
            observed_tls.update(it.get("TlsConfig", {}))
            for k in SEED_ENUMS:
                if k in it:
                    observed_enums[k].add(it[k])
        print("%s %s: %d integrations checked" % (label, api_id, len(items)))

    # Every key of the seed's Response Syntax was returned at least once.
    missing = [k for k in SEED_ITEM_KEYS if k not in observed_keys]
    check(not missing, "Response Syntax keys never returned by GetIntegrations: %s" % missing)
    extra = sorted(observed_keys - set(SEED_ITEM_KEYS))
    check(not extra, "GetIntegrations returned keys outside the Response Syntax: %s" % extra)
    missing = [k for k in SEED_TLS_KEYS if k not in observed_tls]
    check(not missing, "TlsConfig keys never returned: %s" % missing)
    for k, values in SEED_ENUMS.items():
        check(observed_enums[k] == values, "%s: observed %s, want every one of %s"
              % (k, sorted(observed_enums[k]), sorted(values)))

    # An unknown API id is a NotFoundException, also through the paginator.
    try:
        list(c.get_paginator("get_integrations").paginate(ApiId="nosuchapi0"))
        check(False, "paginating an unknown API succeeded")
    except ClientError as e:
        check(e.response["Error"]["Code"] == "NotFoundException",
              "unknown API: want NotFoundException, got %s" % e.response["Error"]["Code"])
    report()
    if MISMATCHES:
        sys.exit(1)
    print("OK: all %d Response Syntax keys observed" % len(SEED_ITEM_KEYS))


if __name__ == "__main__":
    main()
