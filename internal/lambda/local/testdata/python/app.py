import os


def handler(event, context):
    print("python got", event)
    if event.get("error"):
        raise ValueError(event["error"])
    return {"echo": event.get("echo"), "requestId": context.aws_request_id,
            "remaining": context.get_remaining_time_in_millis() > 0, "root": os.environ["LAMBDA_TASK_ROOT"]}
