package io.andock.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scripts that undo a container's network. {@code net/down.sh} in its directory stops its port proxy, undoes
 * its bridge network, then removes the network's files and itself. The bridge network is undone by the
 * {@link Leases lease}'s own {@code down.sh} ({@link #leaseScript}): CNI DEL for each plugin (configs saved beside
 * it as {@code del-N.json}, in order), the network namespace, then the lease. Without a lease the same steps are in
 * {@code net/down.sh} itself. POSIX sh scripts, so the container's monitor can run them at exit without a JVM, and
 * a sweep can run the lease's after the container's directory is gone; every step tolerates having been done.
 *
 * @param netDir    the container's {@code net} directory
 * @param cniEnv    the plugins' environment for DEL (empty when no CNI ran)
 * @param cniDels   plugin executable → its DEL config file, in the order to run them
 * @param netns     the namespace file to unmount and remove, or null
 * @param lease     the container's lease directory, or null when it has none
 */
record Teardown(Path netDir, Map<String, String> cniEnv, List<Map.Entry<Path, Path>> cniDels, Path netns, Path lease) {

    Teardown {
        cniEnv = Map.copyOf(cniEnv);
        cniDels = List.copyOf(cniDels);
    }

    static Teardown empty(Path netDir) {
        return new Teardown(netDir, Map.of(), List.of(), null, null);
    }

    Teardown withNetns(Path ns) {
        return new Teardown(netDir, cniEnv, cniDels, ns, lease);
    }

    Teardown withCni(Map<String, String> env, List<Map.Entry<Path, Path>> dels) {
        return new Teardown(netDir, env, dels, netns, lease);
    }

    Teardown withLease(Path leaseDir) {
        return new Teardown(netDir, cniEnv, cniDels, netns, leaseDir);
    }

    /** {@code net/down.sh}: the proxy, the lease's script (or its steps inline), the network's files. */
    String script() {
        List<String> l = new ArrayList<>();
        l.add("# andock: undoes a container's network; run by its monitor at exit, and by andock start/rm. Idempotent.");
        l.add("n=" + q(netDir.toString()));
        l.add("if [ -f \"$n/proxy.pid\" ]; then");
        l.add("  p=$(cat \"$n/proxy.pid\")");
        l.add("  case $(tr '\\000' ' ' <\"/proc/$p/cmdline\" 2>/dev/null) in *PortProxyMain*) kill \"$p\" 2>/dev/null ;; esac");
        l.add("fi");
        if (lease != null) {
            l.add("[ ! -f " + q(lease + "/down.sh") + " ] || sh " + q(lease + "/down.sh") + " 2>>\"$n/cni.log\"");
        } else {
            l.addAll(networkSteps("2>>\"$n/cni.log\""));
        }
        l.add("rm -f \"$n/proxy.pid\" \"$n/state.json\" \"$n\"/del-*.json \"$n\"/ep-*.json \"$n/down.sh\"");
        return String.join("\n", l) + "\n";
    }

    /** The lease's {@code down.sh}: CNI DEL, the namespace, then the lease itself; the plugins' errors on stderr. */
    String leaseScript() {
        List<String> l = new ArrayList<>();
        l.add("# andock: undoes a container's bridge network and its lease; run by the container's net/down.sh or a sweep. Idempotent.");
        l.add("for a in " + q(lease.toString()) + "/att-*.sh; do [ ! -f \"$a\" ] || sh \"$a\"; done");
        l.addAll(networkSteps(""));
        l.add("rm -f " + q(lease.toString()) + "/* && rmdir " + q(lease.toString()) + " 2>/dev/null");
        l.add("exit 0");
        return String.join("\n", l) + "\n";
    }

    private List<String> networkSteps(String stderr) {
        List<String> l = new ArrayList<>();
        StringBuilder env = new StringBuilder();
        cniEnv.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.append(e.getKey()).append('=').append(q(e.getValue())).append(' '));
        for (Map.Entry<Path, Path> d : cniDels) {
            l.add(env + q(d.getKey().toString()) + " <" + q(d.getValue().toString()) + " >/dev/null" + (stderr.isEmpty() ? "" : " " + stderr));
        }
        if (netns != null) l.add("umount " + q(netns.toString()) + " 2>/dev/null; rm -f " + q(netns.toString()));
        return l;
    }

    /**
     * A further interface's DEL ({@code network connect}, a second network): the plugins in order, then its configs
     * and itself, so that {@code network disconnect} and the lease's {@code down.sh} can both run it.
     */
    static String attachmentScript(Map<String, String> env, List<Map.Entry<Path, Path>> dels, Path self) {
        Teardown t = new Teardown(self.getParent(), env, dels, null, null);
        List<String> l = new ArrayList<>();
        l.add("# andock: removes one further network interface of a container (CNI DEL); idempotent.");
        l.addAll(t.networkSteps(""));
        for (Map.Entry<Path, Path> d : dels) l.add("rm -f " + q(d.getValue().toString()));
        l.add("rm -f " + q(self.toString()));
        l.add("exit 0");
        return String.join("\n", l) + "\n";
    }

    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
