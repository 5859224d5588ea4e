// Package sigv4 verifies AWS Signature Version 4 (SigV4) signatures on
// incoming HTTP requests, the way AWS endpoints do before they look at the
// request itself.
//
// What it verifies:
//
//   - requests signed with an Authorization header
//     ("AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...")
//     and presigned requests carrying X-Amz-Algorithm, X-Amz-Credential,
//     X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Signature and optionally
//     X-Amz-Expires and X-Amz-Security-Token in the query string;
//   - that the access key is known (through a caller-supplied [Lookup]);
//   - that the signing time is within [Verifier.MaxSkew] of now, or for
//     presigned requests that X-Amz-Expires has not run out;
//   - that the signature matches the canonical request rebuilt from the
//     request exactly as it arrived on the wire, using the non-S3 SigV4 rules
//     (the path is URI-encoded a second time and never normalised);
//   - that an X-Amz-Content-Sha256 header, when sent, matches the body.
//
// What it does not do: it evaluates no IAM policy (every known key may call
// everything), does not validate session tokens beyond their being part of
// the signed request, does not check that the credential scope names a
// particular region or service (the caller can inspect [Identity]), and does
// not support SigV4a, S3's chunked (STREAMING-*) payloads or S3's
// single-encoded paths.
//
// Failures are reported as *[Error] values carrying the error code, HTTP
// status and message AWS would send to the client.
package sigv4
