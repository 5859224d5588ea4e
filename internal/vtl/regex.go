package vtl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Java regular expressions run on Go's RE2 engine, which accepts the same
// syntax for everything but backreferences, lookaround and possessive
// quantifiers; those fail with an error instead of matching differently.

// regexCache holds compiled patterns; templates use a handful of literal
// patterns, so it is bounded and simply stops growing when full.
var regexCache sync.Map // string → *regexp.Regexp

var regexCacheSize struct {
	sync.Mutex
	n int
}

const maxCachedRegexps = 1024

func compileJavaRegex(pat string) (*regexp.Regexp, error) {
	if re, ok := regexCache.Load(pat); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, fmt.Errorf("unsupported or invalid regular expression %q: %w", pat, err)
	}
	regexCacheSize.Lock()
	if regexCacheSize.n < maxCachedRegexps {
		regexCacheSize.n++
		regexCache.Store(pat, re)
	}
	regexCacheSize.Unlock()
	return re, nil
}

var errReplacement = errors.New("invalid replacement string")

// javaReplace is Matcher.replaceAll / replaceFirst: $n and ${name} insert
// groups, a backslash quotes the next character.
func javaReplace(re *regexp.Regexp, s, rep string, all bool, maxLen int) (string, error) {
	var b strings.Builder
	last := 0
	n := -1
	if !all {
		n = 1
	}
	for _, m := range re.FindAllStringSubmatchIndex(s, n) {
		b.WriteString(s[last:m[0]])
		if err := expandJava(&b, re, s, rep, m); err != nil {
			return "", err
		}
		last = m[1]
		if b.Len() > maxLen {
			return "", ErrLimit
		}
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func expandJava(b *strings.Builder, re *regexp.Regexp, s, rep string, m []int) error {
	groups := re.NumSubexp()
	for i := 0; i < len(rep); i++ {
		c := rep[i]
		switch c {
		case '\\':
			i++
			if i >= len(rep) {
				return fmt.Errorf("%w: character to be escaped is missing", errReplacement)
			}
			b.WriteByte(rep[i])
		case '$':
			i++
			if i >= len(rep) {
				return fmt.Errorf("%w: illegal group reference: group index is missing", errReplacement)
			}
			g := -1
			if rep[i] == '{' {
				end := strings.IndexByte(rep[i:], '}')
				if end < 0 {
					return fmt.Errorf("%w: named capturing group is missing trailing '}'", errReplacement)
				}
				g = re.SubexpIndex(rep[i+1 : i+end])
				if g < 0 {
					return fmt.Errorf("%w: no group with name {%s}", errReplacement, rep[i+1:i+end])
				}
				i += end
			} else {
				if rep[i] < '0' || rep[i] > '9' {
					return fmt.Errorf("%w: illegal group reference", errReplacement)
				}
				g = int(rep[i] - '0')
				// Java takes further digits while the group exists.
				for i+1 < len(rep) && rep[i+1] >= '0' && rep[i+1] <= '9' {
					ng := g*10 + int(rep[i+1]-'0')
					if ng > groups {
						break
					}
					g = ng
					i++
				}
				if g > groups {
					return fmt.Errorf("%w: no group %d", errReplacement, g)
				}
			}
			if m[2*g] >= 0 {
				b.WriteString(s[m[2*g]:m[2*g+1]])
			}
		default:
			b.WriteByte(c)
		}
	}
	return nil
}

// javaSplit is String.split(regex, limit).
func javaSplit(s, pat string, limit int) ([]string, error) {
	if s == "" {
		return []string{""}, nil
	}
	var parts []string
	if len(pat) == 1 && !strings.ContainsAny(pat, ".$|()[{^?*+\\") {
		if limit > 0 {
			parts = strings.SplitN(s, pat, limit)
		} else {
			parts = strings.Split(s, pat)
		}
	} else {
		re, err := compileJavaRegex(pat)
		if err != nil {
			return nil, err
		}
		last := 0
		for _, m := range re.FindAllStringIndex(s, -1) {
			if limit > 0 && len(parts) == limit-1 {
				break
			}
			if m[1] == 0 {
				continue // no leading empty string for a zero-width match at 0
			}
			if m[0] == m[1] && m[0] >= len(s) {
				continue
			}
			parts = append(parts, s[last:m[0]])
			last = m[1]
		}
		parts = append(parts, s[last:])
	}
	if limit == 0 {
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
	}
	return parts, nil
}

// literalRegex returns the text a pattern matches when it has no regular
// expression operators (escaped punctuation counts as literal).
func literalRegex(pat string) (string, bool) {
	if pat == "" {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch {
		case c == '\\':
			i++
			if i >= len(pat) || isWordChar(pat[i]) || pat[i] >= 0x80 {
				return "", false
			}
			b.WriteByte(pat[i])
		case strings.IndexByte(".$|()[]{}^?*+", c) >= 0:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// literalReplacement returns a replacement's text when it refers to no
// group.
func literalReplacement(rep string) (string, bool) {
	if !strings.ContainsAny(rep, "$\\") {
		return rep, true
	}
	if strings.IndexByte(rep, '$') >= 0 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(rep); i++ {
		if rep[i] == '\\' {
			i++
			if i >= len(rep) {
				return "", false
			}
		}
		b.WriteByte(rep[i])
	}
	return b.String(), true
}
