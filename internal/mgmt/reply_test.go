package mgmt_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
)

// noContent is a Service whose every call succeeds with an empty 204 Reply,
// as Lambda's DeleteFunction, RemovePermission and DryRun invocations do.
type noContent struct{}

func (noContent) Model() *awsmodel.Service { return awsmodel.APIGatewayV2() }
func (noContent) Handle(*mgmt.Request) (any, error) {
	return &mgmt.Reply{Status: http.StatusNoContent}, nil
}

// strictWriter refuses a body for a status that has none, as net/http and
// Gatehouse's own servers do, and records every status written.
type strictWriter struct {
	header   http.Header
	statuses []int
}

func (w *strictWriter) Header() http.Header { return w.header }
func (w *strictWriter) WriteHeader(status int) {
	w.statuses = append(w.statuses, status)
}
func (w *strictWriter) Write(b []byte) (int, error) {
	if len(w.statuses) > 0 && w.statuses[0] == http.StatusNoContent {
		return 0, http.ErrBodyNotAllowed
	}
	return len(b), nil
}

// An empty Reply is not an attempt to write a body: the 204 goes out alone,
// without the error headers of a 500 written over it (Lambda's DeleteFunction
// was logged as a 500 and answered with x-amzn-ErrorType:
// InternalServerErrorException on its 204).
func TestEmptyReplyIsNotAnError(t *testing.T) {
	st, err := sqlite.Open(t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := mgmt.New(mgmt.Config{Auth: mgmt.AuthPermissive, Region: "us-east-1", Store: st}, noContent{})
	w := &strictWriter{header: http.Header{}}
	h.ServeHTTP(w, httptest.NewRequest(http.MethodDelete, "/v2/apis/abc", nil))
	if len(w.statuses) != 1 || w.statuses[0] != http.StatusNoContent {
		t.Errorf("statuses written = %v, want [204]", w.statuses)
	}
	if got := w.header.Get("x-amzn-ErrorType"); got != "" {
		t.Errorf("x-amzn-ErrorType = %q on a 204", got)
	}
}
