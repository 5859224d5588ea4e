package vtl

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The grammar generator builds random but deterministic templates (fixed
// seed) that mix every plain-Velocity construct with the whitespace around
// them, for the differential suite.

const (
	generatorSeed  = 20261122
	generatedCount = 800
)

type gen struct {
	id int // template number: macro names are unique per template, as the
	// harness's single Velocity engine remembers macro names across templates
	r    *rand.Rand
	vars []string
	b    strings.Builder
	loop int // nesting of #foreach
}

func generateTemplates(seed uint64, n int) []string {
	out := make([]string, n)
	for i := range out {
		g := &gen{id: i, r: rand.New(rand.NewPCG(seed, uint64(i)))}
		g.block(0, 4+g.r.IntN(8))
		out[i] = g.b.String()
	}
	return out
}

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) ws() string {
	return g.pick("", "", "", " ", "  ", "\n", "\n  ", " \n", "\t", "\r\n", ",x\n", " y ")
}

func (g *gen) varName() string {
	if len(g.vars) == 0 || g.r.IntN(4) == 0 {
		return g.pick("undef", "nope", "u-x")
	}
	return g.vars[g.r.IntN(len(g.vars))]
}

func (g *gen) block(depth, n int) {
	for i := 0; i < n; i++ {
		g.b.WriteString(g.ws())
		g.stmt(depth)
	}
	g.b.WriteString(g.ws())
}

