package lambdasvc

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
)

// Lambda's error types.
func notFound(format string, args ...any) *awserr.Error {
	return awserr.New(http.StatusNotFound, "ResourceNotFoundException", format, args...)
}

func invalidParameter(format string, args ...any) *awserr.Error {
	return awserr.New(http.StatusBadRequest, "InvalidParameterValueException", format, args...)
}

func conflict(format string, args ...any) *awserr.Error {
	return awserr.New(http.StatusConflict, "ResourceConflictException", format, args...)
}

func validation(format string, args ...any) *awserr.Error {
	return awserr.New(http.StatusBadRequest, "ValidationException", format, args...)
}

func functionNotFound(arn string) *awserr.Error { return notFound("Function not found: %s", arn) }

// ShapeError implements mgmt.ErrorShaper. Lambda's error bodies carry the
// fault ("User" or "Service") and the message under the key its model shape
// names ("Message" for some types, "message" for others); input that fails
// the model's constraints is a ValidationException, a body that is not JSON
// an InvalidRequestContentException.
func (s *Service) ShapeError(e *awserr.Error) (*awserr.Error, []byte) {
	if e.Type == "BadRequestException" {
		typ := "ValidationException"
		if strings.HasPrefix(e.Message, "Could not parse request body") {
			typ = "InvalidRequestContentException"
		}
		e = &awserr.Error{Status: e.Status, Type: typ, Message: e.Message}
	}
	fault := "User"
	if e.Status >= 500 {
		fault = "Service"
	}
	key := "message"
	if sh := s.model.Shapes[e.Type]; sh != nil {
		if _, ok := sh.Members["Message"]; ok {
			key = "Message"
		}
	}
	b, _ := json.Marshal(map[string]string{"Type": fault, key: e.Message})
	return e, b
}
