package lambdasvc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"github.com/gatehouse-dev/gatehouse/internal/lambda/local"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
)

// Invoke limits, as Lambda's.
const (
	maxSyncPayload     = local.MaxPayloadBytes
	maxAsyncPayload    = 1 << 20
	maxClientContext   = 3583
	eventRetries       = 2 // Lambda retries a failed asynchronous invocation twice
	eventThrottleRetry = 5 // attempts while throttled
)

// invoke runs a function: RequestResponse answers with its result, Event
// accepts it (202) and runs it in the background, DryRun only checks (204).
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
func (s *Service) invoke(r *mgmt.Request) (any, error) {
	t, err := s.functionTarget(r)
	if err != nil {
		return nil, err
	}
	typ := r.Header.Get("X-Amz-Invocation-Type")
	if typ == "" {
		typ = "RequestResponse"
	}
	payload := r.Payload
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	limit, op := maxSyncPayload, "InvokeFunction"
	if typ == "Event" {
		limit, op = maxAsyncPayload, "InvokeAsync"
	}
	if len(payload) > limit {
		return nil, awserr.New(http.StatusRequestEntityTooLarge, "RequestTooLargeException",
			"Request must be smaller than %d bytes for the %s operation", limit, op)
	}
	if !json.Valid(payload) {
		return nil, awserr.New(http.StatusBadRequest, "InvalidRequestContentException",
			"Could not parse request body into json: Could not parse payload into json: Unexpected character")
	}
	cc := r.Header.Get("X-Amz-Client-Context")
	if len(cc) > maxClientContext {
		return nil, invalidParameter("Client context must be %d bytes or less", maxClientContext)
	}
	var ccJSON string
	if cc != "" {
		b, err := base64.StdEncoding.DecodeString(cc)
		if err != nil || !json.Valid(b) {
			return nil, invalidParameter("Client context must be a valid Base64-encoded JSON object.")
		}
		ccJSON = string(b)
	}
	req := &local.Request{Invocation: lambda.Invocation{Region: t.region, Function: t.name, Payload: payload,
		Tail: r.Header.Get("X-Amz-Log-Type") == "Tail"}, ClientContext: ccJSON}

	switch typ {
	case "DryRun":
		if _, _, err := s.view(r); err != nil {
			return nil, err
		}
		return &mgmt.Reply{Status: http.StatusNoContent}, nil
	case "Event":
		if _, _, err := s.view(r); err != nil {
			return nil, err
		}
		select {
		case s.events <- struct{}{}:
		default:
			return nil, awserr.New(http.StatusTooManyRequests, "TooManyRequestsException", "Rate Exceeded.")
		}
		req.Tail = false
		go s.runEvent(req)
		return &mgmt.Reply{Status: http.StatusAccepted, Header: http.Header{"Content-Length": {"0"}}}, nil
	case "RequestResponse":
	default:
		return nil, validation("1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]", typ)
	}

	res, err := s.cfg.Runner.Run(r.Ctx, req)
	if err != nil {
		return nil, s.invokeError(t, err)
	}
	h := http.Header{
		"Content-Type":           {"application/json"},
		"X-Amz-Executed-Version": {res.ExecutedVersion},
	}
	if res.FunctionError != "" {
		h["X-Amz-Function-Error"] = []string{res.FunctionError}
	}
	if res.LogResult != "" {
		h["X-Amz-Log-Result"] = []string{res.LogResult}
	}
	return &mgmt.Reply{Status: http.StatusOK, Header: h, Body: res.Payload}, nil
}

// invokeError maps a runner error to Lambda's.
func (s *Service) invokeError(t target, err error) error {
	var le *lambda.Error
	switch {
	case errors.Is(err, lambda.ErrNotFound):
		return functionNotFound(s.arn(t))
	case errors.Is(err, lambda.ErrThrottled):
		return awserr.New(http.StatusTooManyRequests, "TooManyRequestsException", "Rate Exceeded.")
	case errors.As(err, &le):
		return awserr.New(le.Status, le.Type, "%s", le.Message)
	}
	return err
}

// runEvent runs an asynchronous invocation, retrying it as Lambda does: up
// to twice after a function error, and with backoff while throttled.
func (s *Service) runEvent(req *local.Request) {
	defer func() { <-s.events }()
	log := s.log.With("function", req.Function, "region", req.Region, "invocation_type", "Event")
	failures, throttles := 0, 0
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 16*time.Minute)
		res, err := s.cfg.Runner.Run(ctx, req)
		cancel()
		switch {
		case errors.Is(err, lambda.ErrThrottled) && throttles < eventThrottleRetry:
			throttles++
			time.Sleep(time.Duration(throttles) * time.Second)
			continue
		case err != nil:
			log.Warn("asynchronous invocation dropped", "err", err)
			return
		case res.FunctionError != "" && failures < eventRetries:
			failures++
			log.Info("asynchronous invocation failed; retrying", "attempt", failures+1)
			continue
		case res.FunctionError != "":
			log.Warn("asynchronous invocation failed", "error", string(res.Payload))
		}
		return
	}
}
