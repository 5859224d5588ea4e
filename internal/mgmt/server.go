// Package mgmt serves Gatehouse's management APIs on the wire: it matches a
// request to a model operation, authenticates it (SigV4 in strict mode), picks
// the region, validates input against the service model, calls the service and
// renders the result or an AWS-shaped error. It also owns Gatehouse's own
// endpoints under /_gatehouse/.
package mgmt

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awsmodel"
	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/sigv4"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// Request limits.
const (
	// MaxBodyBytes bounds a management request body (API Gateway's payload limit).
	MaxBodyBytes = 10 << 20
	// MaxHeaderBytes bounds the request line plus headers that Gatehouse
	// accepts; larger requests get a JSON 431.
	MaxHeaderBytes = 64 << 10
	// MaxTransportHeaderBytes is the http.Server limit: larger than
	// MaxHeaderBytes so that the handler, not net/http, rejects oversized
	// headers in AWS's error shape.
	MaxTransportHeaderBytes = 1 << 20
)

// Auth modes.
const (
	AuthPermissive = "permissive"
	AuthStrict     = "strict"
)

// Config configures a Server.
type Config struct {
	Version string
	Region  string // default region for unsigned requests
	// Auth is AuthPermissive (accept anything) or AuthStrict (verify SigV4).
	Auth string
	// Credentials maps access key ids to secrets for strict mode.
	Credentials map[string]string
	// AllowReset permits POST /_gatehouse/reset in strict mode.
	AllowReset bool
	Store      store.Store
	Logger     *slog.Logger
	// DataPlane serves execute-api traffic; nil answers 404 {"message":"Not Found"}.
	DataPlane http.Handler
	// BeforeReset runs before POST /_gatehouse/reset wipes the store, OnReset
	// after (whether or not the reset succeeded).
	BeforeReset func()
	OnReset     func()
	// Metrics serves GET /_gatehouse/metrics (Prometheus); nil answers 404.
	Metrics http.Handler
	// IsDataPlaneHost reports whether a Host header addresses the data plane
	// ({apiId}.execute-api.{domain}, custom domain names).
	IsDataPlaneHost func(host string) bool
	// Services are further management APIs (lambda). Each serves the paths
	// whose first segment is the first segment of one of its model's request
	// URIs ("/2015-03-31/...").
	Services []Service
	Now      func() time.Time
}

// Server is the HTTP handler for everything Gatehouse listens for.
type Server struct {
	cfg      Config
	v2       Service
	verifier *sigv4.Verifier
	log      *slog.Logger
	// byPrefix maps the first path segment to one of cfg.Services.
	byPrefix map[string]Service
	// onGoroutine serves on a goroutine, for the event-loop server, what
	// ServeLoop does not keep on the loop.
	onGoroutine evloop.Handler
}

// New returns a Server. v2 is the apigatewayv2 service.
func New(cfg Config, v2 Service) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, v2: v2, log: cfg.Logger, byPrefix: map[string]Service{}}
	s.onGoroutine = evloop.FromHTTPHandler(s)
	for _, svc := range cfg.Services {
		for _, op := range svc.Model().Operations {
			s.byPrefix[op.Path[0]] = svc
		}
	}
	if cfg.Auth == AuthStrict {
		creds := cfg.Credentials
		s.verifier = &sigv4.Verifier{
			Lookup: func(id string) (string, bool) { sec, ok := creds[id]; return sec, ok },
			Now:    cfg.Now,
		}
	}
	return s
}

// regionRE bounds what a credential scope may name as a region; resources are
// stored under it.
var regionRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// executeAPIPrefix is the DNS-free form of an API's endpoint:
// {endpoint}/_gatehouse/execute-api/{region}/{apiId}/{stage}/{path}.
const executeAPIPrefix = "/_gatehouse/execute-api/"

// isDataPlane reports whether r is for the data plane (an execute-api
// endpoint or a custom domain) rather than the management API.
func (s *Server) isDataPlane(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, executeAPIPrefix) || (s.cfg.IsDataPlaneHost != nil && s.cfg.IsDataPlaneHost(r.Host))
}

