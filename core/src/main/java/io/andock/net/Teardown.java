package io.andock.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The script that undoes a container's network, {@code net/down.sh} in its directory: stops its port proxy, runs
 * CNI DEL for each plugin (configs saved beside it as {@code del-N.json}, in order), removes the network namespace,
 * then the network's files and itself. A POSIX sh script, so the container's monitor can run it at exit without a
 * JVM; every step tolerates having been done already.
 *
 * @param netDir    the container's {@code net} directory
 * @param cniEnv    the plugins' environment for DEL (empty when no CNI ran)
 * @param cniDels   plugin executable → its DEL config file, in the order to run them
 * @param netns     the namespace file to unmount and remove, or null
 */
record Teardown(Path netDir, Map<String, String> cniEnv, List<Map.Entry<Path, Path>> cniDels, Path netns) {

    Teardown {
        cniEnv = Map.copyOf(cniEnv);
        cniDels = List.copyOf(cniDels);
    }

    static Teardown empty(Path netDir) {
        return new Teardown(netDir, Map.of(), List.of(), null);
    }

    Teardown withNetns(Path ns) {
        return new Teardown(netDir, cniEnv, cniDels, ns);
    }

    Teardown withCni(Map<String, String> env, List<Map.Entry<Path, Path>> dels) {
        return new Teardown(netDir, env, dels, netns);
    }

    String script() {
        List<String> l = new ArrayList<>();
        l.add("# andock: undoes a container's network; run by its monitor at exit, and by andock start/rm. Idempotent.");
        l.add("n=" + q(netDir.toString()));
        l.add("if [ -f \"$n/proxy.pid\" ]; then");
        l.add("  p=$(cat \"$n/proxy.pid\")");
        l.add("  case $(tr '\\000' ' ' <\"/proc/$p/cmdline\" 2>/dev/null) in *PortProxyMain*) kill \"$p\" 2>/dev/null ;; esac");
        l.add("fi");
        if (!cniDels.isEmpty()) {
            StringBuilder env = new StringBuilder();
            cniEnv.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> env.append(e.getKey()).append('=').append(q(e.getValue())).append(' '));
            for (Map.Entry<Path, Path> d : cniDels) {
                l.add(env + q(d.getKey().toString()) + " <" + q(d.getValue().toString()) + " >/dev/null 2>>\"$n/cni.log\"");
            }
        }
        if (netns != null) l.add("umount " + q(netns.toString()) + " 2>/dev/null; rm -f " + q(netns.toString()));
        l.add("rm -f \"$n/proxy.pid\" \"$n/state.json\" \"$n\"/del-*.json \"$n/down.sh\"");
        return String.join("\n", l) + "\n";
    }

    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
