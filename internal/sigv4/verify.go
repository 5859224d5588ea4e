package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// DefaultMaxSkew is the clock skew AWS tolerates between a signature's time
// and its own clock.
const DefaultMaxSkew = 5 * time.Minute

// Lookup resolves an access key id to its secret access key; ok is false
// when the key is unknown. It may be called concurrently.
type Lookup func(accessKeyID string) (secret string, ok bool)

// Identity is who signed a request and the credential scope they signed it
// for.
type Identity struct {
	AccessKeyID string
	Region      string
	Service     string
}

// Verifier checks SigV4 signatures. Its fields are read-only once it is in
// use; a Verifier is safe for concurrent use.
type Verifier struct {
	// Lookup resolves access keys. A nil Lookup knows no keys.
	Lookup Lookup
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxSkew is how far the signing time may be from now, either way;
	// zero or negative means DefaultMaxSkew. For presigned requests with
	// X-Amz-Expires it bounds only how far in the future the signing time
	// may be.
	MaxSkew time.Duration
}

// Verify checks the SigV4 signature of r, carried either in the
// Authorization header or, when that header is absent, in presigned query
// parameters (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-SignedHeaders, X-Amz-Signature, optional X-Amz-Expires and
// X-Amz-Security-Token). body is the complete request body, already read by
// the caller, which also bounds its size; r.Body is not touched.
//
// On success it returns the signer's identity. Otherwise the error is an
// *Error, checked in this order:
//
//   - no signature at all: MissingAuthenticationTokenException;
//   - malformed or incomplete signature, bad credential scope, missing or
//     malformed date, or host not signed: IncompleteSignatureException;
//   - unknown access key: UnrecognizedClientException;
//   - signing time more than MaxSkew from now, or a presigned request past
//     X-Amz-Date + X-Amz-Expires: InvalidSignatureException
//     ("Signature expired: ..." / "Signature not yet current: ...");
//   - signature mismatch, or an X-Amz-Content-Sha256 header (other than
//     UNSIGNED-PAYLOAD) that does not match the body:
//     InvalidSignatureException.
//
// The canonical request uses the path and query exactly as received, the
// client's SignedHeaders verbatim, and as payload hash the
// X-Amz-Content-Sha256 header when present, else the body's SHA-256; a
// presigned request without that header may instead have been signed with
// UNSIGNED-PAYLOAD (as S3-style presigners do), and either is accepted.
func (v *Verifier) Verify(r *http.Request, body []byte) (Identity, error) {
	id, err := v.verify(r, body)
	if err != nil {
		return Identity{}, err
	}
	return id, nil
}

func (v *Verifier) verify(r *http.Request, body []byte) (Identity, *Error) {
	c, err := parseClaim(r)
	if err != nil {
		return Identity{}, err
	}
	var secret string
	ok := false
	if v.Lookup != nil {
		secret, ok = v.Lookup(c.scope.accessKeyID)
	}
	if !ok {
		return Identity{}, newError(CodeUnrecognizedClient, msgUnrecognizedClient)
	}
	if err := v.checkTime(c); err != nil {
		return Identity{}, err
	}

	bodySum := sha256.Sum256(body)
	bodyHash := hex.EncodeToString(bodySum[:])
	// The payload hash the client may have signed. Presigned requests
	// without the header are signed with UNSIGNED-PAYLOAD by S3-style
	// presigners but with the body's hash by botocore's generic
	// SigV4QueryAuth; either is accepted, and each only matches a signature
	// computed over that same value.
	candidates := []string{bodyHash}
	claimed, hasClaim := "", false
	if vals := headerValues(r.Header, "X-Amz-Content-Sha256"); len(vals) > 0 {
		claimed, hasClaim = strings.TrimSpace(vals[0]), true
		candidates = []string{claimed}
	} else if c.presigned {
		candidates = []string{unsignedPayload, bodyHash}
	}
	key := signingKey(secret, c.scope)
	matched := false
	for _, payloadHash := range candidates {
		if signatureMatches(key, stringToSign(c, canonicalRequest(r, c, payloadHash)), c.signature) {
			matched = true
			break
		}
	}
	if !matched {
		return Identity{}, newError(CodeInvalidSignature, msgSignatureMismatch)
	}
	if hasClaim && claimed != unsignedPayload && !strings.EqualFold(claimed, bodyHash) {
		return Identity{}, newError(CodeInvalidSignature, msgContentSHAMismatch)
	}
	return c.scope.identity(), nil
}

// signatureMatches compares, in constant time, the hex signature the client
// sent with the one computed over sts.
func signatureMatches(key []byte, sts, got string) bool {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(sts))
	want := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(got))
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now().UTC()
	}
	return time.Now().UTC()
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return DefaultMaxSkew
}

// checkTime rejects signatures made too long ago or too far in the future,
// in AWS's words. A presigned request with X-Amz-Expires is valid until
// X-Amz-Date + X-Amz-Expires; its expiry is reported like AWS's header
// expiry, with the expiry window in place of the skew.
func (v *Verifier) checkTime(c *claim) *Error {
	now := v.now()
	skew := v.maxSkew()
	past := skew
	if c.hasExpires {
		past = c.expires
	}
	if earliest := now.Add(-past); c.signTime.Before(earliest) {
		return invalidf("Signature expired: %s is now earlier than %s (%s - %s)",
			c.timestamp, earliest.Format(amzDateFormat), now.Format(amzDateFormat), window(past))
	}
	if latest := now.Add(skew); c.signTime.After(latest) {
		return invalidf("Signature not yet current: %s is still later than %s (%s + %s)",
			c.timestamp, latest.Format(amzDateFormat), now.Format(amzDateFormat), window(skew))
	}
	return nil
}

// window formats a duration as AWS does in expiry messages: "5 min.", or in
// seconds when not a whole number of minutes.
func window(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min.", d/time.Minute)
	}
	return fmt.Sprintf("%d sec.", d/time.Second)
}
