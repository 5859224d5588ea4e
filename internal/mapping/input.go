package mapping

import "strconv"

// Input supplies the data that expressions read. ok=false means "not
// present"; a present but empty value (a header sent as "X-A:", a query
// parameter sent as "?a=") is ("", true).
//
// Implementations read the inbound request and the backend response as
// received; mappings never see each other's effects.
type Input interface {
	// RequestHeader returns a request header. Names are case-insensitive; a
	// header sent several times is comma-joined, "v1,v2"
	// [DG:http-api-parameter-mapping "Header value"].
	RequestHeader(name string) (string, bool)
	// QueryString returns a query string parameter. Names are case-sensitive;
	// several values are comma-joined [DG:http-api-parameter-mapping "Query
	// string value"].
	QueryString(name string) (string, bool)
	// Path returns the request path without the stage name
	// [DG:http-api-parameter-mapping "Request path"].
	Path() string
	// PathParam returns the value of a route path variable: "petId" for
	// {petId}, "proxy" for {proxy+}.
	PathParam(name string) (string, bool)
	// RequestBody returns the request body as received.
	RequestBody() []byte
	// ResponseHeader returns a backend response header, as RequestHeader
	// does. Only response mappings call it.
	ResponseHeader(name string) (string, bool)
	// ResponseBody returns the backend response body. Only response mappings
	// call it.
	ResponseBody() []byte
	// Context returns a $context variable by its name after "$context.",
	// such as "requestId" or "authorizer.claims.sub".
	Context(name string) (string, bool)
	// StageVariable returns a stage variable.
	StageVariable(name string) (string, bool)
}

// Side says which map an expression belongs to and so which references it may
// use: $request.* only in requestParameters, $response.* only in
// responseParameters; $context.* and $stageVariables.* in both.
type Side uint8

const (
	// Request is requestParameters.
	Request Side = iota + 1
	// Response is responseParameters.
	Response
)

func (s Side) String() string {
	switch s {
	case Request:
		return "request"
	case Response:
		return "response"
	}
	return "Side(" + strconv.Itoa(int(s)) + ")"
}
