package io.andock.daemon.wire;

import io.andock.AndockException;
import io.andock.daemon.backend.ImageBackend;
import io.andock.engine.ImageDetails;
import io.andock.engine.ImageSummary;
import io.andock.image.Digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Image JSON as dockerd writes it: list items grouped by image ID, inspect documents. */
public final class ImageWire {
    private ImageWire() {}

    /** {@code GET /images/json}: one item per image ID with all its tags and digests, newest first. */
    public static List<Map<String, Object>> list(ImageBackend images, Map<String, Integer> containersByImage) {
        Map<Digest, Map<String, Object>> byId = new LinkedHashMap<>();
        for (ImageSummary s : images.list()) {
            Map<String, Object> m = byId.get(s.id());
            if (m == null) {
                m = new LinkedHashMap<>();
                m.put("Id", s.id().toString());
                m.put("ParentId", "");
                m.put("RepoTags", new ArrayList<String>());
                m.put("RepoDigests", new ArrayList<String>());
                m.put("Created", s.created() == null ? 0L : s.created().getEpochSecond());
                m.put("Size", s.size());
                m.put("SharedSize", -1);
                m.put("VirtualSize", s.size());
                Map<String, String> labels = null;
                try {
                    labels = images.inspect(s.id().toString()).config().stringMap("Labels");
                } catch (AndockException ignored) {
                    // removed meanwhile
                }
                m.put("Labels", labels == null || labels.isEmpty() ? null : labels);
                m.put("Containers", containersByImage.getOrDefault(s.id().toString(), 0));
                byId.put(s.id(), m);
            }
            @SuppressWarnings("unchecked") List<String> tags = (List<String>) m.get("RepoTags");
            @SuppressWarnings("unchecked") List<String> digests = (List<String>) m.get("RepoDigests");
            if (!s.repository().equals("<none>") && !s.tag().equals("<none>")) {
                String t = s.repository() + ":" + s.tag();
                if (!tags.contains(t)) tags.add(t);
            }
            if (s.digest() != null && !s.repository().equals("<none>")) {
                String d = s.repository() + "@" + s.digest();
                if (!digests.contains(d)) digests.add(d);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(byId.values());
        out.sort((a, b) -> Long.compare((long) b.get("Created"), (long) a.get("Created")));
        return out;
    }

    public static long epoch(String iso) {
        if (iso == null || iso.isEmpty()) return 0;
        try {
            return Instant.parse(iso).getEpochSecond();
        } catch (RuntimeException e) {
            try {
                return java.time.OffsetDateTime.parse(iso).toEpochSecond();
            } catch (RuntimeException e2) {
                return 0;
            }
        }
    }

    /** {@code reference} (glob on name or name:tag), {@code dangling}, {@code label}; unknown keys are ignored. */
    @SuppressWarnings("unchecked")
    public static boolean matches(Map<String, Object> img, Map<String, List<String>> filters) {
        List<String> tags = (List<String>) img.get("RepoTags");
        List<String> refs = filters.getOrDefault("reference", List.of());
        if (!refs.isEmpty()) {
            List<String> kept = new ArrayList<>();
            for (String t : tags) {
                String name = t.substring(0, t.lastIndexOf(':'));
                for (String r : refs) {
                    Pattern p = glob(r);
                    if ((p.matcher(t).matches() || p.matcher(name).matches()) && !kept.contains(t)) kept.add(t);
                }
            }
            if (kept.isEmpty()) return false;
            img.put("RepoTags", kept); // dockerd narrows tags and digests to the matching ones
            List<String> digests = new ArrayList<>();
            for (String d : (List<String>) img.get("RepoDigests")) {
                String name = d.substring(0, d.indexOf('@'));
                if (refs.stream().anyMatch(r -> glob(r).matcher(name).matches())) digests.add(d);
            }
            img.put("RepoDigests", digests);
        }
        List<String> dangling = filters.getOrDefault("dangling", List.of());
        if (!dangling.isEmpty()) {
            boolean want = dangling.get(0).equals("true") || dangling.get(0).equals("1");
            if (want != tags.isEmpty()) return false;
        }
        return matchesLabels(img, filters.getOrDefault("label", List.of()));
    }

    @SuppressWarnings("unchecked")
    public static boolean matchesLabels(Map<String, Object> img, List<String> labels) {
        Map<String, String> have = img.get("Labels") == null ? Map.of() : (Map<String, String>) img.get("Labels");
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq < 0 ? !have.containsKey(l) : !l.substring(eq + 1).equals(have.get(l.substring(0, eq)))) return false;
        }
        return true;
    }

    private static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) {
            if (c == '*') b.append("[^/]*");
            else if (c == '?') b.append("[^/]");
            else b.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(b.toString());
    }

    /** {@code GET /images/{name}/json}: core's document plus the fields clients expect to find. */
    public static Map<String, Object> inspect(ImageDetails d) {
        Map<String, Object> m = new LinkedHashMap<>(d.toJson());
        Map<String, Object> config = new LinkedHashMap<>();
        for (String k : List.of("Hostname", "Domainname", "User")) config.put(k, "");
        config.put("AttachStdin", false);
        config.put("AttachStdout", false);
        config.put("AttachStderr", false);
        config.put("Tty", false);
        config.put("OpenStdin", false);
        config.put("StdinOnce", false);
        config.put("Env", null);
        config.put("Cmd", null);
        config.put("Image", "");
        config.put("Volumes", null);
        config.put("WorkingDir", "");
        config.put("Entrypoint", null);
        config.put("OnBuild", null);
        config.put("Labels", null);
        config.putAll(d.config().map());
        m.put("Config", config);
        m.put("VirtualSize", d.size());
        m.put("GraphDriver", Map.of("Name", "andock", "Data", Map.of()));
        return m;
    }
}
