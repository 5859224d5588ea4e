// Harness renders a batch of Velocity templates with Apache Velocity 1.7 in
// one JVM, for the differential test in internal/vtl (diff_test.go).
//
// Input (stdin): repeated records "<byte length>\n<template bytes>".
// Output (stdout): for each record "OK <n>\n<n bytes of output>\n" or
// "ERR <n>\n<n bytes of message>\n". Every template gets a fresh context.
import java.io.*;
import java.nio.charset.StandardCharsets;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

public class Harness {
    public static void main(String[] args) throws Exception {
        VelocityEngine ve = new VelocityEngine();
        ve.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
        ve.setProperty("velocimacro.permissions.allow.inline.local.scope", "true");
        ve.init();
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        OutputStream out = new BufferedOutputStream(System.out);
        int n = 0;
        while (true) {
            String header = readLine(in);
            if (header == null) break;
            byte[] buf = new byte[Integer.parseInt(header.trim())];
            in.readFully(buf);
            String tpl = new String(buf, StandardCharsets.UTF_8);
            String kind;
            String text;
            try {
                StringWriter w = new StringWriter();
                ve.evaluate(new VelocityContext(), w, "t" + (n++), tpl);
                kind = "OK";
                text = w.toString();
            } catch (Throwable e) {
                kind = "ERR";
                text = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            out.write((kind + " " + b.length + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.write('\n');
        }
        out.flush();
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') return sb.toString();
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