// ServeLoop implements evloop.Handler for the event-loop server: data-plane
// requests go to the data plane's own loop handler when it has one (it
// runs on the loop without blocking it), everything else to ServeHTTP on a
// goroutine.
func (s *Server) ServeLoop(r *http.Request, body []byte, res *evloop.Responder) {
	if s.isDataPlane(r) {
		if lh, ok := s.cfg.DataPlane.(evloop.Handler); ok {
			lh.ServeLoop(r, body, res)
			return
		}
	}
	// The management API blocks (the store): the connection goes to the
	// goroutine server for good, where a client's next calls need no
	// hand-off between threads.
	if res.HandOff() {
		return
	}
	s.onGoroutine.ServeLoop(r, body, res)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.isDataPlane(r) {
		s.dataPlane(w, r) // the data plane applies its own (AWS) limits
		return
	}
	if headerBytes(r) > MaxHeaderBytes {
		s.writeError(w, awserr.New(http.StatusRequestHeaderFieldsTooLarge, "RequestHeaderFieldsTooLargeException",
			"Request line and headers exceed %d bytes", MaxHeaderBytes), "")
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/_gatehouse/"):
		s.internal(w, r)
	default:
		s.management(w, r)
	}
}

func (s *Server) dataPlane(w http.ResponseWriter, r *http.Request) {
	if s.cfg.DataPlane != nil {
		s.cfg.DataPlane.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header()["x-amzn-ErrorType"] = []string{"NotFoundException"}
	w.WriteHeader(http.StatusNotFound)
	io.WriteString(w, `{"message":"Not Found"}`)
}

// management runs one management API call and logs one line for it.
func (s *Server) management(w http.ResponseWriter, r *http.Request) {
	start := s.cfg.Now()
	reqID := newRequestID()
	// AWS's header spellings are kept on the wire (map keys bypass Go's
	// canonicalisation); clients match them case-insensitively either way.
	w.Header()["x-amzn-RequestId"] = []string{reqID}
	opName, region := "", s.cfg.Region
	status, err := s.call(w, r, reqID, &opName, &region)
	if err != nil {
		status = s.writeServiceError(w, err, reqID, s.serviceFor(r.URL.EscapedPath()))
	}
	attrs := []slog.Attr{
		slog.String("op", opName), slog.Int("status", status), slog.String("region", region),
		slog.Duration("duration", s.cfg.Now().Sub(start)), slog.String("request_id", reqID),
	}
	if opName == "" {
		attrs = append(attrs, slog.String("method", r.Method), slog.String("path", r.URL.Path))
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "management request", attrs...)
}

func (s *Server) call(w http.ResponseWriter, r *http.Request, reqID string, opName, region *string) (int, error) {
	svc := s.serviceFor(r.URL.EscapedPath())
	limit := int64(MaxBodyBytes)
	if bl, ok := svc.(BodyLimiter); ok {
		limit = bl.MaxBodyBytes()
	}
	body, err := readBody(w, r, limit)
	if err != nil {
		return 0, err
	}
	if s.verifier != nil {
		id, err := s.verifier.Verify(r, body)
		if err != nil {
			return 0, err
		}
		*region = id.Region
	} else if id, ok := sigv4.Scope(r); ok && id.Region != "" {
		*region = id.Region
	}
	if !regionRE.MatchString(*region) {
		return 0, awserr.BadRequest("Invalid region in the credential scope: %.64q", *region)
	}
	if svc == nil {
		return 0, unknownOperation(r)
	}
	op, labels, pathKnown := svc.Model().Match(r.Method, r.URL.EscapedPath())
	if op == nil {
		if pathKnown {
			return 0, awserr.New(http.StatusMethodNotAllowed, "MethodNotAllowedException",
				"The requested method %s is not allowed for the resource %s", r.Method, r.URL.Path)
		}
		return 0, unknownOperation(r)
	}
	*opName = op.Name
	query := r.URL.Query()
	if err := awsmodel.CheckParams(op.Input, func(m *awsmodel.Member) (string, bool) {
		switch m.Location {
		case "uri":
			v := labels[m.WireName()]
			return v, v != ""
		case "querystring":
			return query.Get(m.WireName()), query.Has(m.WireName())
		case "header":
			v := r.Header.Get(m.WireName())
			return v, v != ""
		}
		return "", true
	}); err != nil {
		return 0, validation(err)
	}
	req := &Request{Ctx: r.Context(), RequestID: reqID, Region: *region, Op: op,
		Labels: labels, Query: query, Header: r.Header}
	if blobPayload(op.Input) {
		req.Payload = body
	} else if req.Body, err = awsmodel.DecodeBody(op.Input, body); err != nil {
		return 0, validation(err)
	}
	out, err := svc.Handle(req)
	if err != nil {
		return 0, err
	}
	if rep, ok := out.(*Reply); ok {
		return writeReply(w, op.Status, rep)
	}
	return op.Status, writeJSON(w, op.Status, out)
}

// blobPayload reports whether the input's body is one raw blob member.
func blobPayload(in *awsmodel.Shape) bool {
	if in == nil || in.Payload == "" {
		return false
	}
	m := in.Members[in.Payload]
	return m != nil && m.Shape.Type == "blob"
}

func writeReply(w http.ResponseWriter, status int, rep *Reply) (int, error) {
	if rep.Status != 0 {
		status = rep.Status
	}
	h := w.Header()
	for k, v := range rep.Header {
		h[k] = v
	}
	w.WriteHeader(status)
	if len(rep.Body) == 0 {
		// A 204 (DeleteFunction, a DryRun Invoke) has no body to write, and
		// writing even nothing is an error there (http.ErrBodyNotAllowed).
		return status, nil
	}
	_, err := w.Write(rep.Body)
	return status, err
}

func (s *Server) serviceFor(path string) Service {
	if strings.HasPrefix(path, "/v2/") {
		return s.v2
	}
	if len(s.byPrefix) > 0 && len(path) > 1 {
		first, _, _ := strings.Cut(path[1:], "/")
		return s.byPrefix[first]
	}
	return nil
}

func unknownOperation(r *http.Request) error {
	return awserr.New(http.StatusNotFound, "UnknownOperationException",
		"No operation matches %s %s", r.Method, r.URL.Path)
}

func validation(err error) error {
	var ve *awsmodel.ValidationError
	if errors.As(err, &ve) {
		return awserr.BadRequest("%s", ve.Message)
	}
	return err
}

func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit)
		}
		return nil, awserr.BadRequest("Could not read request body: %v", err)
	}
	return b, nil
}

