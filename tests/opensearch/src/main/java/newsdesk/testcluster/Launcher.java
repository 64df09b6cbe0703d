package newsdesk.testcluster;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this process, for newsdesk's tests (tests/opensearch_cluster.py starts two).
 *
 * Arguments are key=value pairs: cluster, node, http, transport, home (a temp folder for data
 * and logs), seeds (host:port,host:port of every node's transport), managers (node names
 * allowed to bootstrap the cluster) and roles (default cluster_manager,data,ingest). The node runs
 * until the process is stopped (SIGTERM closes it cleanly).
 */
public final class Launcher {

    /** Node's plugin-taking constructor is protected: a subclass hands it the classpath plugins. */
    static final class PluginNode extends Node {
        PluginNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        Path home = Path.of(a.get("home")).toAbsolutePath();
        Settings settings = Settings.builder()
            .put("cluster.name", a.get("cluster"))
            .put("node.name", a.get("node"))
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", a.get("http"))
            .put("transport.port", a.get("transport"))
            .putList("discovery.seed_hosts", Arrays.asList(a.get("seeds").split(",")))
            .putList("cluster.initial_cluster_manager_nodes", Arrays.asList(a.get("managers").split(",")))
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("node.processors", Integer.parseInt(a.getOrDefault("processors", "1")))
            .putList("node.roles", Arrays.asList(a.getOrDefault("roles", "cluster_manager,data,ingest").split(",")))
            .put("logger.level", a.getOrDefault("log", "WARN"))
            .build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> a.get("node"));
        List<Class<? extends Plugin>> plugins = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class);
        Node node = new PluginNode(env, plugins);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        System.out.println("newsdesk-testcluster: node " + a.get("node") + " started on http " + a.get("http"));
        System.out.flush();
        stopped.await();
    }
}
