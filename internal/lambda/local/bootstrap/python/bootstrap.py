"""Gatehouse's Python runtime bootstrap.

It imports the handler named by _HANDLER ("dir/module.function") from
LAMBDA_TASK_ROOT and serves events from the Lambda Runtime API (2018-06-01)
at AWS_LAMBDA_RUNTIME_API. Errors are reported as Lambda's Python runtime
reports them: {"errorMessage","errorType","requestId","stackTrace"}.
"""
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "")
BASE = "/2018-06-01/runtime"
_conn = None


def call(method, path, body=None, headers=None):
    """One request to the Runtime API over a kept-alive connection."""
    global _conn
    for attempt in (0, 1):
        if _conn is None:
            host, _, port = API.rpartition(":")
            _conn = http.client.HTTPConnection(host, int(port))
        try:
            _conn.request(method, BASE + path, body=body, headers=headers or {})
            resp = _conn.getresponse()
            data = resp.read()
            return resp.status, resp.headers, data
        except (http.client.HTTPException, OSError):
            _conn.close()
            _conn = None
            if attempt:
                raise


def post_json(path, doc, error_type=None):
    headers = {"Content-Type": "application/json"}
    if error_type:
        headers["Lambda-Runtime-Function-Error-Type"] = error_type
    return call("POST", path, json.dumps(doc).encode(), headers)


def error_document(exc, request_id=None, error_type=None):
    doc = {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:]),
    }
    if request_id:
        doc["requestId"] = request_id
    return doc


class _RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = _RequestIdFilter.request_id
        return True


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None
        cc = headers.get("Lambda-Runtime-Client-Context")
        if cc:
            try:
                self.client_context = json.loads(cc)
            except ValueError:
                pass
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class InitError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_path, _, function = spec.rpartition(".")
    if not module_path or not function:
        raise InitError("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack" % spec)
    root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    sys.path.insert(0, root)
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as e:
        raise InitError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, e))
    except ImportError as e:
        raise InitError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
    try:
        return getattr(module, function)
    except AttributeError:
        raise InitError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function, module_name))


def main():
    setup_logging()
    try:
        handler = load_handler()
    except InitError as e:
        print("[ERROR] %s: %s" % (e.error_type, e), flush=True)
        post_json("/init/error", {"errorMessage": str(e), "errorType": e.error_type, "requestId": "", "stackTrace": []},
                  e.error_type)
        sys.exit(1)
    except Exception as e:  # an exception raised while importing the module
        doc = error_document(e)
        print("[ERROR] %s: %s" % (doc["errorType"], e), flush=True)
        post_json("/init/error", doc, doc["errorType"])
        sys.exit(1)
    while True:
        status, headers, body = call("GET", "/invocation/next")
        if status != 200:
            sys.exit(1)
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        _RequestIdFilter.request_id = request_id
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("Lambda-Runtime-Trace-Id") or ""
        try:
            event = json.loads(body) if body else None
        except ValueError as e:
            post_json("/invocation/%s/error" % request_id,
                      {"errorMessage": "Unable to unmarshal input: %s" % e, "errorType": "Runtime.UnmarshalError",
                       "requestId": request_id, "stackTrace": []}, "Runtime.UnmarshalError")
            continue
        try:
            result = handler(event, LambdaContext(headers))
            out = json.dumps(result).encode()
        except Exception as e:
            doc = error_document(e, request_id)
            if isinstance(e, TypeError) and "is not JSON serializable" in str(e):
                doc["errorType"] = "Runtime.MarshalError"
                doc["errorMessage"] = "Unable to marshal response: " + str(e)
            print("[ERROR] %s: %s" % (doc["errorType"], doc["errorMessage"]), flush=True)
            post_json("/invocation/%s/error" % request_id, doc, doc["errorType"])
            continue
        sys.stdout.flush()
        call("POST", "/invocation/%s/response" % request_id, out, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
