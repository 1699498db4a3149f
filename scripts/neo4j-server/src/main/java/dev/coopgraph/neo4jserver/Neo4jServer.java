package dev.coopgraph.neo4jserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A development/CI Neo4j 5.26 server: an in-process Neo4j started through neo4j-harness,
 * listening on 127.0.0.1 with authentication enabled and a persistent data directory.
 *
 * <p>Configuration (system properties, all optional):
 * <ul>
 *   <li>neo4jdev.home      neo4j home; data lives in HOME/data, debug log in HOME/logs (default ./neo4j-home)</li>
 *   <li>neo4jdev.boltPort  Bolt port on 127.0.0.1 (default 7687)</li>
 *   <li>neo4jdev.httpPort  HTTP port on 127.0.0.1; 0 or "off" disables HTTP (default 7474)</li>
 *   <li>neo4jdev.pagecache page cache size in MiB (default 256)</li>
 * </ul>
 * The password of user {@code neo4j} is read from the environment variable NEO4J_PASSWORD
 * (kept off the command line so it does not show up in {@code ps}).
 *
 * <p>Prints one line starting with {@code NEO4J_READY} on stdout once Bolt answers an
 * authenticated query, then blocks until SIGTERM/SIGINT and shuts the DBMS down cleanly.
 */
public final class Neo4jServer {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("neo4jdev.home", "neo4j-home")).toAbsolutePath().normalize();
        int boltPort = Integer.parseInt(System.getProperty("neo4jdev.boltPort", "7687"));
        String httpProp = System.getProperty("neo4jdev.httpPort", "7474").trim();
        int httpPort = httpProp.isEmpty() || httpProp.equalsIgnoreCase("off") ? 0 : Integer.parseInt(httpProp);
        long pageCacheMiB = Long.parseLong(System.getProperty("neo4jdev.pagecache", "256"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            fail("NEO4J_PASSWORD must be set and at least 8 characters long (Neo4j's minimum)");
        }
        if (password.equals("neo4j")) {
            fail("NEO4J_PASSWORD must not be 'neo4j'");
        }

        Path runDir = home.resolve("harness-run");
        Files.createDirectories(runDir);
        removeStaleRunFolders(runDir);

        // The harness puts its per-run scratch folder (user log neo4j.log, certificates) in a random
        // md5-named sub-folder of the working dir and deletes that folder on close. We point
        // neo4j_home (and thus data/ and logs/debug.log) at a fixed directory instead, so the
        // databases survive restarts.
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(runDir)
                .withConfig(GraphDatabaseSettings.neo4j_home, home)
                .withConfig(GraphDatabaseSettings.data_directory, home.resolve("data"))
                .withConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMiB * 1024L * 1024L)
                .withConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .withConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, boltPort))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, boltPort))
                .withConfig(HttpsConnector.enabled, false)
                // dev-size transaction logs: no 256 MiB preallocated file per database
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .withConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 64L * 1024L * 1024L)
                .withConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // Bolt's netty event loops otherwise wait 2 x 5 s of "quiet period" on shutdown
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5));
        if (httpPort > 0) {
            builder = builder.withConfig(HttpConnector.enabled, true)
                    .withConfig(HttpConnector.listen_address, new SocketAddress(HOST, httpPort))
                    .withConfig(HttpConnector.advertised_address, new SocketAddress(HOST, httpPort));
        } else {
            builder = builder.withDisabledServer();
        }

        long t0 = System.nanoTime();
        log("starting Neo4j (home=" + home + ", bolt=" + HOST + ":" + boltPort
                + ", http=" + (httpPort > 0 ? HOST + ":" + httpPort : "off") + ")");
        final Neo4j neo4j = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutdown requested, stopping Neo4j");
            try {
                neo4j.close();
                log("Neo4j stopped cleanly");
            } catch (Throwable t) {
                log("error while stopping Neo4j: " + t);
                t.printStackTrace(System.out);
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            setPassword(neo4j.databaseManagementService().database("system"), password);
            String version = selfCheck(boltPort, password);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("NEO4J_READY version=%s bolt=bolt://%s:%d http=%s user=neo4j startup_seconds=%.1f%n",
                    version, HOST, boltPort, httpPort > 0 ? "http://" + HOST + ":" + httpPort : "off", secs);
            System.out.flush();
        } catch (Throwable t) {
            log("startup check failed: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1); // runs the shutdown hook
        }

        stopped.await(); // block until the shutdown hook has run (SIGTERM / SIGINT)
    }

    /** Scratch folders (md5-named) left behind by a run that was killed instead of stopped. */
    private static void removeStaleRunFolders(Path runDir) throws java.io.IOException {
        try (var dirs = Files.list(runDir)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                if (Files.isDirectory(d) && d.getFileName().toString().matches("[0-9a-f]{32}")) {
                    try (var walk = Files.walk(d)) {
                        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
            }
        }
    }

    /** Make the configured password the password of user neo4j, and clear "change required". */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            log("password of user neo4j set");
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one already set: then it is already right.
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
            log("password of user neo4j already as configured");
        }
    }

    /** An authenticated query over Bolt with the Java driver; returns the Neo4j version. */
    private static String selfCheck(int boltPort, String password) {
        Config cfg = Config.builder()
                .withoutEncryption()
                .withConnectionTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .withLogging(org.neo4j.driver.Logging.none())
                .build();
        try (Driver driver = GraphDatabase.driver("bolt://" + HOST + ":" + boltPort,
                        AuthTokens.basic("neo4j", password), cfg);
                var session = driver.session(SessionConfig.forDatabase("neo4j"))) {
            driver.verifyConnectivity();
            Record r = session.run("CALL dbms.components() YIELD name, versions, edition "
                            + "RETURN versions[0] AS v, edition AS e")
                    .single();
            return r.get("v").asString() + "-" + r.get("e").asString();
        }
    }

    private static void log(String msg) {
        System.out.println(java.time.Instant.now() + " [neo4j-dev-server] " + msg);
        System.out.flush();
    }

    private static void fail(String msg) {
        System.err.println("[neo4j-dev-server] " + msg);
        System.exit(2);
    }

    private Neo4jServer() {}
}
