package vtl

// node is one element of a parsed template body.
type node interface{}

// textNode is literal output.
type textNode struct{ text string }

// refNode is a reference: $name, $!name, ${name}, with modifiers.
type refNode struct {
	pos     int    // offset of '$'
	raw     string // the source text, printed when the reference is null
	quiet   bool   // $!name: print nothing when null
	braced  bool   // ${name}
	escapes int    // backslashes written before the '$'
	name    string
	slot    int // the variable's slot in a render (Template.slot)
	mods    []modifier
}

type modKind uint8

const (
	modProperty modKind = iota // .name
	modMethod                  // .name(args)
	modIndex                   // [expr]
)

type modifier struct {
	kind  modKind
	pos   int
	name  string
	cap   string // name with its first letter upper-cased
	get   string // "get" + cap: the getter a property tries first
	is    string // "is" + cap: the boolean getter it tries next
	args  []expr
	index expr
}

type setNode struct {
	pos    int
	target *refNode
	value  expr
}

type ifBranch struct {
	cond expr
	body []node
}

type ifNode struct {
	pos      int
	branches []ifBranch
	elseBody []node
}

type foreachNode struct {
	pos     int
	varName string
	varSlot int
	state   int // the slot of $foreach
	iter    expr
	body    []node
}

type breakNode struct{ pos int }

type stopNode struct{ pos int }

type macroCallNode struct {
	pos  int
	name string
	raw  string // printed when no such macro is defined (with the newline its ')' swallowed)
	args []expr
}

// macroDef is a #macro definition.
type macroDef struct {
	name   string
	params []string
	slots  []int // params' slots
	body   []node
}

// expr is an expression inside a directive or a method argument.
type expr interface{}

type literalExpr struct {
	v   any
	src string // source text, for null operands of string concatenation
}

// interpExpr is a double-quoted string containing $ or #: a template.
type interpExpr struct {
	pos   int
	nodes []node
	src   string
}

type listExpr struct{ items []expr }

type mapExpr struct{ keys, vals []expr }

type rangeExpr struct {
	pos      int
	from, to expr
}

type refExpr struct{ ref *refNode }

type binaryExpr struct {
	pos         int
	op          string
	left, right expr
	// lit is what Velocity prints for this node as a null operand of a
	// string concatenation: the source after the operator, spaces included.
	lit string
}

type notExpr struct{ inner expr }

// parenExpr keeps parentheses, which pass conditions through.
type parenExpr struct{ inner expr }
