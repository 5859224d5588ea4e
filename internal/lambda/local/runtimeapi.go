package local

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP serves the Runtime API to the instance's process. Each instance
// has its own listener, so every request on it concerns this instance: a
// concurrent long poll from another instance never competes for its events.
func (in *instance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == pathNext && r.Method == http.MethodGet:
		in.next(w, r)
	case strings.HasPrefix(p, pathInvocation) && r.Method == http.MethodPost:
		rest := p[len(pathInvocation):]
		if id, ok := strings.CutSuffix(rest, "/response"); ok {
			in.response(w, r, id)
		} else if id, ok := strings.CutSuffix(rest, "/error"); ok {
			in.invocationError(w, r, id)
		} else {
			http.NotFound(w, r)
		}
	case p == pathInitError && r.Method == http.MethodPost:
		in.initError(w, r)
	case p == pathExtRegister && r.Method == http.MethodPost:
		in.extensionRegister(w, r)
	case p == pathExtNext && r.Method == http.MethodGet:
		in.extensionNext(w, r)
	default:
		http.NotFound(w, r)
	}
}

// next hands the instance's pending invocation to the runtime, waiting for
// one as long as the instance lives (the runtime's client has no timeout).
func (in *instance) next(w http.ResponseWriter, r *http.Request) {
	in.polled()
	var inv *invocation
	// A stopping instance gets no answer: its runtime must hear SIGTERM
	// while it waits, as on Lambda, not a failed poll that makes it exit
	// first. The poll ends when the process exits and the server closes.
	select {
	case inv = <-in.queue:
	case <-r.Context().Done():
		return
	}
	inv.takenAt = time.Now()
	inv.deadline = in.now().Add(inv.timeout)
	in.mu.Lock()
	in.current = inv
	in.mu.Unlock()
	h := w.Header()
	h[hdrRequestID] = []string{inv.id}
	h[hdrDeadlineMs] = []string{strconv.FormatInt(inv.deadline.UnixMilli(), 10)}
	h[hdrFunctionArn] = []string{in.fn.ARN}
	h[hdrTraceID] = []string{inv.traceID}
	if inv.clientContext != "" {
		h[hdrClientContext] = []string{inv.clientContext}
	}
	h["Content-Type"] = []string{contentTypeJSON}
	h["Content-Length"] = []string{strconv.Itoa(len(inv.payload))}
	close(inv.taken)
	w.WriteHeader(http.StatusOK)
	w.Write(inv.payload)
}

// take returns the in-flight invocation if id names it, else writes the
// Runtime API's 400.
func (in *instance) take(w http.ResponseWriter, id string) *invocation {
	in.mu.Lock()
	inv := in.current
	if inv != nil && inv.id == id {
		in.current = nil
	} else {
		inv = nil
	}
	in.mu.Unlock()
	if inv == nil {
		writeRuntimeJSON(w, http.StatusBadRequest, invalidRequestIDMsg)
	}
	return inv
}

// response receives a function's result.
func (in *instance) response(w http.ResponseWriter, r *http.Request, id string) {
	inv := in.take(w, id)
	if inv == nil {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayloadBytes+1))
	switch {
	case err != nil:
		inv.deliver(outcome{failed: true, errType: "Runtime.InvalidResponse",
			payload: errorDocument("Runtime.InvalidResponse", "reading the function's response: "+err.Error())})
		writeRuntimeJSON(w, http.StatusBadRequest, `{"errorMessage":"could not read the response","errorType":"InvalidResponse"}`)
		return
	case len(body) > MaxPayloadBytes:
		inv.deliver(outcome{failed: true, errType: "Function.ResponseSizeTooLarge", payload: errorDocument("Function.ResponseSizeTooLarge",
			"Response payload size exceeded maximum allowed payload size ("+strconv.Itoa(MaxPayloadBytes)+" bytes).")})
		writeRuntimeJSON(w, http.StatusRequestEntityTooLarge, `{"errorMessage":"Exceeded maximum allowed payload size (`+strconv.Itoa(MaxPayloadBytes)+` bytes).","errorType":"RequestEntityTooLarge"}`)
		return
	}
	// A streamed response that failed midway carries the error in trailers
	// (aws-lambda-go's invoke loop).
	if t := r.Trailer.Get(hdrFunctionErrType); t != "" {
		doc, derr := base64.StdEncoding.DecodeString(r.Trailer.Get(hdrFunctionErrBody))
		if derr != nil || !json.Valid(doc) {
			doc = errorDocument(t, "the function's response stream failed")
		}
		inv.deliver(outcome{failed: true, errType: t, payload: doc})
	} else {
		inv.deliver(outcome{payload: body})
	}
	writeRuntimeJSON(w, http.StatusAccepted, runtimeAPIStatusOK)
}

// invocationError receives a function's error.
func (in *instance) invocationError(w http.ResponseWriter, r *http.Request, id string) {
	inv := in.take(w, id)
	if inv == nil {
		return
	}
	doc, errType := readErrorDocument(r)
	inv.deliver(outcome{failed: true, errType: errType, payload: doc})
	writeRuntimeJSON(w, http.StatusAccepted, runtimeAPIStatusOK)
}

// initError receives a runtime's failure to initialise (a missing handler, an
// import error). The invocation that started the instance fails with it.
func (in *instance) initError(w http.ResponseWriter, r *http.Request) {
	doc, errType := readErrorDocument(r)
	in.mu.Lock()
	in.initFailure = &outcome{failed: true, errType: errType, payload: doc}
	in.mu.Unlock()
	writeRuntimeJSON(w, http.StatusAccepted, runtimeAPIStatusOK)
	in.signalInitFailure()
}

// extensionRegister accepts an extension registration (aws-lambda-go
// registers an internal one to receive SIGTERM).
func (in *instance) extensionRegister(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10))
	w.Header()[hdrExtensionID] = []string{newRequestID()}
	b, _ := json.Marshal(map[string]string{
		"functionName": in.fn.Name, "functionVersion": "$LATEST", "handler": in.fn.Handler,
	})
	writeRuntimeJSON(w, http.StatusOK, string(b))
}

// extensionNext never answers: Gatehouse sends no lifecycle events, and
// the internal extension aws-lambda-go registers for SIGTERM expects its
// poll to block for ever. The poll ends when the process exits.
func (in *instance) extensionNext(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}

// readErrorDocument reads an error posted by a runtime: a JSON document
// {"errorMessage","errorType","stackTrace"} and/or the error type header.
func readErrorDocument(r *http.Request) ([]byte, string) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxErrorBytes))
	errType := r.Header.Get(hdrFunctionErrType)
	var doc struct {
		ErrorType string `json:"errorType"`
	}
	if json.Unmarshal(body, &doc) != nil {
		if errType == "" {
			errType = "Unhandled"
		}
		return errorDocument(errType, strings.TrimSpace(string(body))), errType
	}
	if errType == "" {
		errType = doc.ErrorType
	}
	if errType == "" {
		errType = "Unhandled"
	}
	return body, errType
}

func writeRuntimeJSON(w http.ResponseWriter, status int, body string) {
	w.Header()["Content-Type"] = []string{contentTypeJSON}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// errorDocument renders an error as Lambda's runtimes do.
func errorDocument(errType, msg string) []byte {
	b, err := json.Marshal(struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}{errType, msg})
	if err != nil {
		return []byte(`{"errorType":"Unhandled"}`)
	}
	return b
}

var _ http.Handler = (*instance)(nil)
