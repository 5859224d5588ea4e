package local

import (
	"os"
	"strconv"
	"strings"
)

// ReservedEnv lists the environment variables Lambda sets itself and refuses
// in a function's configuration.
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
var ReservedEnv = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
}

// environment builds an instance's environment: the function's variables,
// then Lambda's own (which win). Nothing else of Gatehouse's environment is
// inherited except PATH. _LAMBDA_SERVER_PORT is never set: it would switch
// aws-lambda-go functions to the retired go1.x RPC protocol.
func (r *Runner) environment(fn *Function, api string) []string {
	env := make([]string, 0, len(fn.Env)+24)
	for k, v := range fn.Env {
		if k == "_LAMBDA_SERVER_PORT" {
			continue
		}
		env = append(env, k+"="+v)
	}
	set := func(k, v string) { env = append(env, k+"="+v) }
	if _, ok := fn.Env["PATH"]; !ok {
		set("PATH", os.Getenv("PATH"))
	}
	if _, ok := fn.Env["LANG"]; !ok {
		set("LANG", "en_US.UTF-8")
	}
	if _, ok := fn.Env["TZ"]; !ok {
		set("TZ", ":UTC")
	}
	now := r.cfg.Now().UTC()
	set("AWS_LAMBDA_RUNTIME_API", api)
	set("AWS_LAMBDA_FUNCTION_NAME", fn.Name)
	set("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
	set("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", strconv.Itoa(fn.MemoryMB))
	set("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/"+fn.Name)
	set("AWS_LAMBDA_LOG_STREAM_NAME", now.Format("2006/01/02")+"/[$LATEST]"+strings.ReplaceAll(newRequestID(), "-", ""))
	set("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
	set("AWS_REGION", fn.Region)
	set("AWS_DEFAULT_REGION", fn.Region)
	set("_HANDLER", fn.Handler)
	set("LAMBDA_TASK_ROOT", fn.CodeDir)
	set("LAMBDA_RUNTIME_DIR", r.bootstrapDir)
	if runtimes[fn.Runtime] != kindProvided {
		set("AWS_EXECUTION_ENV", "AWS_Lambda_"+fn.Runtime)
	}
	for k, v := range r.cfg.Credentials {
		set(k, v)
	}
	return env
}
