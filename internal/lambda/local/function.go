package local

import (
	"time"
)

// Function is what the runner needs to know to run a function. The
// management service registers one with Runner.Put whenever a function is
// created or changed; instances started for an older Function are replaced.
type Function struct {
	Region string
	Name   string
	// ARN is the unqualified function ARN
	// (arn:aws:lambda:{region}:{account}:function:{name}).
	ARN string
	// Runtime is a Lambda runtime identifier (see Runtimes).
	Runtime string
	// Handler is the function's handler setting ("index.handler"); ignored by
	// provided.* runtimes except as _HANDLER.
	Handler string
	// CodeDir is the directory holding the function's code (LAMBDA_TASK_ROOT).
	CodeDir string
	// Watch reloads the function when the contents of CodeDir change: the
	// next invocation after a change starts a new instance (directory mode).
	Watch bool
	// Timeout is the function's timeout (Lambda: 1 s to 900 s, default 3 s).
	Timeout time.Duration
	// MemoryMB is reported to the function (AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
	// it is not enforced.
	MemoryMB int
	// Env holds the function's environment variables; Lambda's reserved
	// variables are set by the runner and take precedence.
	Env map[string]string
	// Reserved is the function's reserved concurrency; nil means the
	// runner's default. 0 throttles every invocation, as in Lambda.
	Reserved *int
	// Revision identifies the function's code and configuration; a change
	// replaces its instances.
	Revision string
}

// key identifies a function within the runner.
func (f *Function) key() string { return f.Region + "/" + f.Name }
