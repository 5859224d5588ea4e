// Package remote is a lambda.Invoker that runs functions through the Lambda
// Invoke API of AWS itself (credentials from the standard chain) or of any
// Lambda-compatible endpoint, with aws-sdk-go-v2. Gatehouse uses it only when
// configured (--lambda-remote), so no request leaves the machine by surprise.
package remote

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// Defaults.
const (
	// DefaultTimeout bounds one Invoke call; API Gateway's own integration
	// timeout (at most 30 s) usually ends it first through the context.
	DefaultTimeout = 35 * time.Second
	// DefaultMaxPayload bounds a response body (Lambda's synchronous limit is
	// 6 MB; an endpoint that sends more is cut off with an error).
	DefaultMaxPayload = 8 << 20
	// dialTimeout bounds connecting and the TLS handshake.
	dialTimeout = 5 * time.Second
)

// Config configures an Invoker.
type Config struct {
	// Endpoint is the base URL of a Lambda-compatible endpoint
	// ("http://127.0.0.1:4566"); empty means AWS, with the SDK's endpoint for
	// each function's region.
	Endpoint string
	// Region is used for function names that are not ARNs when the
	// invocation carries no region; empty means the SDK's configured region
	// (AWS_REGION, the shared config), else us-east-1.
	Region string
	// Timeout bounds each Invoke call (DefaultTimeout when zero).
	Timeout time.Duration
	// MaxPayload bounds a response body (DefaultMaxPayload when zero).
	MaxPayload int64
	// Credentials overrides the standard credential chain. With an Endpoint
	// and no credentials in the chain, requests are signed with placeholder
	// credentials, which Lambda emulators accept.
	Credentials aws.CredentialsProvider
}

// Invoker implements lambda.Invoker over the Lambda Invoke API.
type Invoker struct {
	client  *awslambda.Client
	region  string
	timeout time.Duration
}

var _ lambda.Invoker = (*Invoker)(nil)

// New loads the SDK configuration (environment, shared config files) and
// builds the client. It makes no network call.
func New(ctx context.Context, cfg Config) (*Invoker, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxPayload <= 0 {
		cfg.MaxPayload = DefaultMaxPayload
	}
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("remote Lambda endpoint %q: want an http(s) URL", cfg.Endpoint)
		}
	}
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(newHTTPClient(cfg.Timeout)),
		// API Gateway does not retry a failed or throttled invocation.
		config.WithRetryMaxAttempts(1),
	}
	if cfg.Credentials != nil {
		opts = append(opts, config.WithCredentialsProvider(cfg.Credentials))
	}
	if cfg.Endpoint != "" {
		// Talking to an emulator must not probe the EC2 metadata service.
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration for remote Lambda: %w", err)
	}
	region := cfg.Region
	if region == "" {
		region = awsCfg.Region
	}
	if region == "" {
		region = "us-east-1"
	}
	awsCfg.Region = region
	if cfg.Endpoint != "" && cfg.Credentials == nil {
		awsCfg.Credentials = aws.NewCredentialsCache(&fallback{chain: awsCfg.Credentials})
	}
	client := awslambda.NewFromConfig(awsCfg, func(o *awslambda.Options) {
		o.HTTPClient = &boundedClient{c: o.HTTPClient, max: cfg.MaxPayload}
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	})
	return &Invoker{client: client, region: region, timeout: cfg.Timeout}, nil
}

// Invoke implements lambda.Invoker: a synchronous (RequestResponse) Invoke
// call to the function's region.
func (v *Invoker) Invoke(ctx context.Context, in *lambda.Invocation) (*lambda.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	input := &awslambda.InvokeInput{
		FunctionName:   aws.String(in.Function),
		InvocationType: types.InvocationTypeRequestResponse,
		Payload:        in.Payload,
	}
	if in.Qualifier != "" {
		input.Qualifier = aws.String(in.Qualifier)
	}
	if in.Tail {
		input.LogType = types.LogTypeTail
	}
	region := v.regionFor(in)
	out, err := v.client.Invoke(ctx, input, func(o *awslambda.Options) { o.Region = region })
	if err != nil {
		return nil, v.mapError(ctx, in, err)
	}
	res := &lambda.Result{Payload: out.Payload}
	if out.FunctionError != nil {
		res.FunctionError = *out.FunctionError
	}
	if out.LogResult != nil {
		res.LogResult = *out.LogResult
	}
	if out.ExecutedVersion != nil {
		res.ExecutedVersion = *out.ExecutedVersion
	}
	return res, nil
}

// regionFor is the region of a function ARN, else the invocation's, else the
// invoker's default.
func (v *Invoker) regionFor(in *lambda.Invocation) string {
	if rest, ok := strings.CutPrefix(in.Function, "arn:"); ok {
		// {partition}:lambda:{region}:...
		parts := strings.SplitN(rest, ":", 4)
		if len(parts) == 4 && parts[1] == "lambda" && parts[2] != "" {
			return parts[2]
		}
	}
	if in.Region != "" {
		return in.Region
	}
	return v.region
}

// fallback returns the chain's credentials, or placeholder ones when the
// chain has none (for Lambda-compatible emulators, which do not check them).
type fallback struct{ chain aws.CredentialsProvider }

func (f *fallback) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if f.chain != nil {
		if c, err := f.chain.Retrieve(ctx); err == nil {
			return c, nil
		} else if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return aws.Credentials{}, err
		}
	}
	return aws.Credentials{AccessKeyID: "gatehouse", SecretAccessKey: "gatehouse", Source: "gatehouse placeholder"}, nil
}
