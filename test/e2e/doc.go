// Package e2e holds end-to-end tests that build the real gatehouse binary, run
// it on a free loopback port with its own data directory, and drive it with
// the AWS CLI, boto3 (scripts in testdata/) and plain net/http.
//
// Run them with:
//
//	go test -race -count=1 ./test/e2e/
//
// The tests need python3 with boto3 and the aws command. Without them the
// tests that use them are skipped, unless the CI environment variable is set,
// in which case they fail. GATEHOUSE_E2E_BINARY runs an already built binary
// instead of building one.
package e2e
