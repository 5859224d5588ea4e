// Command gofn is a test function built with aws-lambda-go's lambda.Start.
// The event says what to do.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Echo    string `json:"echo"`
	Print   string `json:"print"`
	SleepMs int    `json:"sleepMs"`
	Panic   string `json:"panic"`
	Exit    int    `json:"exit"`
	Error   string `json:"error"`
	Big     int    `json:"big"`
	Env     string `json:"env"`
}

type reply struct {
	Echo      string `json:"echo"`
	RequestID string `json:"requestId"`
	ARN       string `json:"arn"`
	PID       int    `json:"pid"`
	Env       string `json:"env,omitempty"`
	Deadline  bool   `json:"deadline"`
	Version   string `json:"version"`
	Big       string `json:"big,omitempty"`
}

func handle(ctx context.Context, e event) (reply, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	if e.Print != "" {
		fmt.Println(e.Print)
	}
	if e.SleepMs > 0 {
		time.Sleep(time.Duration(e.SleepMs) * time.Millisecond)
	}
	if e.Panic != "" {
		panic(e.Panic)
	}
	if e.Exit != 0 {
		os.Exit(e.Exit)
	}
	if e.Error != "" {
		return reply{}, errors.New(e.Error)
	}
	_, hasDeadline := ctx.Deadline()
	r := reply{Echo: e.Echo, RequestID: lc.AwsRequestID, ARN: lc.InvokedFunctionArn, PID: os.Getpid(),
		Deadline: hasDeadline, Version: os.Getenv("GOFN_VERSION")}
	if e.Env != "" {
		r.Env = os.Getenv(e.Env)
	}
	if e.Big > 0 {
		r.Big = strings.Repeat("x", e.Big)
	}
	return r, nil
}

func main() {
	lambda.StartWithOptions(handle, lambda.WithEnableSIGTERM(func() { fmt.Println("sigterm received") }))
}
