package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoints dockerd has and andock added for compatibility (issue 10, class 1), driven by the real docker CLI
 * 28: the swarm and plugin endpoints of a non-swarm dockerd, rename, update, top, diff, export, commit, history,
 * system df, container and build cache prune.
 */
class DockerCliCompatTest {
    static DaemonFixture f;
    static String bb;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        bb = f.image("busybox");
        assertThat(f.run("pull", "-q", bb).code()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void swarmCommands_answerAsANodeOutsideASwarm() throws Exception {
        var leave = f.run("swarm", "leave");
        assertThat(leave.code()).isNotZero();
        assertThat(leave.err()).contains("This node is not part of a swarm");
        var services = f.run("service", "ls");
        assertThat(services.code()).isNotZero();
        assertThat(services.err()).contains("This node is not a swarm manager");
        var secrets = f.run("secret", "ls");
        assertThat(secrets.err()).contains("This node is not a swarm manager");
        var plugins = f.run("plugin", "ls");
        assertThat(plugins.code()).as(plugins.all()).isZero();
        assertThat(plugins.out().lines().toList()).hasSize(1); // the header alone
        var plugin = f.run("plugin", "inspect", "nosuch");
        assertThat(plugin.code()).isNotZero();
        assertThat(plugin.err()).contains("plugin \"nosuch\" not found");
    }

    @Test
    void rename_changesTheName_andATakenNameIsRefused() throws Exception {
        assertThat(f.run("create", "--name", "rn-old", bb, "true").code()).isZero();
        assertThat(f.run("create", "--name", "rn-taken", bb, "true").code()).isZero();
        var r = f.run("rename", "rn-old", "rn-new");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(f.run("inspect", "-f", "{{.Name}}", "rn-new").out().trim()).isEqualTo("/rn-new");
        assertThat(f.run("inspect", "rn-old").code()).isNotZero();
        var taken = f.run("rename", "rn-new", "rn-taken");
        assertThat(taken.code()).isNotZero();
        assertThat(taken.err()).contains("is already in use");
        f.run("rm", "-f", "rn-new", "rn-taken");
    }

    @Test
    void update_setsRestartPolicyAndLimits_andRefusesAnUnknownPolicy() throws Exception {
        assertThat(f.run("create", "--name", "upd", bb, "true").code()).isZero();
        var r = f.run("update", "--restart", "on-failure:3", "--memory", "64m", "--pids-limit", "50", "upd");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out().trim()).isEqualTo("upd");
        var hc = f.run("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"
                + " {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}", "upd");
        assertThat(hc.out().trim()).isEqualTo("on-failure 3 67108864 50");
        var bad = f.run("update", "--restart", "sometimes", "upd");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("invalid restart policy");
        f.run("rm", "-f", "upd");
    }

