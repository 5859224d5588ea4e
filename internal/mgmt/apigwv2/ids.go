package apigwv2

import "crypto/rand"

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// randomID returns n random characters from [a-z0-9], like API Gateway's ids.
func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// Id lengths as AWS issues them.
const (
	apiIDLen   = 10
	childIDLen = 7
)
