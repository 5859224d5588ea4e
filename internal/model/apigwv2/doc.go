// Package apigwv2 holds the resources of the API Gateway V2 management API (HTTP
// and WebSocket APIs) exactly as they travel on the wire: JSON keys are the
// botocore model's lowerCamel locationName values and timestamps are ISO-8601
// strings. The types are plain data plus validation; they do no I/O.
//
// A field is a pointer when AWS distinguishes "not set" from the zero value on
// the wire (it echoes what the client sent); it is a plain value with omitempty
// when AWS omits it while false or empty, and a plain value without omitempty
// when AWS always returns it.
package apigwv2
