package lambda

import "encoding/json"

// FunctionConfiguration is the wire shape of the same name (the members
// Gatehouse fills in; unset ones are omitted, as AWS omits them).
type FunctionConfiguration struct {
	FunctionName         string                `json:"FunctionName"`
	FunctionArn          string                `json:"FunctionArn"`
	Runtime              string                `json:"Runtime,omitempty"`
	Role                 string                `json:"Role"`
	Handler              string                `json:"Handler,omitempty"`
	CodeSize             int64                 `json:"CodeSize"`
	Description          string                `json:"Description"`
	Timeout              int                   `json:"Timeout"`
	MemorySize           int                   `json:"MemorySize"`
	LastModified         string                `json:"LastModified"`
	CodeSha256           string                `json:"CodeSha256"`
	Version              string                `json:"Version"`
	Environment          *EnvironmentResponse  `json:"Environment,omitempty"`
	TracingConfig        *TracingConfig        `json:"TracingConfig,omitempty"`
	RevisionId           string                `json:"RevisionId"`
	State                string                `json:"State"`
	LastUpdateStatus     string                `json:"LastUpdateStatus"`
	PackageType          string                `json:"PackageType"`
	Architectures        []string              `json:"Architectures"`
	EphemeralStorage     *EphemeralStorage     `json:"EphemeralStorage,omitempty"`
	SnapStart            *SnapStartResponse    `json:"SnapStart,omitempty"`
	LoggingConfig        *LoggingConfig        `json:"LoggingConfig,omitempty"`
	RuntimeVersionConfig *RuntimeVersionConfig `json:"RuntimeVersionConfig,omitempty"`
}

// EnvironmentResponse is a function's environment as returned.
type EnvironmentResponse struct {
	Variables map[string]string `json:"Variables"`
}

// Environment is a function's environment as sent.
type Environment struct {
	Variables map[string]string `json:"Variables"`
}

// TracingConfig is the X-Ray mode (always PassThrough locally).
type TracingConfig struct {
	Mode string `json:"Mode"`
}

// EphemeralStorage is the /tmp size in MB.
type EphemeralStorage struct {
	Size int `json:"Size"`
}

// SnapStartResponse reports SnapStart (off).
type SnapStartResponse struct {
	ApplyOn            string `json:"ApplyOn"`
	OptimizationStatus string `json:"OptimizationStatus"`
}

// LoggingConfig is where the function's logs would go.
type LoggingConfig struct {
	LogFormat string `json:"LogFormat,omitempty"`
	LogGroup  string `json:"LogGroup,omitempty"`
}

// RuntimeVersionConfig names the runtime version.
type RuntimeVersionConfig struct {
	RuntimeVersionArn string `json:"RuntimeVersionArn"`
}

// FunctionCode is the Code member of CreateFunction (and the body of
// UpdateFunctionCode).
type FunctionCode struct {
	ZipFile  []byte `json:"ZipFile,omitempty"` // base64 on the wire
	S3Bucket string `json:"S3Bucket,omitempty"`
	S3Key    string `json:"S3Key,omitempty"`
	ImageUri string `json:"ImageUri,omitempty"`
}

// FunctionCodeLocation is GetFunction's Code member.
type FunctionCodeLocation struct {
	RepositoryType string `json:"RepositoryType"`
	Location       string `json:"Location,omitempty"`
}

// Concurrency is a function's reserved concurrency.
type Concurrency struct {
	ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions,omitempty"`
}

// GetFunctionResponse is GetFunction's output.
type GetFunctionResponse struct {
	Configuration *FunctionConfiguration `json:"Configuration"`
	Code          *FunctionCodeLocation  `json:"Code"`
	Tags          map[string]string      `json:"Tags,omitempty"`
	Concurrency   *Concurrency           `json:"Concurrency,omitempty"`
}

// ListFunctionsResponse is ListFunctions' output.
type ListFunctionsResponse struct {
	Functions  []json.RawMessage `json:"Functions"`
	NextMarker string            `json:"NextMarker,omitempty"`
}

// AddPermissionResponse is AddPermission's output: the statement as a JSON
// string.
type AddPermissionResponse struct {
	Statement string `json:"Statement"`
}

// GetPolicyResponse is GetPolicy's output: the policy as a JSON string.
type GetPolicyResponse struct {
	Policy     string `json:"Policy"`
	RevisionId string `json:"RevisionId"`
}

// Function is the record stored per function.
type Function struct {
	Configuration FunctionConfiguration `json:"configuration"`
	// CodeDir is the directory the function runs from: the unpacked
	// deployment package, or the user's directory in directory mode.
	CodeDir string `json:"codeDir"`
	// Local is true in directory mode (changes are picked up live).
	Local bool `json:"local,omitempty"`
	// Reserved is the reserved concurrency, nil if none.
	Reserved *int `json:"reserved,omitempty"`
	// Statements are the resource policy's statements, in order.
	Statements []json.RawMessage `json:"statements,omitempty"`
	// PolicyRevision changes with every permission change.
	PolicyRevision string            `json:"policyRevision,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
}
