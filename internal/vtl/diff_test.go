package vtl

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The differential suite renders every template of testdata/diff/*.txt
// (separated by lines "%%%%") and of the grammar generator (gen_test.go)
// with Apache Velocity 1.7 on the JVM and with this package, and requires
// byte-identical output, or an error from both.
//
// It needs java, javac and the Debian package velocity (jars in
// /usr/share/java); it skips without them, except under CI where it fails.

const diffSeparator = "\n%%%%\n"

// velocityJars are the class path of Velocity 1.7 and its dependencies.
var velocityJars = []string{"velocity-1.7.jar", "commons-collections3.jar", "commons-lang.jar"}

func velocityClassPath(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("VELOCITY_JARS")
	if dir == "" {
		dir = "/usr/share/java"
	}
	var missing []string
	var cp []string
	for _, j := range velocityJars {
		p := filepath.Join(dir, j)
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
		cp = append(cp, p)
	}
	for _, tool := range []string{"java", "javac"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("differential suite needs Apache Velocity 1.7 and a JDK (apt-get install velocity default-jdk-headless); missing: %s", strings.Join(missing, ", "))
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return strings.Join(cp, string(os.PathListSeparator))
}

type velocityResult struct {
	ok  bool
	out string
}

// runVelocity renders templates with Apache Velocity 1.7 in one JVM.
func runVelocity(t *testing.T, templates []string) []velocityResult {
	t.Helper()
	cp := velocityClassPath(t)
	classes := t.TempDir()
	javac := exec.Command("javac", "-nowarn", "-d", classes, "-cp", cp, filepath.Join("testdata", "velocity", "Harness.java"))
	if out, err := javac.CombinedOutput(); err != nil {
		t.Fatalf("javac Harness.java: %v\n%s", err, out)
	}
	var in bytes.Buffer
	for _, tpl := range templates {
		fmt.Fprintf(&in, "%d\n%s", len(tpl), tpl)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", "-cp", classes+string(os.PathListSeparator)+cp, "Harness")
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("java Harness: %v\n%s", err, stderr.String())
	}
	rd := bufio.NewReader(bytes.NewReader(out))
	results := make([]velocityResult, 0, len(templates))
	for range templates {
		header, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("reading harness output after %d results: %v", len(results), err)
		}
		kind, size, _ := strings.Cut(strings.TrimSpace(header), " ")
		n, err := strconv.Atoi(size)
		if err != nil {
			t.Fatalf("bad harness header %q", header)
		}
		body := make([]byte, n+1)
		if _, err := io.ReadFull(rd, body); err != nil {
			t.Fatalf("reading harness output: %v", err)
		}
		results = append(results, velocityResult{ok: kind == "OK", out: string(body[:n])})
	}
	return results
}

// diffCorpus returns the hand-written templates and the generated ones.
func diffCorpus(t *testing.T) (names, templates []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "diff", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, tpl := range strings.Split(string(data), diffSeparator) {
			names = append(names, fmt.Sprintf("%s#%d", filepath.Base(f), i+1))
			templates = append(templates, tpl)
		}
	}
	for i, tpl := range generateTemplates(generatorSeed, generatedCount) {
		names = append(names, fmt.Sprintf("generated#%d", i+1))
		templates = append(templates, tpl)
	}
	return names, templates
}

func TestDifferentialVelocity(t *testing.T) {
	names, templates := diffCorpus(t)
	want := runVelocity(t, templates)
	failures, velocityErrors := 0, 0
	for i, tpl := range templates {
		if !want[i].ok {
			velocityErrors++
		}
		got, err := renderForDiff(tpl)
		w := want[i]
		switch {
		case !w.ok && err == nil:
			t.Errorf("%s: Velocity fails (%s) but we render %q\ntemplate: %q", names[i], firstLine(w.out), got, tpl)
		case w.ok && err != nil:
			t.Errorf("%s: Velocity renders %q but we fail: %v\ntemplate: %q", names[i], w.out, err, tpl)
		case w.ok && got != w.out:
			t.Errorf("%s: output differs\ntemplate: %q\nvelocity: %q\n     got: %q", names[i], tpl, w.out, got)
		default:
			continue
		}
		if failures++; failures >= 40 {
			t.Fatalf("stopping after %d differences", failures)
		}
	}
	t.Logf("%d templates compared (%d generated); %d are errors for both engines", len(templates), generatedCount, velocityErrors)
}

func renderForDiff(src string) (string, error) {
	tpl, err := Parse("t", src)
	if err != nil {
		return "", err
	}
	return tpl.RenderLimits(context.Background(), nil, Limits{MaxIterations: -1})
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