    @Test
    void update_ofARunningContainer_appliesTheLimitAtOnce() throws Exception {
        var choice = f.daemon.engine().hostReport(null, false).choice();
        org.junit.jupiter.api.Assumptions.assumeTrue(choice != null && choice.driver().id().equals("oci"), "cgroup limits need the oci driver");
        assertThat(f.run("run", "-d", "--name", "upd-live", bb, "sleep", "300").code()).isZero();
        var r = f.run("update", "--memory", "32m", "--memory-swap", "-1", "upd-live");
        assertThat(r.code()).as(r.all()).isZero();
        var limit = f.run("exec", "upd-live", "sh", "-c",
                "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
        assertThat(limit.code()).as(limit.all()).isZero();
        assertThat(limit.out().trim()).isEqualTo("33554432");
        f.run("rm", "-f", "upd-live");
    }

    @Test
    void top_listsTheContainersProcesses_withPsColumns() throws Exception {
        assertThat(f.run("run", "-d", "--name", "topper", bb, "sleep", "300").code()).isZero();
        var r = f.run("top", "topper");
        assertThat(r.code()).as(r.all()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("UID").contains("PID").contains("PPID").contains("CMD");
        assertThat(lines).anyMatch(l -> l.contains("sleep 300"));
        assertThat(lines).noneMatch(l -> l.contains("java"));
        var custom = f.run("top", "topper", "-o", "pid,comm");
        assertThat(custom.out()).contains("PID").contains("sleep");
        f.run("rm", "-f", "topper");
        var stopped = f.run("top", "topper");
        assertThat(stopped.code()).isNotZero();
    }

    @Test
    void diff_export_commit_history_roundTrip() throws Exception {
        var run = f.run("run", "--name", "changer", bb, "sh", "-c",
                "echo added > /tmp/added; rm /etc/group; echo more >> /etc/passwd; mkdir -p /opt/app; echo x > /opt/app/f");
        assertThat(run.code()).as(run.all()).isZero();
        var diff = f.run("diff", "changer");
        assertThat(diff.code()).as(diff.all()).isZero();
        assertThat(diff.out().lines().toList()).containsExactly(
                "C /etc", "D /etc/group", "C /etc/passwd", "A /opt", "A /opt/app", "A /opt/app/f", "C /tmp", "A /tmp/added");

        Path tar = f.dir.resolve("changer.tar");
        var export = f.run("export", "-o", tar.toString(), "changer");
        assertThat(export.code()).as(export.all()).isZero();
        var list = DaemonFixture.collect(new ProcessBuilder("tar", "-tf", tar.toString()), null, 60);
        assertThat(list.out().lines().toList()).contains("tmp/added", "opt/app/f", "bin/busybox").doesNotContain("etc/group");

        var commit = f.run("commit", "-c", "CMD [\"cat\", \"/tmp/added\"]", "-m", "from changer", "changer", "committed:1");
        assertThat(commit.code()).as(commit.all()).isZero();
        assertThat(commit.out().trim()).startsWith("sha256:");
        var fromCommit = f.run("run", "--rm", "committed:1");
        assertThat(fromCommit.out()).isEqualTo("added\n");
        assertThat(f.run("run", "--rm", "committed:1", "cat", "/etc/group").code()).isNotZero();

        var history = f.run("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Comment}}", "committed:1");
        assertThat(history.code()).as(history.all()).isZero();
        List<String> steps = history.out().lines().toList();
        assertThat(steps.get(0)).startsWith("sha256:").endsWith("|from changer");
        assertThat(steps.subList(1, steps.size())).allMatch(l -> l.startsWith("<missing>|"));
        var base = f.run("history", "-q", bb);
        assertThat(steps).hasSize(base.out().lines().toList().size() + 1);

        assertThat(f.run("create", "--name", "fresh", "committed:1").code()).isZero();
        assertThat(f.run("diff", "fresh").out()).isEmpty();
        f.run("rm", "-f", "changer", "fresh");
        f.run("rmi", "committed:1");
    }

    @Test
    void systemDf_andPrunes_reportSizes() throws Exception {
        assertThat(f.run("run", "--name", "writer", bb, "sh", "-c", "head -c 300000 /dev/zero > /big").code()).isZero();
        var df = f.run("system", "df", "--format", "{{.Type}} {{.TotalCount}}");
        assertThat(df.code()).as(df.all()).isZero();
        assertThat(df.out()).contains("Images ").contains("Containers ").contains("Local Volumes ").contains("Build Cache ");
        var verbose = f.run("system", "df", "-v");
        assertThat(verbose.code()).as(verbose.all()).isZero();
        assertThat(verbose.out()).contains("writer");
        var prune = f.run("container", "prune", "-f");
        assertThat(prune.code()).as(prune.all()).isZero();
        assertThat(prune.out()).containsPattern("Total reclaimed space: 30\\d(\\.\\d+)?kB");
        var builder = f.run("builder", "prune", "-f");
        assertThat(builder.code()).as(builder.all()).isZero();
        assertThat(builder.out()).contains("Total reclaimed space");
    }

    @Test
    void runDashVPath_createsAnAnonymousVolume() throws Exception {
        var r = f.run("run", "--name", "anon", "-v", "/data", bb, "sh", "-c", "echo kept > /data/x");
        assertThat(r.code()).as(r.all()).isZero();
        var mounts = f.run("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Destination}} {{.Name}}{{end}}", "anon");
        assertThat(mounts.out().trim()).matches("volume /data [0-9a-f]{64}");
        String volume = mounts.out().trim().split(" ")[2];
        assertThat(f.run("volume", "ls", "-q").out()).contains(volume);
        f.run("rm", "-v", "anon");
        assertThat(f.run("volume", "ls", "-q").out()).doesNotContain(volume);
    }

    @Test
    void create_refusesWhatDockerdRefuses_withItsWords() throws Exception {
        var log = f.run("create", "--log-driver", "nosuchdriver", bb);
        assertThat(log.code()).isNotZero();
        assertThat(log.err()).contains("error looking up logging plugin nosuchdriver: plugin \"nosuchdriver\" not found");
        var vol = f.run("create", "--volume-driver", "nosuchdriver", "-v", "named-vd:/d", bb);
        assertThat(vol.code()).isNotZero();
        assertThat(vol.err()).contains("create named-vd: error looking up volume plugin nosuchdriver");
        assertThat(api("POST", "/containers/create", "{\"Image\":\"" + bb + "\",\"HostConfig\":{\"RestartPolicy\":"
                + "{\"Name\":\"always\",\"MaximumRetryCount\":2}}}"))
                .startsWith("400 ").contains("maximum retry count cannot be used with restart policy 'always'");
        assertThat(api("POST", "/containers/create", "{\"Image\":\"" + bb + "\",\"HostConfig\":{\"RestartPolicy\":"
                + "{\"Name\":\"sometimes\"}}}")).startsWith("400 ").contains("invalid restart policy 'sometimes'");
        assertThat(f.run("ps", "-aq").out()).isBlank();
    }

    @Test
    void load_ofGarbage_failsWithTheStreamedError() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        var r = f.runWithInput(garbage, "load");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).isNotBlank();
        assertThat(api("POST", "/images/load", "not a tar")).startsWith("200 ").contains("\"errorDetail\"");
    }

