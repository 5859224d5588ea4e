package apigw

import "testing"

// The expected strings were produced by Apache Commons Lang 2.6
// (StringEscapeUtils.escapeJavaScript) and java.net.URLEncoder on Java 17.
func TestEscapeJavaScriptMatchesCommonsLang(t *testing.T) {
	in := "line1\nline2\t'q' \"d\" \\ back / é \u0001 \u007f \u0100 \u1234 \U0001F600 \b\f\r"
	want := `line1\nline2\t\'q\' \"d\" \\ back \/ \u00E9 \u0001 ` + "\x7f" + ` \u0100 \u1234 \uD83D\uDE00 \b\f\r`
	if got := EscapeJavaScript(in); got != want {
		t.Errorf("EscapeJavaScript(%q)\n got %s\nwant %s", in, got, want)
	}
	if got := EscapeJavaScript("plain text 123"); got != "plain text 123" {
		t.Errorf("EscapeJavaScript(plain) = %q", got)
	}
}

func TestURLEncodeMatchesJava(t *testing.T) {
	in := "a b&c=d/é~*._-!'()"
	if got, want := URLEncode(in), "a+b%26c%3Dd%2F%C3%A9%7E*._-%21%27%28%29"; got != want {
		t.Errorf("URLEncode(%q) = %s, want %s", in, got, want)
	}
	for enc, want := range map[string]string{"a+b%26c%3Dd%2F%C3%A9": "a b&c=d/é", "plain": "plain", "%7e%7E": "~~"} {
		if got, err := URLDecode(enc); err != nil || got != want {
			t.Errorf("URLDecode(%q) = %q, %v; want %q", enc, got, err, want)
		}
	}
	for _, bad := range []string{"100%", "%zz", "%4"} {
		if _, err := URLDecode(bad); err == nil {
			t.Errorf("URLDecode(%q) succeeded, want an error as Java throws", bad)
		}
	}
}
