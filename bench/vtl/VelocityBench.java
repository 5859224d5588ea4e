// VelocityBench times renders of the benchmark templates with Apache
// Velocity 1.7 after a warm-up, for bench/vtl/run.sh. $input and $util are
// minimal Java equivalents of API Gateway's: the body is parsed once per
// render (as Gatehouse does), $input.path walks definite paths ($.a.b[0]),
// $util.escapeJavaScript is Commons Lang's (what Velocity-era code used).
//
// Usage: java VelocityBench DIR SECONDS NAME...
// Prints one line per template: "NAME RENDERS_PER_SECOND OUTPUT_BYTES",
// the median of five rounds after a warm-up of SECONDS.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.runtime.RuntimeInstance;

public class VelocityBench {
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        double seconds = Double.parseDouble(args[1]);
        RuntimeInstance ri = new RuntimeInstance();
        ri.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
        ri.init();
        for (int i = 2; i < args.length; i++) {
            String name = args[i];
            String src = new String(Files.readAllBytes(dir.resolve(name + ".vtl")), StandardCharsets.UTF_8);
            String body = new String(Files.readAllBytes(dir.resolve(name + ".json")), StandardCharsets.UTF_8);
            Template t = new Template();
            t.setRuntimeServices(ri);
            t.setName(name);
            t.setData(ri.parse(new StringReader(src), name));
            t.initDocument();
            int bytes = render(t, body).length();
            run(t, body, (long) (seconds * 1e9)); // warm-up
            // Median of five rounds after the warm-up: the steady state.
            double[] rates = new double[5];
            for (int r = 0; r < 5; r++) {
                rates[r] = run(t, body, (long) (seconds / 5 * 1e9)) / (seconds / 5);
            }
            java.util.Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%s %.1f %d%n", name, rates[2], bytes);
        }
    }

    static long run(Template t, String body, long nanos) throws Exception {
        long n = 0, start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            for (int i = 0; i < 64; i++) render(t, body);
            n += 64;
        }
        return (long) (n * (double) nanos / (System.nanoTime() - start));
    }

    static String render(Template t, String body) throws Exception {
        VelocityContext ctx = new VelocityContext();
        ctx.put("input", new Input(body));
        ctx.put("util", UTIL);
        Map<String, Object> c = new HashMap<String, Object>();
        c.put("requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        c.put("stage", "prod");
        ctx.put("context", c);
        StringWriter w = new StringWriter();
        t.merge(ctx, w);
        return w.toString();
    }

    static final Util UTIL = new Util();

    public static class Util {
        public String escapeJavaScript(String s) { return StringEscapeUtils.escapeJavaScript(s); }
    }

    public static class Input {
        private final String body;
        private Object doc;
        private boolean parsed;
        Input(String body) { this.body = body; }
        public String getBody() { return body; }
        public String params(String name) { return "source".equals(name) ? "web" : ""; }
        private Object doc() {
            if (!parsed) { parsed = true; doc = new Json(body).value(); }
            return doc;
        }
        public Object path(String p) { return walk(doc(), p); }
        public String json(String p) { StringBuilder sb = new StringBuilder(); Json.write(sb, walk(doc(), p)); return sb.toString(); }

        @SuppressWarnings("rawtypes")
        static Object walk(Object v, String p) {
            int i = 1;
            while (i < p.length() && v != null) {
                char c = p.charAt(i);
                if (c == '.') {
                    int j = i + 1;
                    while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') j++;
                    v = v instanceof Map ? ((Map) v).get(p.substring(i + 1, j)) : null;
                    i = j;
                } else if (c == '[') {
                    int j = p.indexOf(']', i);
                    int idx = Integer.parseInt(p.substring(i + 1, j));
                    v = v instanceof List && idx < ((List) v).size() ? ((List) v).get(idx) : null;
                    i = j + 1;
                } else return null;
            }
            return v;
        }
    }

    /** A small JSON reader and writer over LinkedHashMap, ArrayList, Integer/Long, Double, String, Boolean. */
    static final class Json {
        private final String s;
        private int i;
        Json(String s) { this.s = s; }
        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<String, Object>();
                i++; ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    ws(); String k = str(); ws(); i++; // ':'
                    m.put(k, value()); ws();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<Object>();
                i++; ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value()); ws();
                    if (s.charAt(i++) == ']') return l;
                }
            }
            if (c == '"') return str();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            boolean dbl = false;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                if ("eE.".indexOf(s.charAt(i)) >= 0) dbl = true;
                i++;
            }
            String num = s.substring(start, i);
            if (dbl) return Double.valueOf(num);
            long l = Long.parseLong(num);
            return l == (int) l ? (Object) Integer.valueOf((int) l) : (Object) Long.valueOf(l);
        }
        private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
        private String str() {
            StringBuilder sb = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n': sb.append('\n'); break;
                        case 't': sb.append('\t'); break;
                        case 'r': sb.append('\r'); break;
                        case 'b': sb.append('\b'); break;
                        case 'f': sb.append('\f'); break;
                        case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                        default: sb.append(e);
                    }
                } else sb.append(c);
            }
        }
        @SuppressWarnings("rawtypes")
        static void write(StringBuilder sb, Object v) {
            if (v == null) sb.append("null");
            else if (v instanceof String) {
                sb.append('"');
                String str = (String) v;
                for (int k = 0; k < str.length(); k++) {
                    char c = str.charAt(k);
                    if (c == '"' || c == '\\') sb.append('\\').append(c);
                    else if (c == '\n') sb.append("\\n");
                    else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
                sb.append('"');
            } else if (v instanceof Map) {
                sb.append('{');
                boolean first = true;
                for (Object o : ((Map) v).entrySet()) {
                    Map.Entry e = (Map.Entry) o;
                    if (!first) sb.append(',');
                    first = false;
                    write(sb, e.getKey());
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            } else if (v instanceof List) {
                sb.append('[');
                boolean first = true;
                for (Object o : (List) v) {
                    if (!first) sb.append(',');
                    first = false;
                    write(sb, o);
                }
                sb.append(']');
            } else sb.append(v.toString());
        }
    }
}
