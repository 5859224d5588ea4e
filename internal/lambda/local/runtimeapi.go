package local

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// action is what a connection's owner does after a request was handled.
type action int

const (
	actNext   action = iota // read the next request
	actParked               // the connection is in the instance's idle list: hands off
	actClosed               // close the connection
	actHold                 // keep the request open until the process exits
)

// maxDrainBytes is how much of a request body left unread (over the payload
// limit) is read and discarded to keep the connection.
const maxDrainBytes = 256 << 10

// handle answers one Runtime API request on c. Each instance has its own
// listener, so every request on it concerns this instance: a concurrent poll
// from another instance never competes for its events. A poll (GET next) is
// answered at once when an invocation waits, else the connection is parked,
// unanswered, until one comes (instance.direct).
func (in *instance) handle(c *rconn, r *http.Request) action {
	p := r.URL.Path
	switch {
	case p == pathNext && r.Method == http.MethodGet:
		return in.poll(c, r)
	case strings.HasPrefix(p, pathInvocation) && r.Method == http.MethodPost:
		rest := p[len(pathInvocation):]
		if id, ok := strings.CutSuffix(rest, "/response"); ok {
			return in.answer(c, r, id, false)
		} else if id, ok := strings.CutSuffix(rest, "/error"); ok {
			return in.answer(c, r, id, true)
		}
	case p == pathInitError && r.Method == http.MethodPost:
		return in.initError(c, r)
	case p == pathExtRegister && r.Method == http.MethodPost:
		return in.extensionRegister(c, r)
	case p == pathExtNext && r.Method == http.MethodGet:
		// Never answered: Gatehouse sends no lifecycle events, and the
		// internal extension aws-lambda-go registers for SIGTERM expects its
		// poll to block for ever. The poll ends when the process exits.
		return actHold
	}
	return reply(c, r, http.StatusNotFound, "", `{"errorMessage":"not found","errorType":"NotFound"}`)
}

// reply answers r, then drains what is left of its body (closing the
// connection when that is too much).
func reply(c *rconn, r *http.Request, status int, extra, body string) action {
	complete := drainBody(r)
	if err := c.writeJSON(status, extra, body, r.Close || !complete); err != nil || r.Close {
		return actClosed
	}
	if !complete {
		c.linger()
		return actParked // linger owns it now
	}
	return actNext
}

// readBody reads r's body, at most limit bytes (one more tells it is
// larger), after sending "100 Continue" to a client that waits for it.
func readBody(c *rconn, r *http.Request, limit int64) ([]byte, error) {
	if r.Body == http.NoBody {
		return nil, nil
	}
	if _, ok := r.Header["Expect"]; ok { // the parser leaves only a valid 100-continue
		if err := c.writeContinue(); err != nil {
			return nil, err
		}
		delete(r.Header, "Expect") // sent: the body comes
	}
	var b []byte
	if r.ContentLength > 0 && r.ContentLength <= limit {
		b = make([]byte, 0, r.ContentLength) // exact: io.ReadAll would grow it several times
	}
	buf := bytes.NewBuffer(b)
	_, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	return buf.Bytes(), err
}

// drainBody reads and discards what is left of r's body, up to
// maxDrainBytes; it reports whether the body was read to its end.
func drainBody(r *http.Request) bool {
	if r.Body == http.NoBody {
		return true
	}
	if _, ok := r.Header["Expect"]; ok {
		// "100 Continue" was never sent: the client may or may not send the
		// body, so the connection cannot be reused.
		return false
	}
	n, err := io.CopyN(io.Discard, r.Body, maxDrainBytes+1)
	return err == io.EOF && n <= maxDrainBytes
}

// poll is a runtime's GET next: the waiting invocation's event, or the
// connection parked until an invocation comes. A stopping instance gets no
// answer: its runtime must hear SIGTERM while it waits, as on Lambda, not a
// failed poll that makes it exit first. The poll ends when the process
// exits and its connections close.
func (in *instance) poll(c *rconn, r *http.Request) action {
	in.polled()
	closing := r.Close || !drainBody(r) // a poll with a body: nothing to read, but it must go
	in.mu.Lock()
	inv := in.waiting
	if inv == nil {
		if in.gone {
			in.mu.Unlock()
			return actClosed
		}
		c.polled, c.pollClose = true, closing
		c.owned = false
		c.arm()
		in.idle = append(in.idle, c)
		rd, gen := in.reading, in.readingGen
		in.mu.Unlock()
		if rd != nil {
			rd.interrupt(gen) // an invoker waits for a poll on another connection: this one is here
		}
		return actParked
	}
	in.waiting = nil
	in.startLocked(inv)
	in.mu.Unlock()
	close(inv.taken)
	if err := c.writeEvent(inv, in.fn.ARN, closing); err != nil || closing {
		return actClosed
	}
	return actNext
}

