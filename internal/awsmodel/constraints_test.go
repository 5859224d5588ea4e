package awsmodel

import (
	"strings"
	"testing"
)

// TestDecodeBodyStringConstraints checks the constraints Lambda's model puts on
// strings and lists (length and pattern), and that problems name the
// member as AWS's messages do: the member name with its first letter lowered
// ("role", "kMSKeyArn"), not the PascalCase JSON key Lambda uses on the wire.
// The texts are those real Lambda answers (for example aws/aws-cli#3229,
// dbuarque/repack-lambda#3).
func TestDecodeBodyStringConstraints(t *testing.T) {
	in := Lambda().Operations["CreateFunction"].Input
	const valid = `"FunctionName":"f","Role":"arn:aws:iam::123456789012:role/r","Code":{"ZipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}`
	for _, tc := range []struct {
		name, body string
		want       string // the whole message; "" = valid
	}{
		{"valid", `{` + valid + `,"Handler":"index.handler","Description":""}`, ""},
		{"missing members", `{}`, "3 validation errors detected: " +
			"Value null at 'code' failed to satisfy constraint: Member must not be null; " +
			"Value null at 'functionName' failed to satisfy constraint: Member must not be null; " +
			"Value null at 'role' failed to satisfy constraint: Member must not be null"},
		{"role pattern", `{"FunctionName":"f","Role":"badrole","Code":{}}`,
			`1 validation error detected: Value 'badrole' at 'role' failed to satisfy constraint: ` +
				`Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`},
		{"runtime enum", `{` + valid + `,"Runtime":"cobol85"}`,
			"1 validation error detected: Value 'cobol85' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ["},
		{"description length", `{` + valid + `,"Description":"` + strings.Repeat("x", 257) + `"}`,
			"1 validation error detected: Value '" + strings.Repeat("x", 257) + "' at 'description' failed to satisfy constraint: " +
				"Member must have length less than or equal to 256"},
		{"handler pattern", `{` + valid + `,"Handler":"a b"}`,
			`1 validation error detected: Value 'a b' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\s]+`},
		{"nested", `{` + valid + `,"TracingConfig":{"Mode":"Sometimes"}}`,
			"1 validation error detected: Value 'Sometimes' at 'tracingConfig.mode' failed to satisfy constraint: Member must satisfy enum value set: [Active, PassThrough]"},
		{"list length", `{` + valid + `,"Architectures":["x86_64","arm64"]}`,
			"1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1"},
		{"length and pattern", `{"FunctionName":"","Role":"arn:aws:iam::123456789012:role/r","Code":{},"KMSKeyArn":"nope"}`,
			"3 validation errors detected: " +
				"Value '' at 'functionName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?; " +
				`Value 'nope' at 'kMSKeyArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()`},
	} {
		_, err := DecodeBody(in, []byte(tc.body))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: DecodeBody = %v, want no error", tc.name, err)
		case tc.want != "" && err == nil:
			t.Errorf("%s: DecodeBody succeeded, want %q", tc.name, tc.want)
		case tc.want != "" && !strings.HasPrefix(err.Error(), tc.want):
			t.Errorf("%s: DecodeBody error\n got %q\nwant %q", tc.name, err, tc.want)
		}
	}
}

// TestPatternsThatGoCannotCompileAreSkipped: a Java pattern RE2 has no
// equivalent for (a look-ahead) constrains nothing rather than failing the load.
func TestPatternsThatGoCannotCompileAreSkipped(t *testing.T) {
	s := Lambda().Shapes["Alias"]
	if s.Pattern != nil {
		t.Fatalf("Alias pattern compiled: %v", s.Pattern)
	}
	if s.Min == nil || *s.Min != 1 {
		t.Fatalf("Alias min = %v, want 1", s.Min)
	}
}
