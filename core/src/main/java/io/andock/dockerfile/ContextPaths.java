package io.andock.dockerfile;

import java.util.ArrayDeque;
import java.util.Deque;

/** Lexical path helpers on {@code /}-separated strings (Go's {@code path.Clean} and friends). */
public final class ContextPaths {
    private ContextPaths() {
    }

    /** Go's {@code path.Clean}: no empty, {@code .} or inner {@code ..} elements; {@code ""} becomes {@code .}. */
    public static String clean(String p) {
        if (p.isEmpty()) return ".";
        boolean abs = p.startsWith("/");
        Deque<String> out = new ArrayDeque<>();
        int ups = 0;
        for (String e : p.split("/")) {
            if (e.isEmpty() || e.equals(".")) continue;
            if (e.equals("..")) {
                if (!out.isEmpty()) out.removeLast();
                else if (!abs) ups++;
                continue;
            }
            out.addLast(e);
        }
        StringBuilder b = new StringBuilder(abs ? "/" : "");
        for (int i = 0; i < ups; i++) b.append(b.length() > 0 && !b.toString().equals("/") ? "/" : "").append("..");
        for (String e : out) {
            if (b.length() > 0 && b.charAt(b.length() - 1) != '/') b.append('/');
            b.append(e);
        }
        return b.length() == 0 ? "." : b.toString();
    }

    /** {@code rel} joined onto the absolute {@code base} and cleaned; {@code rel} absolute wins. */
    public static String join(String base, String rel) {
        if (rel.startsWith("/")) return clean(rel);
        return clean(base + "/" + rel);
    }
}