func tooLarge(limit int64) error {
	return awserr.New(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
		"Request body exceeds the maximum of %d bytes", limit)
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return nil
	}
	var b []byte
	switch v := v.(type) {
	case nil:
		b = []byte("{}")
	case json.RawMessage:
		b = v
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		b = bytes.TrimRight(buf.Bytes(), "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err := w.Write(b)
	return err
}

// writeError renders err in AWS's shape and returns the status written. Errors
// that are not client errors are logged and become a 500 with no detail.
func (s *Server) writeError(w http.ResponseWriter, err error, reqID string) int {
	return s.writeServiceError(w, err, reqID, nil)
}

// writeServiceError is writeError for a call to svc, which may shape the
// error (ErrorShaper).
func (s *Server) writeServiceError(w http.ResponseWriter, err error, reqID string, svc Service) int {
	e, ok := awserr.As(err)
	if !ok {
		var se *sigv4.Error
		switch {
		case errors.As(err, &se):
			e = &awserr.Error{Status: se.Status, Type: se.Code, Message: se.Message}
		case errors.Is(err, store.ErrClosed):
			e = awserr.New(http.StatusServiceUnavailable, "ServiceUnavailableException", "Gatehouse is shutting down")
		default:
			s.log.Error("internal error", "err", err, "request_id", reqID)
			e = awserr.New(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error (request id %s)", reqID)
		}
	}
	var b []byte
	if es, ok := svc.(ErrorShaper); ok {
		e, b = es.ShapeError(e)
	}
	if b == nil {
		b, _ = json.Marshal(map[string]string{"message": e.Message})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h["x-amzn-ErrorType"] = []string{e.Type}
	w.WriteHeader(e.Status)
	w.Write(b)
	return e.Status
}

func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// headerBytes approximates the size of the request line and headers as sent.
func headerBytes(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len(r.Host) + 8
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
