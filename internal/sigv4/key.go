package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
)

// signingKeyCacheSize bounds the derived-key cache; when full it is emptied.
const signingKeyCacheSize = 256

type signingKeyID struct {
	secret, date, region, service string
}

// keyCache memoises derived signing keys, which change only daily per
// (secret, date, region, service). Safe for concurrent use.
var keyCache = struct {
	sync.Mutex
	m map[signingKeyID][]byte
}{m: make(map[signingKeyID][]byte)}

// signingKey derives HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
// The returned slice must not be modified.
func signingKey(secret string, s credentialScope) []byte {
	id := signingKeyID{secret: secret, date: s.date, region: s.region, service: s.service}
	keyCache.Lock()
	k, ok := keyCache.m[id]
	keyCache.Unlock()
	if ok {
		return k
	}
	k = hmacSHA256([]byte("AWS4"+secret), s.date)
	k = hmacSHA256(k, s.region)
	k = hmacSHA256(k, s.service)
	k = hmacSHA256(k, scopeTerminator)
	keyCache.Lock()
	if len(keyCache.m) >= signingKeyCacheSize {
		clear(keyCache.m)
	}
	keyCache.m[id] = k
	keyCache.Unlock()
	return k
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