func (g *gen) stmt(depth int) {
	k := g.r.IntN(17)
	if depth >= 3 && k >= 8 && k < 14 {
		k = g.r.IntN(8)
	}
	switch k {
	case 0, 1:
		name := fmt.Sprintf("v%d", g.r.IntN(5))
		fmt.Fprintf(&g.b, "#set(%s$%s = %s%s)", g.pick("", " "), name, g.expr(2), g.pick("", " "))
		g.vars = append(g.vars, name)
	case 2, 3:
		g.b.WriteString(g.ref())
	case 4:
		g.b.WriteString(g.pick("text", "a,b", "{", "}", "\"q\"", "'s'", ": ", "1.5", "\\", "$1", "#1", "a#b", "x$1", "50%", "a/b"))
		if g.b.Len() > 0 && strings.HasSuffix(g.b.String(), "#") {
			g.b.WriteString("z")
		}
	case 5:
		g.b.WriteString(g.pick("## comment\n", "#* block *#", "#* multi\nline *#", "#[[ $raw #if ]]#", "## end"+"\n"))
	case 6:
		fmt.Fprintf(&g.b, "%s$%s", g.pick("\\", "\\\\", "\\\\\\"), g.varName())
	case 7:
		// Escaped directives, balanced so that the template still parses.
		g.b.WriteString(g.pick(`\#if(true)x\#end`, `\\#if(true)x\\#end`, `\\\#if(true)x\\\#end`,
			`\#set($e = 1)$e`, `\\#set($e = 1)$e`, `\#end`, `\#else`, `\#{end}`, `\#foreach`))
		if g.r.IntN(2) == 0 {
			fmt.Fprintf(&g.b, "%s#m%d()", g.pick(`\`, `\\`), g.id)
		}
	case 8, 9:
		fmt.Fprintf(&g.b, "#if(%s)", g.cond(2))
		g.block(depth+1, 1+g.r.IntN(3))
		if g.r.IntN(2) == 0 {
			fmt.Fprintf(&g.b, "#elseif(%s)", g.cond(2))
			g.block(depth+1, 1+g.r.IntN(2))
		}
		if g.r.IntN(2) == 0 {
			g.b.WriteString(g.pick("#else", "#{else}"))
			g.block(depth+1, 1+g.r.IntN(2))
		}
		g.b.WriteString(g.pick("#end", "#{end}"))
	case 10, 11:
		v := fmt.Sprintf("i%d", depth)
		fmt.Fprintf(&g.b, "#foreach(%s$%s in %s%s)", g.pick("", " "), v, g.iterable(), g.pick("", " "))
		g.vars = append(g.vars, v)
		g.loop++
		g.block(depth+1, 1+g.r.IntN(3))
		g.b.WriteString(g.pick("$foreach.count", "$foreach.index", "#if($foreach.hasNext),#end", "$velocityCount", "$foreach.first", "$foreach.last", ""))
		if g.r.IntN(6) == 0 {
			g.b.WriteString("#if($foreach.count == 2)#break#end")
		}
		g.loop--
		g.b.WriteString(g.pick("#end", "#{end}"))
	case 12:
		name := fmt.Sprintf("%s%d", g.pick("m", "mm"), g.id)
		fmt.Fprintf(&g.b, "#macro(%s $p $q)[$p|$!q]%s#end%s#%s(%s %s)", name, g.ws(), g.ws(), name, g.param(), g.param())
	case 14:
		v := g.varName()
		fmt.Fprintf(&g.b, "#set($%s%s = %s)", v, g.pick(".k", `["k"]`, "[0]", ".size", `.get("k")`), g.expr(1))
	case 15:
		fmt.Fprintf(&g.b, "#foreach($r in [$%s..%s])$r#end", g.varName(), g.pick("2", "$"+g.varName(), "-1"))
	case 16:
		fmt.Fprintf(&g.b, "#macro(inner%d $x)<$x>#end#macro(outer%d $y)#inner%d($y)#inner%d(\"$y!\")#end#outer%d(%s)", g.id, g.id, g.id, g.id, g.id, g.param())
	case 13:
		if g.loop > 0 && g.r.IntN(3) == 0 {
			g.b.WriteString("#break")
		} else {
			g.b.WriteString(g.pick("#stop", "#if(false)#stop#end"))
		}
	}
}

func (g *gen) ref() string {
	v := g.varName()
	switch g.r.IntN(9) {
	case 0:
		return "$!" + v
	case 1:
		return "${" + v + "}"
	case 2:
		return "$!{" + v + "}"
	case 3:
		return "$" + v + "." + g.method()
	case 4:
		return "${" + v + "." + g.method() + "}"
	case 5:
		return "$" + v + g.pick(".size()", ".length()", ".empty", ".isEmpty()", ".class.x", ".foo", "[0]", "[-1]", ".get(0)", ".keySet()", ".values()", ".entrySet()")
	case 6:
		return "$" + v + g.pick(".", ".(", "-", "..x", " .x", "[", "]")
	}
	return "$" + v
}

func (g *gen) method() string {
	return g.pick("toString()", "toUpperCase()", "toLowerCase()", "trim()", "substring(1)", "substring(0, 1)",
		"indexOf(\"a\")", "lastIndexOf('a')", "contains(\"1\")", "startsWith(\"a\")", "endsWith('z')",
		"replace(\"a\", \"b\")", "replaceAll(\"[0-9]\", \"#\")", "replaceFirst(\"(a)(b)?\", \"<$1>\")", "matches(\"[a-z]+\")",
		"equals(\"a\")", "equalsIgnoreCase('A')", "charAt(0)", "concat('!')", "length()",
		"size()", "get(0)", "get(\"k\")", "containsKey(\"k\")", "contains(1)", "indexOf(2)", "isEmpty()",
		"put(\"k\", 5)", "add(7)", "remove(\"k\")", "keySet()", "intValue()", "compareTo(3)", "split(\",\").size()")
}

func (g *gen) param() string {
	switch g.r.IntN(6) {
	case 0:
		return "$" + g.varName()
	case 1:
		return g.pick("[1, 2]", "[]", "{\"k\": 1}", "{}", "[1..3]")
	}
	return g.literal()
}

func (g *gen) literal() string {
	return g.pick("0", "1", "2", "-3", "7", "10", "2147483647", "-2147483648", "9223372036854775807", "100000",
		"1.5", "0.1", "2.0", "-0.5", "1.0E10", "3.14159", "1234.5678",
		"true", "false",
		`"abc"`, `"a,b,,c,"`, `'k'`, `"Hello World"`, `""`, `' '`, `"x$v0"`, `"$!undef y"`, `'$v1'`, `"a""b"`, `'it''s'`,
		`"#if(true)T#{else}F#end"`, `"é ü ✓"`, `"  pad  "`, `"123"`)
}

func (g *gen) iterable() string {
	switch g.r.IntN(5) {
	case 0:
		return fmt.Sprintf("[%d..%d]", g.r.IntN(5)-1, g.r.IntN(6)-1)
	case 1:
		return "$" + g.varName()
	case 2:
		return g.pick("{\"a\": 1, \"b\": \"x\"}", "{}", "$undef")
	}
	return g.pick("[1, 2, 3]", "[\"a\", \"b\"]", "[]", "[[1, 2], {\"k\": \"v\"}]", "[true, 1.5, 'x', $undef]")
}

func (g *gen) expr(depth int) string {
	if depth <= 0 {
		return g.atom()
	}
	switch g.r.IntN(8) {
	case 0, 1:
		return g.expr(depth-1) + " " + g.pick("+", "-", "*", "/", "%") + " " + g.expr(depth-1)
	case 2:
		return "(" + g.expr(depth-1) + ")"
	case 3:
		return g.cond(depth - 1)
	}
	return g.atom()
}

func (g *gen) atom() string {
	switch g.r.IntN(7) {
	case 0, 1:
		return "$" + g.varName()
	case 2:
		return "$" + g.varName() + "." + g.method()
	case 3:
		return g.pick("[1, 2, 3]", "[\"a\", 'b', 3]", "[]", "[1..4]", "[3..-1]", "{\"k\": \"v\", \"n\": 2}", "{}", "[[1], {\"a\": [2]}]")
	}
	return g.literal()
}

func (g *gen) cond(depth int) string {
	if depth <= 0 {
		return g.pick("true", "false", "$"+g.varName(), "!$"+g.varName())
	}
	switch g.r.IntN(6) {
	case 0:
		return g.cond(depth-1) + g.pick(" && ", " || ", " and ", " or ") + g.cond(depth-1)
	case 1:
		return g.pick("!", "not ") + g.cond(depth-1)
	case 2:
		return "(" + g.cond(depth-1) + ")"
	case 3, 4:
		return g.atom() + " " + g.pick("==", "!=", "<", "<=", ">", ">=", "eq", "ne", "lt", "gt") + " " + g.atom()
	}
	return g.pick("true", "false", "$"+g.varName(), "1", `"s"`)
}
