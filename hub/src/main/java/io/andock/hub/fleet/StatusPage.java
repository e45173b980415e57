package io.andock.hub.fleet;

import io.andock.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The hub's page at {@code /}: one table of the devices (last seen, version, driver, followed tags with the digest
 * each runs and the last outcome). Plain HTML, no script, no framework: it reloads itself every 10 s. Every value
 * came from a device and is escaped.
 */
final class StatusPage {
    private StatusPage() {}

    static String render(List<Map<String, Object>> devices) {
        StringBuilder b = new StringBuilder(1024 + devices.size() * 256);
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"10\">")
                .append("<title>andock hub</title></head><body>\n<h1>andock hub</h1>\n<p id=\"summary\">")
                .append(devices.size()).append(devices.size() == 1 ? " device" : " devices").append(", page made ")
                .append(esc(Instant.now().toString())).append("</p>\n<table id=\"devices\" border=\"1\" cellpadding=\"4\">\n")
                .append("<tr><th>device</th><th>last seen</th><th>version</th><th>driver</th><th>address</th><th>follows</th></tr>\n");
        for (Map<String, Object> d : devices) {
            JsonObject o = JsonObject.of(d);
            b.append("<tr class=\"device\"><td>").append(esc(o.string("device", ""))).append("</td><td>").append(esc(o.string("last_seen", "")))
                    .append("</td><td>").append(esc(o.string("version", ""))).append("</td><td>").append(esc(o.string("driver", "")))
                    .append("</td><td>").append(esc(o.string("address", ""))).append("</td><td>");
            for (JsonObject f : o.objects("follows")) {
                String digest = f.string("digest", null);
                b.append("<div class=\"follow\">").append(esc(f.string("ref", ""))).append(" @ ")
                        .append(esc(digest == null ? "-" : Fleet.shortDigest(digest))).append(" (").append(esc(f.string("update", "")))
                        .append(") ").append(esc(f.string("state", ""))).append("</div>");
            }
            b.append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
