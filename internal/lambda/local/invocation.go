package local

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// invocation is one request travelling to an instance and back.
type invocation struct {
	id            string
	payload       []byte
	clientContext string
	traceID       string
	timeout       time.Duration
	// deadline is set when the instance takes the invocation (GET next).
	deadline time.Time
	// takenAt is when the runtime took the invocation (monotonic; the
	// function timeout counts from it). Set before taken is closed.
	takenAt time.Time
	// taken is closed when the instance's runtime has received the event.
	taken chan struct{}
	// done receives the outcome once; it is buffered so the sender never blocks.
	done chan outcome
	log  *invocationLog
	// conn is the connection its invoker reads on the direct path, and the
	// generation that interrupts it (set under the instance's lock).
	conn    *rconn
	connGen uint64
}

// outcome is what a runtime reported for an invocation.
type outcome struct {
	payload []byte
	// errType is set when the function failed (its errorType, or "Unhandled").
	failed  bool
	errType string
}

func newInvocation(payload []byte, timeout time.Duration) *invocation {
	return &invocation{
		id:      newRequestID(),
		payload: payload,
		timeout: timeout,
		taken:   make(chan struct{}),
		done:    make(chan outcome, 1),
	}
}

// isTaken reports whether the runtime has taken the invocation.
func (inv *invocation) isTaken() bool {
	select {
	case <-inv.taken:
		return true
	default:
		return false
	}
}

// deliver records the invocation's outcome; only the first one counts.
func (inv *invocation) deliver(o outcome) {
	select {
	case inv.done <- o:
	default:
	}
}

// newRequestID returns a random UUID (version 4), as Lambda's request ids.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}

// newTraceID returns an X-Ray trace header value for an invocation.
func newTraceID(now time.Time) string {
	var b [20]byte
	rand.Read(b[:])
	t := now.Unix()
	return "Root=1-" + hex.EncodeToString([]byte{byte(t >> 24), byte(t >> 16), byte(t >> 8), byte(t)}) +
		"-" + hex.EncodeToString(b[:12]) + ";Parent=" + hex.EncodeToString(b[12:]) + ";Sampled=0"
}
