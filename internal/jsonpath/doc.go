// Package jsonpath evaluates JSONPath expressions with the semantics of
// Jayway JsonPath, the Java library behind API Gateway's $input.path and
// $input.json, over an order-preserving JSON value model.
//
// # Values
//
// Parse decodes JSON into the model that this package and internal/vtl
// share:
//
//	null            nil
//	true, false     bool
//	integers        int64 (json-smart's Integer/Long; larger ones float64)
//	other numbers   float64 (Double)
//	strings         string
//	objects         *Map (keys keep their document order, like LinkedHashMap)
//	arrays          *List
//
// Maps and lists are pointers so that a template can mutate them in place,
// as Java code mutates a LinkedHashMap or an ArrayList.
//
// # Paths
//
// Compile accepts what Jayway accepts: $ and @ roots, dot and bracket
// notation (['a'], ["a"], ['a','b']), indexes ([0], [-1], [0,2]), slices
// ([1:3], [:2], [-2:]), wildcards (.* and [*]), deep scan (..name, ..*,
// ..[0]), filters ([?(@.price < 10 && @.tag)] with ==, !=, <, <=, >, >=,
// =~ /re/i, in, nin, subsetof, anyof, noneof, size, empty) and a trailing
// function (length(), size(), min(), max(), avg(), stddev(), sum(), keys(),
// first(), last()).
//
// A path is definite when it can match at most one value (no wildcard, deep
// scan, filter, slice or index list). Read returns that value for a definite
// path, or a *List of all matches for an indefinite one, as Jayway does.
package jsonpath
