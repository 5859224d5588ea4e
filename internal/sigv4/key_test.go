package sigv4

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

// TestSigningKeyCache derives keys concurrently (run with -race), past the
// cache's capacity, and checks cached keys equal freshly derived ones.
func TestSigningKeyCache(t *testing.T) {
	derive := func(secret string, s credentialScope) []byte {
		k := hmacSHA256([]byte("AWS4"+secret), s.date)
		k = hmacSHA256(k, s.region)
		k = hmacSHA256(k, s.service)
		return hmacSHA256(k, scopeTerminator)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2 * signingKeyCacheSize {
				s := credentialScope{date: "20190101", region: fmt.Sprintf("r-%d", i%300), service: "apigateway"}
				secret := fmt.Sprintf("secret-%d", g%2)
				for range 2 {
					if got := signingKey(secret, s); !bytes.Equal(got, derive(secret, s)) {
						t.Errorf("signingKey(%q, %+v) differs from derivation", secret, s)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	keyCache.Lock()
	n := len(keyCache.m)
	keyCache.Unlock()
	if n > signingKeyCacheSize {
		t.Errorf("cache holds %d keys, limit %d", n, signingKeyCacheSize)
	}
}
