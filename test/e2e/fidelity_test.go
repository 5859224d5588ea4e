package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestFidelityLambdaModelConstraints: Lambda checks every input against its
// model's constraints (lengths and patterns, in the body and in the path) and
// answers a ValidationException whose text names the member in lower camel
// case. The texts are those real Lambda answers (aws/aws-cli#3229,
// dbuarque/repack-lambda#3, ryansb/acm-certs-cloudformation#4).
func TestFidelityLambdaModelConstraints(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	g := startGatehouse(t, Options{})
	zip := zipFiles(t, map[string]string{"index.py": "def handler(event, context):\n    return event\n"})

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"role that is not a role ARN",
			[]string{"lambda", "create-function", "--function-name", "f", "--runtime", "python3.12",
				"--handler", "index.handler", "--role", "lambda-role", "--zip-file", "fileb://" + zip},
			`1 validation error detected: Value 'lambda-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: ` +
				`arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`},
		{"runtime outside the enum",
			[]string{"lambda", "create-function", "--function-name", "f", "--runtime", "cobol85",
				"--handler", "index.handler", "--role", "arn:aws:iam::000000000000:role/r", "--zip-file", "fileb://" + zip},
			`1 validation error detected: Value 'cobol85' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [`},
		{"description over 256 characters",
			[]string{"lambda", "create-function", "--function-name", "f", "--runtime", "python3.12",
				"--handler", "index.handler", "--role", "arn:aws:iam::000000000000:role/r", "--zip-file", "fileb://" + zip,
				"--description", strings.Repeat("d", 257)},
			`at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`},
		{"function name in the path",
			[]string{"lambda", "get-function", "--function-name", "no such name"},
			`1 validation error detected: Value 'no such name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: `},
		{"header outside the enum",
			[]string{"lambda", "invoke", "--function-name", "f", "--log-type", "Full", "/dev/null"},
			`1 validation error detected: Value 'Full' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`},
	} {
		r := runAWS(t, g, tc.args...)
		if r.Code == 0 || !strings.Contains(r.Stderr, "(ValidationException)") || !strings.Contains(r.Stderr, tc.want) {
			t.Errorf("%s: aws %s: exit %d\nstderr: %s\nwant a ValidationException containing: %s", tc.name, tc.args[1], r.Code, r.Stderr, tc.want)
		}
	}
	// The valid request still succeeds.
	mustAWS(t, g, "lambda", "create-function", "--function-name", "f", "--runtime", "python3.12",
		"--handler", "index.handler", "--role", "arn:aws:iam::000000000000:role/r", "--zip-file", "fileb://"+zip,
		"--description", strings.Repeat("d", 256))
}

// TestFidelityLambdaNoContent: Lambda's 204 answers (a DryRun Invoke,
// DeleteFunctionConcurrency, RemovePermission, DeleteFunction) carry no error
// headers, and Gatehouse does not log them as internal errors.
func TestFidelityLambdaNoContent(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	g := startGatehouse(t, Options{})
	zip := zipFiles(t, map[string]string{"index.py": "def handler(event, context):\n    return event\n"})
	mustAWS(t, g, "lambda", "create-function", "--function-name", "f", "--runtime", "python3.12",
		"--handler", "index.handler", "--role", "arn:aws:iam::000000000000:role/r", "--zip-file", "fileb://"+zip)
	mustAWS(t, g, "lambda", "add-permission", "--function-name", "f", "--statement-id", "s1",
		"--action", "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com")
	mustAWS(t, g, "lambda", "put-function-concurrency", "--function-name", "f", "--reserved-concurrent-executions", "2")

	for _, c := range []struct {
		method, path string
		hdr          []string
	}{
		{http.MethodPost, "/2015-03-31/functions/f/invocations", []string{"X-Amz-Invocation-Type", "DryRun"}},
		{http.MethodDelete, "/2017-10-31/functions/f/concurrency", nil},
		{http.MethodDelete, "/2015-03-31/functions/f/policy/s1", nil},
		{http.MethodDelete, "/2015-03-31/functions/f", nil},
	} {
		r := g.call(t, c.method, c.path, nil, c.hdr...)
		if r.Status != http.StatusNoContent || r.Header.Get("x-amzn-ErrorType") != "" || len(r.Body) != 0 {
			t.Errorf("%s %s = %d, x-amzn-ErrorType %q, body %q; want a bare 204", c.method, c.path,
				r.Status, r.Header.Get("x-amzn-ErrorType"), r.Body)
		}
	}
	if strings.Contains(g.Logs(), "internal error") {
		t.Errorf("internal errors logged:\n%s", interestingLogs(g.Logs()))
	}
}
