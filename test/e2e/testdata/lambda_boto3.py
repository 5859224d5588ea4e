"""Drive Gatehouse's Lambda API with boto3 and check what AWS would answer."""
import base64
import io
import json
import sys
import time
import zipfile

import boto3

endpoint = sys.argv[1]
client = boto3.client("lambda", endpoint_url=endpoint, region_name="us-east-1")

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("app.py", "def handler(event, context):\n"
                         "    print('seen', event)\n"
                         "    if event.get('fail'):\n"
                         "        raise KeyError('missing thing')\n"
                         "    return {'echo': event.get('echo'), 'id': context.aws_request_id}\n")
created = client.create_function(FunctionName="py-fn", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                                 Handler="app.handler", Code={"ZipFile": buf.getvalue()}, Timeout=10)
assert created["State"] == "Active", created
assert created["Runtime"] == "python3.12", created

res = client.invoke(FunctionName="py-fn", Payload=json.dumps({"echo": "boto"}), LogType="Tail")
payload = json.loads(res["Payload"].read())
logs = base64.b64decode(res["LogResult"]).decode()
assert res["StatusCode"] == 200 and "FunctionError" not in res, res
assert payload["echo"] == "boto", payload
assert "seen {'echo': 'boto'}" in logs and ("START RequestId: " + payload["id"]) in logs, logs

res = client.invoke(FunctionName="py-fn", Payload=json.dumps({"fail": True}))
err = json.loads(res["Payload"].read())
assert res["FunctionError"] == "Unhandled", res
assert err["errorType"] == "KeyError" and err["errorMessage"] == "'missing thing'", err

res = client.invoke(FunctionName="py-fn", InvocationType="Event", Payload=b"{}")
assert res["StatusCode"] == 202, res
res = client.invoke(FunctionName="py-fn", InvocationType="DryRun")
assert res["StatusCode"] == 204, res

try:
    client.get_function(FunctionName="nope")
    raise SystemExit("get_function of a missing function succeeded")
except client.exceptions.ResourceNotFoundException as e:
    assert "Function not found" in str(e), e

try:
    client.create_function(FunctionName="py-fn", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                           Handler="app.handler", Code={"ZipFile": buf.getvalue()})
    raise SystemExit("duplicate create_function succeeded")
except client.exceptions.ResourceConflictException:
    pass

try:
    client.create_function(FunctionName="bad-zip", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                           Handler="app.handler", Code={"ZipFile": b"this is not a zip"})
    raise SystemExit("create_function with a bad zip succeeded")
except client.exceptions.InvalidParameterValueException as e:
    assert "Could not unzip" in str(e), e

client.add_permission(FunctionName="py-fn", StatementId="s1", Action="lambda:InvokeFunction",
                      Principal="apigateway.amazonaws.com")
policy = json.loads(client.get_policy(FunctionName="py-fn")["Policy"])
assert policy["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}, policy

for i in range(3):
    client.create_function(FunctionName="more-%d" % i, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                           Handler="app.handler", Code={"ZipFile": buf.getvalue()})
names = []
for page in client.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2}):
    names += [f["FunctionName"] for f in page["Functions"]]
assert names == ["py-fn", "more-0", "more-1", "more-2"], names

client.update_function_configuration(FunctionName="py-fn", Environment={"Variables": {"A": "1"}})
conf = client.get_function_configuration(FunctionName="py-fn")
assert conf["Environment"]["Variables"] == {"A": "1"}, conf
client.delete_function(FunctionName="py-fn")
print("OK lambda")
