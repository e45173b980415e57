import io.andock.engine.Engine;
import io.andock.engine.EngineConfig;
import io.andock.follow.FollowAgent;
import io.andock.follow.FollowMode;
import io.andock.follow.Follows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For bench/follow only: several simulated devices in one JVM (a phone runs one agent per store root; 50 JVMs
 * would not fit a 2-core bench machine). Each device has its own root, its own engine, its own agent, its own
 * device id and its own connections to the hub: nothing is shared but the process.
 *
 * <pre>java -cp cli/target/andock.jar bench/follow-agents.java REF MODE ROOT...</pre>
 * Follows REF on each ROOT, starts its agent, prints "ready N" and runs until killed.
 */
public class FollowAgents {
    public static void main(String[] args) throws Exception {
        String ref = args[0];
        FollowMode mode = FollowMode.parse(args[1]);
        List<FollowAgent> agents = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            Path root = Path.of(args[i]);
            Files.createDirectories(root.resolve("config"));
            Engine engine = Engine.open(EngineConfig.of(root, root.resolve("config")));
            Follows f = new Follows(engine);
            f.follow(ref, mode, 10);
            agents.add(f.startAgent("bench"));
        }
        System.out.println("ready " + agents.size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