    @Test
    void swarmAndPluginEndpoints_haveDockerdsStatuses() throws Exception {
        assertThat(api("POST", "/swarm/leave", "{}")).isEqualTo("503 {\"message\":\"This node is not part of a swarm\"}");
        for (String p : List.of("/swarm", "/services", "/nodes", "/secrets", "/configs", "/tasks", "/services/x", "/swarm/unlockkey")) {
            assertThat(api("GET", p, null)).as(p).startsWith("503 ").contains("This node is not a swarm manager.");
        }
        assertThat(api("GET", "/plugins", null)).isEqualTo("200 []");
        assertThat(api("GET", "/plugins/x/json", null)).isEqualTo("404 {\"message\":\"plugin \\\"x\\\" not found\"}");
        assertThat(api("POST", "/build/prune", null)).startsWith("200 ").contains("\"SpaceReclaimed\"");
    }

    @Test
    void inspect_echoesTheHostConfigSent_andConfigAsWritten() throws Exception {
        String body = "{\"Image\":\"" + bb + "\",\"Env\":[\"Foo\",\"B=3\"],\"HostConfig\":{\"CpuShares\":512,"
                + "\"CpusetCpus\":\"0\",\"Runtime\":\"runc\",\"CgroupnsMode\":\"private\",\"MemorySwappiness\":10,"
                + "\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"10m\"}},\"GroupAdd\":[\"10\"],"
                + "\"DeviceCgroupRules\":[\"c 1:3 mr\"],\"PidMode\":\"\",\"Isolation\":\"\",\"VolumeDriver\":\"\"}}";
        assertThat(api("POST", "/containers/create?name=echoed", body)).startsWith("201 ");
        var r = f.run("inspect", "-f", "{{.HostConfig.CpuShares}}|{{.HostConfig.CpusetCpus}}|{{.HostConfig.Runtime}}|"
                + "{{.HostConfig.CgroupnsMode}}|{{.HostConfig.MemorySwappiness}}|{{.HostConfig.LogConfig.Type}}|"
                + "{{index .HostConfig.LogConfig.Config \"max-size\"}}|{{json .HostConfig.GroupAdd}}|"
                + "{{json .HostConfig.DeviceCgroupRules}}|{{.HostConfig.ShmSize}}|{{.HostConfig.IpcMode}}|{{.Config.Image}}", "echoed");
        assertThat(r.out().trim()).isEqualTo("512|0|runc|private|10|json-file|10m|[\"10\"]|[\"c 1:3 mr\"]|67108864|private|" + bb);
        var env = f.run("inspect", "-f", "{{json .Config.Env}}", "echoed");
        assertThat(env.out().trim()).startsWith("[\"Foo\",\"B=3\"");
        var defaults = f.run("create", "--name", "defaulted", bb);
        assertThat(defaults.code()).isZero();
        var d = f.run("inspect", "-f", "{{.HostConfig.CpuShares}}|{{.HostConfig.Runtime}}|{{json .HostConfig.MaskedPaths}}", "defaulted");
        assertThat(d.out().trim()).startsWith("0|runc|[\"/proc/asound\"");
        f.run("rm", "-f", "echoed", "defaulted");
    }

    @Test
    void distributionInspect_asksTheRegistry_withoutPulling() throws Exception {
        String ref = f.image("busybox:latest");
        String answer = api("GET", "/distribution/" + ref + "/json", null);
        assertThat(answer).startsWith("200 ").contains("\"Descriptor\":{\"mediaType\":").contains("\"digest\":\"sha256:")
                .contains("\"Platforms\":[{\"architecture\":");
        assertThat(api("GET", "/distribution/" + f.image("nosuchrepo:latest") + "/json", null)).startsWith("404 ");
    }

    /** "STATUS BODY" of one request on the daemon's socket, through curl. */
    static String api(String method, String path, String body) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "--max-time", "60", "--unix-socket",
                f.socket.toString(), "-X", method, "-w", "\n%{http_code}"));
        if (body != null) cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        cmd.add("http://localhost/v1.47" + path);
        var r = DaemonFixture.collect(new ProcessBuilder(cmd), null, 90);
        String out = r.out();
        int nl = out.lastIndexOf('\n');
        return out.substring(nl + 1) + " " + out.substring(0, nl).trim();
    }

    @Test
    void volumeCreate_withAnUnknownDriver_isNotFound_andNothingIsMade() throws Exception {
        var r = f.run("volume", "create", "--driver", "nosuchdriver", "vol-nodriver");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("error looking up volume plugin nosuchdriver");
        assertThat(f.run("volume", "inspect", "vol-nodriver").code()).isNotZero();
    }
}
