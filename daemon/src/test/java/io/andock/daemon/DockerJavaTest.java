package io.andock.daemon;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-java 3.7.1 with the zerodep transport, unversioned paths (its default), through a container's life. */
class DockerJavaTest {
    static DaemonFixture f;
    static DockerClient c;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        var cfg = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(f.host()).build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(cfg.getDockerHost()).build();
        c = DockerClientImpl.getInstance(cfg, http);
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        f.close();
    }

    @Test
    void lifecycle_pullCreateStartExecLogsStopWaitRemove() throws Exception {
        c.pingCmd().exec();
        assertThat(c.versionCmd().exec().getApiVersion()).isEqualTo("1.47");
        assertThat(c.infoCmd().exec().getOsType()).isEqualTo("linux");
        String image = f.image("busybox:latest");
        assertThat(c.pullImageCmd(f.image("busybox")).withTag("latest").exec(new PullImageResultCallback())
                .awaitCompletion(60, TimeUnit.SECONDS)).isTrue();
        assertThat(c.listImagesCmd().exec()).anySatisfy(i -> assertThat(i.getRepoTags()).contains(image));

        String id = c.createContainerCmd(image).withName("dj").withCmd("sh", "-c", "echo out; echo err >&2; exec sleep 60")
                .withLabels(java.util.Map.of("k", "v")).exec().getId();
        c.startContainerCmd(id).exec();
        var inspect = c.inspectContainerCmd(id).exec();
        assertThat(inspect.getState().getRunning()).isTrue();
        assertThat(inspect.getConfig().getLabels()).containsEntry("k", "v");
        assertThat(c.listContainersCmd().withLabelFilter(java.util.Map.of("k", "v")).exec()).hasSize(1);

        String exec = c.execCreateCmd(id).withCmd("sh", "-c", "echo from-exec; exit 6").withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder out = new StringBuilder();
        c.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        assertThat(out.toString()).isEqualTo("from-exec\n");
        assertThat(c.inspectExecCmd(exec).exec().getExitCodeLong()).isEqualTo(6L);

        Thread.sleep(300);
        StringBuilder logs = new StringBuilder();
        c.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                logs.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        assertThat(logs.toString()).contains("out\n").contains("err\n");

        c.killContainerCmd(id).exec();
        int code = c.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(30, TimeUnit.SECONDS);
        assertThat(code).isEqualTo(137);
        c.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        assertThat(c.listContainersCmd().withShowAll(true).exec()).isEmpty();
    }
    @Test
    void containerAsAWhole_renameTopDiffUpdateCommitHistory() throws Exception {
        String image = f.image("busybox:latest");
        assertThat(c.pullImageCmd(f.image("busybox")).withTag("latest").exec(new PullImageResultCallback())
                .awaitCompletion(60, TimeUnit.SECONDS)).isTrue();
        String id = c.createContainerCmd(image).withName("dj-whole").withCmd("sleep", "60").exec().getId();
        c.startContainerCmd(id).exec();
        c.renameContainerCmd(id).withName("dj-renamed").exec();
        assertThat(c.inspectContainerCmd(id).exec().getName()).isEqualTo("/dj-renamed");

        var top = c.topContainerCmd(id).exec();
        assertThat(top.getTitles()).contains("PID", "CMD");
        assertThat(java.util.Arrays.stream(top.getProcesses()).map(p -> String.join(" ", p))).anyMatch(p -> p.contains("sleep 60"));

        String exec = c.execCreateCmd(id).withCmd("sh", "-c", "echo x > /tmp/x").exec().getId();
        c.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(30, TimeUnit.SECONDS);
        assertThat(c.containerDiffCmd(id).exec().stream().map(ch -> ch.getKind() + " " + ch.getPath()))
                .containsExactly("0 /tmp", "1 /tmp/x"); // docker-java keeps the kind as dockerd's number

        c.updateContainerCmd(id).withRestartPolicy(com.github.dockerjava.api.model.RestartPolicy.alwaysRestart()).exec();
        assertThat(c.inspectContainerCmd(id).exec().getHostConfig().getRestartPolicy().getName()).isEqualTo("always");

        String committed = c.commitCmd(id).withRepository("dj-committed").withTag("1").withMessage("dj").exec();
        assertThat(c.inspectImageCmd("dj-committed:1").exec().getId()).isEqualTo(committed);
        assertThat(c.listImagesCmd().exec()).anySatisfy(i -> assertThat(i.getRepoTags()).contains("dj-committed:1"));
        c.removeContainerCmd(id).withForce(true).exec();
        c.removeImageCmd("dj-committed:1").exec();
    }
}
