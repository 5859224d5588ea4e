package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gatehouse-dev/gatehouse/internal/jsonpath"
	"github.com/gatehouse-dev/gatehouse/internal/vtl"
	"github.com/gatehouse-dev/gatehouse/internal/vtl/apigw"
)

// maxRenderInput bounds the template and body files read by vtl render
// (API Gateway's payload limit).
const maxRenderInput = 10 << 20

type vtlRenderOptions struct {
	template       string
	body           string
	contentType    string
	context        string
	stageVariables string
	params         string
}

func vtlCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vtl",
		Short: "Work with API Gateway mapping templates offline",
	}
	cmd.AddCommand(vtlRenderCommand())
	return cmd
}

func vtlRenderCommand() *cobra.Command {
	var o vtlRenderOptions
	cmd := &cobra.Command{
		Use:   "render --template FILE [--body FILE|-] [flags]",
		Short: "Render a mapping template as API Gateway would",
		Long: `Render a REST API mapping template (Velocity) with API Gateway's $input, $util,
$context and $stageVariables, and print the result on stdout. Overrides the
template sets ($context.requestOverride / responseOverride) are listed on stderr.

  gatehouse vtl render --template request.vtl --body event.json \
      --params '{"path":{"id":"42"},"querystring":{"q":"x"},"header":{"Accept":"*/*"}}' \
      --context '{"stage":"prod","identity":{"sourceIp":"203.0.113.7"}}' \
      --stage-variables '{"backend":"orders"}'

A template error exits with status 1 and its line:column.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVTLRender(cmd.Context(), o, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.template, "template", "", "mapping template file (required)")
	f.StringVar(&o.body, "body", "", "payload file, or - for stdin (default: empty payload)")
	f.StringVar(&o.contentType, "content-type", "", "Content-Type of the payload, added to the request headers unless --params sets it")
	f.StringVar(&o.context, "context", "", `$context variables as a JSON object, e.g. '{"stage":"prod"}'`)
	f.StringVar(&o.stageVariables, "stage-variables", "", `$stageVariables as a JSON object of strings`)
	f.StringVar(&o.params, "params", "", `request parameters: '{"path":{},"querystring":{},"header":{}}'`)
	_ = cmd.MarkFlagRequired("template")
	return cmd
}

func readLimited(r io.Reader, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRenderInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	if len(data) > maxRenderInput {
		return nil, fmt.Errorf("%s is larger than %d bytes", what, maxRenderInput)
	}
	return data, nil
}

func readFile(path, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	defer f.Close()
	return readLimited(f, what+" "+path)
}

// jsonObjectFlag parses a flag holding a JSON object; empty means none.
func jsonObjectFlag(name, text string) (*jsonpath.Map, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	v, err := jsonpath.ParseString(text)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", name, err)
	}
	m, ok := v.(*jsonpath.Map)
	if !ok {
		return nil, fmt.Errorf("--%s must be a JSON object", name)
	}
	return m, nil
}

// stringParams turns a JSON object of scalars into parameters.
func stringParams(name string, m *jsonpath.Map) ([]apigw.Param, error) {
	if m == nil {
		return nil, nil
	}
	ps := make([]apigw.Param, 0, m.Len())
	for i := 0; i < m.Len(); i++ {
		k, v := m.At(i)
		switch v.(type) {
		case *jsonpath.Map, *jsonpath.List:
			return nil, fmt.Errorf("--%s: %q must be a string, not %s", name, k, jsonpath.JSON(v))
		}
		ps = append(ps, apigw.Param{Name: k, Value: vtl.JavaString(v)})
	}
	return ps, nil
}

func parseParams(text, contentType string) (apigw.Params, error) {
	var p apigw.Params
	m, err := jsonObjectFlag("params", text)
	if err != nil {
		return p, err
	}
	if m != nil {
		for _, k := range m.Keys() {
			v, _ := m.Get(k)
			sub, ok := v.(*jsonpath.Map)
			if !ok {
				return p, fmt.Errorf("--params: %q must be an object of parameters", k)
			}
			ps, err := stringParams("params", sub)
			if err != nil {
				return p, err
			}
			switch k {
			case "path":
				p.Path = ps
			case "querystring":
				p.QueryString = ps
			case "header":
				p.Header = ps
			default:
				return p, fmt.Errorf("--params: unknown location %q (want path, querystring or header)", k)
			}
		}
	}
	if contentType != "" {
		for _, h := range p.Header {
			if strings.EqualFold(h.Name, "Content-Type") {
				return p, nil
			}
		}
		p.Header = append(p.Header, apigw.Param{Name: "Content-Type", Value: contentType})
	}
	return p, nil
}

func runVTLRender(ctx context.Context, o vtlRenderOptions, stdin io.Reader, stdout, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	src, err := readFile(o.template, "template")
	if err != nil {
		return err
	}
	var body []byte
	switch o.body {
	case "":
	case "-":
		if body, err = readLimited(stdin, "body from stdin"); err != nil {
			return err
		}
	default:
		if body, err = readFile(o.body, "body"); err != nil {
			return err
		}
	}
	params, err := parseParams(o.params, o.contentType)
	if err != nil {
		return err
	}
	ctxVars, err := jsonObjectFlag("context", o.context)
	if err != nil {
		return err
	}
	stageMap, err := jsonObjectFlag("stage-variables", o.stageVariables)
	if err != nil {
		return err
	}
	stage, err := stringParams("stage-variables", stageMap)
	if err != nil {
		return err
	}
	tpl, err := vtl.Parse(o.template, string(src))
	if err != nil {
		return err
	}
	vars, ov := apigw.Vars(apigw.Data{Body: body, Params: params, Context: ctxVars, StageVariables: stage})
	out, err := tpl.Render(ctx, vars)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(stdout, out); err != nil {
		return err
	}
	printOverrides(stderr, ov)
	return nil
}

func printOverrides(w io.Writer, ov *apigw.Overrides) {
	list := func(kind string, ps []apigw.Param) {
		for _, p := range ps {
			fmt.Fprintf(w, "override: $context.%s.%s = %s\n", kind, p.Name, p.Value)
		}
	}
	list("requestOverride.header", ov.RequestHeaders())
	list("requestOverride.querystring", ov.RequestQueryString())
	list("requestOverride.path", ov.RequestPath())
	list("responseOverride.header", ov.ResponseHeaders())
	if s, ok := ov.Status(); ok {
		fmt.Fprintf(w, "override: $context.responseOverride.status = %d\n", s)
	}
}