// answer receives a function's result (POST response) or error (POST
// error) for the invocation id names.
func (in *instance) answer(c *rconn, r *http.Request, id string, isErr bool) action {
	inv, direct, gen := in.take(id)
	if inv == nil {
		return reply(c, r, http.StatusBadRequest, "", invalidRequestIDMsg)
	}
	var o outcome
	status, msg := http.StatusAccepted, runtimeAPIStatusOK
	if isErr {
		doc, errType := readErrorDocument(c, r)
		o = outcome{failed: true, errType: errType, payload: doc}
	} else {
		o, status, msg = readResponse(c, r)
	}
	complete := drainBody(r)
	inv.deliver(o)
	if direct != nil && direct != c {
		direct.interrupt(gen) // its invoker reads another connection
	}
	closing := r.Close || !complete
	if err := c.writeJSON(status, "", msg, closing); err != nil || r.Close {
		return actClosed
	}
	if !complete {
		c.linger()
		return actParked
	}
	if !in.park(c) {
		return actNext
	}
	return actParked
}

// readResponse reads a function's result: its outcome and the Runtime API's
// answer.
func readResponse(c *rconn, r *http.Request) (outcome, int, string) {
	body, err := readBody(c, r, MaxPayloadBytes)
	switch {
	case err != nil:
		return outcome{failed: true, errType: "Runtime.InvalidResponse",
				payload: errorDocument("Runtime.InvalidResponse", "reading the function's response: "+err.Error())},
			http.StatusBadRequest, `{"errorMessage":"could not read the response","errorType":"InvalidResponse"}`
	case len(body) > MaxPayloadBytes:
		return outcome{failed: true, errType: "Function.ResponseSizeTooLarge", payload: errorDocument("Function.ResponseSizeTooLarge",
				"Response payload size exceeded maximum allowed payload size ("+strconv.Itoa(MaxPayloadBytes)+" bytes).")},
			http.StatusRequestEntityTooLarge, `{"errorMessage":"Exceeded maximum allowed payload size (` + strconv.Itoa(MaxPayloadBytes) + ` bytes).","errorType":"RequestEntityTooLarge"}`
	}
	// A streamed response that failed midway carries the error in trailers
	// (aws-lambda-go's invoke loop).
	if t := r.Trailer.Get(hdrFunctionErrType); t != "" {
		doc, derr := base64.StdEncoding.DecodeString(r.Trailer.Get(hdrFunctionErrBody))
		if derr != nil || !json.Valid(doc) {
			doc = errorDocument(t, "the function's response stream failed")
		}
		return outcome{failed: true, errType: t, payload: doc}, http.StatusAccepted, runtimeAPIStatusOK
	}
	return outcome{payload: body}, http.StatusAccepted, runtimeAPIStatusOK
}

// initError receives a runtime's failure to initialise (a missing handler, an
// import error). The invocation that started the instance fails with it.
func (in *instance) initError(c *rconn, r *http.Request) action {
	doc, errType := readErrorDocument(c, r)
	in.mu.Lock()
	in.initFailure = &outcome{failed: true, errType: errType, payload: doc}
	in.mu.Unlock()
	in.signalInitFailure() // before the 202: whoever sees the answer sees the failure recorded
	return reply(c, r, http.StatusAccepted, "", runtimeAPIStatusOK)
}

// extensionRegister accepts an extension registration (aws-lambda-go
// registers an internal one to receive SIGTERM).
func (in *instance) extensionRegister(c *rconn, r *http.Request) action {
	b, _ := json.Marshal(map[string]string{
		"functionName": in.fn.Name, "functionVersion": "$LATEST", "handler": in.fn.Handler,
	})
	return reply(c, r, http.StatusOK, hdrExtensionID+": "+newRequestID()+"\r\n", string(b))
}

// readErrorDocument reads an error posted by a runtime: a JSON document
// {"errorMessage","errorType","stackTrace"} and/or the error type header.
func readErrorDocument(c *rconn, r *http.Request) ([]byte, string) {
	body, _ := readBody(c, r, maxErrorBytes)
	if len(body) > maxErrorBytes {
		body = body[:maxErrorBytes]
	}
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
