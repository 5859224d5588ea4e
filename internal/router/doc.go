// Package router selects the HTTP API route for a request, the way API Gateway
// does for HTTP APIs [DG:http-api-develop-routes]. Routes are compiled once per
// deployment by [New] into a trie keyed by path segment; [Router.Match] walks
// it, so its cost depends on the request path, not on the number of routes.
//
// Route keys are "$default" or "METHOD /path", with METHOD one of ANY, GET,
// POST, PUT, PATCH, DELETE, HEAD, OPTIONS (upper case). Each path segment is a
// literal, a variable "{name}" matching one whole non-empty segment, or, as the
// last segment only, a greedy variable "{name+}" matching one or more
// remaining segments. "/" is a valid path that matches only "/".
//
// The most specific route wins:
//
//  1. a route without a greedy variable that matches the whole path. Segment
//     by segment from the left, a literal beats "{var}"; if the literal branch
//     cannot complete a match, the "{var}" branch is tried (backtracking).
//  2. a route with a greedy variable: the one with the longest prefix before
//     "{name+}" wins; among prefixes of equal length, literal beats "{var}" as
//     above.
//  3. the "$default" route, whatever the method and path.
//
// Path specificity decides first; on the chosen path pattern an exact method
// beats ANY ("ANY matches all methods that you haven't defined for a
// resource"). If the chosen pattern has neither the request method nor ANY,
// the next candidate in the order above is tried. HEAD is not GET: a HEAD
// request needs a HEAD or ANY route. ANY also accepts methods outside the
// list above.
//
// Request paths are matched as received, still percent-encoded, without the
// stage prefix. Each segment is percent-decoded before it is compared with a
// literal, so route "/café" matches "/caf%C3%A9"; an encoded slash "%2F" stays
// inside its segment. Literals in route keys are taken as written, never
// decoded. A segment that is not valid percent-encoding matches no literal
// but can fill a variable. Empty segments ("/a//b", "/a/") never fill a
// literal or "{var}"; a greedy variable takes the rest of the path, empty
// segments included, but only if that rest is not empty, so "/a/{p+}" matches
// neither "/a" nor "/a/". Matching is case-sensitive. A path that does not
// start with "/" can only match "$default".
package router
