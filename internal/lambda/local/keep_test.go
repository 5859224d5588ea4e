package local

// The test functions in testdata/ are built with aws-lambda-go; importing it
// here keeps it required by the module (go mod tidy) so that they build.
import _ "github.com/aws/aws-lambda-go/lambda"
