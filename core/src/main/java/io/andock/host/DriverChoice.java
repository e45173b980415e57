package io.andock.host;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver andock will use and why.
 *
 * @param driver   the driver
 * @param runtime  for oci the runtime's name (runc or crun), for the others the driver's program (proot, chroot)
 * @param program  absolute path of that program
 * @param rootless whether containers run without root on the host (rootless oci, proot as non-root)
 * @param forced   whether the driver was named by {@code --driver} or the config
 * @param reasons  why, first a one-line summary, then the evidence; never empty
 */
public record DriverChoice(DriverKind driver, String runtime, String program, boolean rootless, boolean forced,
                           List<String> reasons) {

    public DriverChoice {
        reasons = List.copyOf(reasons);
    }

    /** "oci (runc)", "oci (crun, rootless)", "proot", "chroot". */
    public String describe() {
        if (driver != DriverKind.OCI) return driver.id();
        return "oci (" + runtime + (rootless ? ", rootless" : "") + ")";
    }

    /** The reasons joined into one line, as {@code DriverReason} of {@code andock info}. */
    public String summary() {
        return String.join("; ", reasons);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Driver", driver.id());
        m.put("Runtime", runtime);
        m.put("Program", program);
        m.put("Rootless", rootless);
        m.put("Forced", forced);
        m.put("Reasons", reasons);
        return m;
    }
}
