package io.andock.daemon;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docker-java 3.7.1: a user-defined network with two containers, the client reaching the server by its alias. */
class DockerJavaNetworkTest {

    @Test
    void twoContainers_onANetwork_talkByAlias() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "bridge networks need root and the CNI plugins");
        try (DaemonFixture f = new DaemonFixture()) {
            var cfg = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(f.host()).build();
            var http = new ZerodepDockerHttpClient.Builder().dockerHost(cfg.getDockerHost()).build();
            try (DockerClient c = DockerClientImpl.getInstance(cfg, http)) {
                String web = f.image("busybox:configured");
                String busybox = f.image("busybox:latest");
                assertThat(c.pullImageCmd(f.image("busybox")).withTag("configured").exec(new PullImageResultCallback())
                        .awaitCompletion(60, TimeUnit.SECONDS)).isTrue();
                assertThat(c.pullImageCmd(f.image("busybox")).withTag("latest").exec(new PullImageResultCallback())
                        .awaitCompletion(60, TimeUnit.SECONDS)).isTrue();

                String net = c.createNetworkCmd().withName("djnet").withLabels(Map.of("suite", "docker-java")).exec().getId();
                Network n = c.inspectNetworkCmd().withNetworkId(net).exec();
                assertThat(n.getName()).isEqualTo("djnet");
                assertThat(n.getDriver()).isEqualTo("bridge");
                assertThat(n.getIpam().getConfig()).singleElement().satisfies(ipam -> assertThat(ipam.getSubnet()).endsWith("/24"));
                assertThat(c.listNetworksCmd().withNameFilter("djnet").exec()).extracting(Network::getName).containsExactly("djnet");

                String server = c.createContainerCmd(web).withName("server").withAliases("backend")
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("djnet")).exec().getId();
                c.startContainerCmd(server).exec();
                ContainerNetwork onNet = c.inspectContainerCmd(server).exec().getNetworkSettings().getNetworks().get("djnet");
                assertThat(onNet).isNotNull();
                assertThat(onNet.getIpAddress()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
                assertThat(onNet.getAliases()).contains("backend");

                String client = c.createContainerCmd(busybox).withName("client")
                        .withCmd("wget", "-qO-", "http://backend:8080/")
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("djnet")).exec().getId();
                c.startContainerCmd(client).exec();
                int code = c.waitContainerCmd(client).exec(new WaitContainerResultCallback()).awaitStatusCode(60, TimeUnit.SECONDS);
                StringBuilder logs = new StringBuilder();
                c.logContainerCmd(client).withStdOut(true).withStdErr(true).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                        com.github.dockerjava.api.model.Frame>() {
                    @Override
                    public void onNext(com.github.dockerjava.api.model.Frame frame) {
                        logs.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
                assertThat(code).as(logs.toString()).isZero();
                assertThat(logs.toString()).contains("hello from andock busybox:configured");

                for (String id : List.of(client, server)) c.removeContainerCmd(id).withForce(true).exec();
                c.removeNetworkCmd(net).exec();
                assertThat(c.listNetworksCmd().withNameFilter("djnet").exec()).isEmpty();
            }
        }
    }
}
