package apigwv2

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// modelTemplate generates a Velocity mapping template that rebuilds a payload of
// the model's JSON schema from $input, as GetModelTemplate does: objects become
// JSON objects of their properties, arrays a #foreach over the elements, and
// scalars a reference to the input value (quoted for strings).
func modelTemplate(schema string) (string, error) {
	var s map[string]any
	if err := json.Unmarshal([]byte(schema), &s); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("#set($inputRoot = $input.path('$'))\n")
	writeSchema(&b, s, "$inputRoot", 0, map[string]any{}, 0)
	return b.String(), nil
}

const maxTemplateDepth = 16

func writeSchema(b *strings.Builder, s map[string]any, ref string, indent int, defs map[string]any, depth int) {
	pad := strings.Repeat("  ", indent)
	if depth > maxTemplateDepth {
		fmt.Fprintf(b, "%s", ref)
		return
	}
	switch typ, _ := s["type"].(string); typ {
	case "object":
		props, _ := s["properties"].(map[string]any)
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		sort.Strings(names)
		b.WriteString("{\n")
		for i, n := range names {
			p, _ := props[n].(map[string]any)
			fmt.Fprintf(b, "%s  \"%s\" : ", pad, n)
			writeSchema(b, p, ref+"."+n, indent+1, defs, depth+1)
			if i < len(names)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(pad + "}")
	case "array":
		item, _ := s["items"].(map[string]any)
		v := fmt.Sprintf("$elem%d", depth)
		fmt.Fprintf(b, "[\n%s#foreach(%s in %s)\n%s  ", pad, v, ref, pad)
		writeSchema(b, item, v, indent+1, defs, depth+1)
		fmt.Fprintf(b, "#if($foreach.hasNext),#end\n%s#end\n%s]", pad, pad)
	case "string":
		fmt.Fprintf(b, "\"%s\"", ref)
	default:
		b.WriteString(ref)
	}
}
