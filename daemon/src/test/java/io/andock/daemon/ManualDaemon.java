package io.andock.daemon;

/** For trying the daemon by hand: starts registry + daemon, prints how to reach them, runs until killed. */
public final class ManualDaemon {
    public static void main(String[] args) throws Exception {
        DaemonFixture f = new DaemonFixture();
        System.out.println("export DOCKER_HOST=" + f.host() + " DOCKER_CONFIG=" + f.dockerConfig);
        System.out.println("REGISTRY=" + f.registry.host());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
