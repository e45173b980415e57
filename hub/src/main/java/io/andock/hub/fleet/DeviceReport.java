package io.andock.hub.fleet;

import io.andock.hub.Names;
import io.andock.hub.OciError;
import io.andock.image.Digest;
import io.andock.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a device says of itself in each poll: its id, andock version, and per followed tag the digest it holds, its
 * update mode and the last outcome. Everything is checked and bounded here, before it reaches storage or a page.
 *
 * @param follows at most {@link #MAX_FOLLOWS}
 */
record DeviceReport(String device, String version, String driver, List<Follow> follows) {
    static final int MAX_FOLLOWS = 256;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern TEXT = Pattern.compile("[\\x20-\\x7e]{0,200}");

    /**
     * @param ref    {@code repository:tag} on this hub
     * @param digest the manifest the device runs (or has staged), null when none yet
     * @param seen   the latest digest the device acted on (applied, or refused and rolled back), null: none; the hub
     *               answers at once only when the tag's digest differs from this one
     * @param state  the last outcome in words ("staged", "restarted 2 containers", "rolled back: exit 1", …)
     */
    record Follow(String repository, String tag, Digest digest, Digest seen, String update, String state) {
        String ref() {
            return repository + ":" + tag;
        }
    }

    DeviceReport {
        follows = List.copyOf(follows);
    }

    static DeviceReport parse(byte[] body) {
        JsonObject o;
        try {
            o = JsonObject.parse(body);
        } catch (RuntimeException e) {
            throw invalid("the device report is not JSON: " + e.getMessage());
        }
        String id = o.string("device", null);
        if (id == null || !ID.matcher(id).matches()) throw invalid("invalid device id " + Names.Printable.of(id));
        List<Follow> follows = new ArrayList<>();
        List<JsonObject> fs = o.has("follows") ? o.objects("follows") : List.of();
        if (fs.size() > MAX_FOLLOWS) throw invalid("more than " + MAX_FOLLOWS + " followed tags");
        for (JsonObject f : fs) {
            String ref = f.string("ref", "");
            int colon = ref.lastIndexOf(':');
            if (colon <= 0 || ref.indexOf('/', colon) >= 0) throw invalid("invalid followed tag " + Names.Printable.of(ref) + ": expected repository:tag");
            String repo = Names.repository(ref.substring(0, colon));
            String tag = Names.tag(ref.substring(colon + 1));
            Digest d = digestOrNull(f.string("digest", null));
            Digest seen = digestOrNull(f.string("seen", null));
            follows.add(new Follow(repo, tag, d, seen == null ? d : seen, text(f.string("update", "stage")), text(f.string("state", ""))));
        }
        return new DeviceReport(id, text(o.string("version", "")), text(o.string("driver", "")), follows);
    }

    private static Digest digestOrNull(String s) {
        return s == null ? null : Names.digest(s);
    }

    private static String text(String s) {
        if (s == null) return "";
        if (!TEXT.matcher(s).matches()) throw invalid("invalid text in the device report: " + Names.Printable.of(s));
        return s;
    }

    private static OciError invalid(String message) {
        return new OciError(400, "UNSUPPORTED", message);
    }

    Map<String, Object> toJson(String lastSeen, String address) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", device);
        m.put("version", version);
        m.put("driver", driver);
        m.put("last_seen", lastSeen);
        m.put("address", address);
        List<Object> fs = new ArrayList<>();
        for (Follow f : follows) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("ref", f.ref());
            fm.put("digest", f.digest() == null ? null : f.digest().toString());
            fm.put("seen", f.seen() == null ? null : f.seen().toString());
            fm.put("update", f.update());
            fm.put("state", f.state());
            fs.add(fm);
        }
        m.put("follows", fs);
        return m;
    }
}
