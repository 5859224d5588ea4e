// Command trimmodel copies a botocore service model, keeping only what Gatehouse
// needs at run time (metadata, the selected operations' HTTP bindings and errors,
// and the shapes they reach) and dropping documentation. The output is a data
// file derived from botocore (Apache-2.0); keep its NOTICE beside it.
//
//	go run ./tools/trimmodel -in ../shared/reference/botocore-models/apigatewayv2/2018-11-29/service-2.json \
//	    -exclude Portal,RoutingRule,ProductPage,ProductRestEndpointPage -out internal/awsmodel/apigatewayv2.json
//	go run ./tools/trimmodel -in ../shared/reference/botocore-models/lambda/2015-03-31/service-2.json \
//	    -out internal/awsmodel/lambda.json
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"strings"
)

func main() {
	in := flag.String("in", "", "botocore service-2.json")
	out := flag.String("out", "", "output file")
	exclude := flag.String("exclude", "", "comma-separated substrings of operation names to drop")
	flag.Parse()
	raw, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var m struct {
		Metadata   map[string]any            `json:"metadata"`
		Operations map[string]map[string]any `json:"operations"`
		Shapes     map[string]map[string]any `json:"shapes"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		log.Fatal(err)
	}
	var drop []string
	if *exclude != "" {
		drop = strings.Split(*exclude, ",")
	}
	ops := map[string]any{}
	shapes := map[string]any{}
	var visit func(name string)
	visit = func(name string) {
		if _, ok := shapes[name]; ok || name == "" {
			return
		}
		s := map[string]any{}
		for k, v := range m.Shapes[name] {
			if k != "documentation" {
				s[k] = v
			}
		}
		shapes[name] = s
		if members, ok := s["members"].(map[string]any); ok {
			for mn, mv := range members {
				mm := map[string]any{}
				for k, v := range mv.(map[string]any) {
					if k != "documentation" {
						mm[k] = v
					}
				}
				members[mn] = mm
				visit(mm["shape"].(string))
			}
		}
		for _, k := range []string{"member", "key", "value"} {
			if ref, ok := s[k].(map[string]any); ok {
				visit(ref["shape"].(string))
			}
		}
	}
next:
	for name, op := range m.Operations {
		for _, d := range drop {
			if strings.Contains(name, d) {
				continue next
			}
		}
		o := map[string]any{}
		for _, k := range []string{"name", "http", "input", "output", "errors"} {
			if v, ok := op[k]; ok {
				o[k] = v
			}
		}
		ops[name] = o
		for _, k := range []string{"input", "output"} {
			if ref, ok := op[k].(map[string]any); ok {
				visit(ref["shape"].(string))
			}
		}
		if errs, ok := op["errors"].([]any); ok {
			for _, e := range errs {
				visit(e.(map[string]any)["shape"].(string))
			}
		}
	}
	meta := map[string]any{}
	for _, k := range []string{"apiVersion", "endpointPrefix", "protocol", "serviceId", "signingName", "uid"} {
		meta[k] = m.Metadata[k]
	}
	b, err := json.MarshalIndent(map[string]any{"metadata": meta, "operations": ops, "shapes": shapes}, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}
