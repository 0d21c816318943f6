package airgraph.neo4jlocal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * Runs a real Neo4j Community server in this JVM with only Bolt on 127.0.0.1.
 *
 * <p>Prints exactly one line {@code BOLT_URI=bolt://127.0.0.1:PORT} to stdout when ready (all other
 * output goes to stderr) and shuts down cleanly on stdin EOF or SIGTERM.
 */
public final class Neo4jLocal {
    private static final String USAGE =
            """
            usage: neo4j-local [--port N] [--password PW] [--data DIR] [--pagecache SIZE] [--no-stdin]
              --port N          Bolt port on 127.0.0.1 (default 0: pick a free port)
              --password PW     enable auth; user neo4j gets password PW (default: auth disabled)
              --data DIR        persistent Neo4j home (default: a temp dir deleted on exit)
              --pagecache SIZE  page cache size, e.g. 256m (default 256m)
              --no-stdin        do not stop at stdin EOF, only on SIGTERM / Ctrl-C (the
                                neo4j-local script adds it unless stdin is a pipe or socket)
            """;

    private static Neo4j neo4j;
    private static Path tempHome;

    public static void main(String[] args) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(System.err); // keep stdout for the single BOLT_URI line
        int port = 0;
        String password = null;
        String pagecache = "256m";
        Path data = null;
        boolean watchStdin = true;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--password" -> password = args[++i];
                    case "--data" -> data = Path.of(args[++i]);
                    case "--pagecache" -> pagecache = args[++i];
                    case "--no-stdin" -> watchStdin = false;
                    case "-h", "--help" -> {
                        stdout.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.print("neo4j-local: bad arguments (" + e.getMessage() + ")\n" + USAGE);
            System.exit(2);
        }

        Runtime.getRuntime().addShutdownHook(new Thread(Neo4jLocal::stop, "neo4j-local-shutdown"));
        Path home;
        if (data == null) {
            home = tempHome = Files.createTempDirectory("neo4j-local-");
        } else {
            home = Files.createDirectories(data).toAbsolutePath();
        }
        if (port == 0) {
            port = freePort(); // a fixed port, so the advertised address (routing table) is right
        }
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        List<Path> stale = harnessDirs(home); // left behind by a kill -9 of an earlier run
        try {
            // The harness puts its user log in a random subdir of the working dir and deletes it on
            // close; the store itself lives under neo4j_home, which we point at `home`.
            neo4j = Neo4jBuilders.newInProcessBuilder(home)
                    .withDisabledServer()
                    .withConfig(GraphDatabaseSettings.neo4j_home, home)
                    .withConfig(BoltConnector.listen_address, bolt)
                    .withConfig(BoltConnector.advertised_address, bolt)
                    .withConfig(GraphDatabaseSettings.routing_enabled, false)
                    .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                    .withConfig(GraphDatabaseSettings.auth_enabled, password != null)
                    .withConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                    // Bolt's netty event loops otherwise idle 2 s each on shutdown (~10 s in all).
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .build();
            if (password != null) {
                setPassword(password);
            }
            for (Path dir : stale) { // safe now: the store lock proves no other server uses `home`
                deleteTree(dir);
            }
        } catch (Throwable e) {
            System.err.println("neo4j-local: failed to start Neo4j");
            e.printStackTrace();
            System.exit(1);
        }
        stdout.println("BOLT_URI=bolt://127.0.0.1:" + neo4j.boltURI().getPort());
        stdout.flush();

        if (watchStdin) {
            InputStream in = System.in;
            byte[] buf = new byte[4096];
            while (in.read(buf) != -1) {
                // discard; EOF means the parent went away
            }
            System.exit(0);
        }
        Thread.currentThread().join(); // until SIGTERM / Ctrl-C runs the shutdown hook
    }

    /** Embedded transactions bypass auth, so an admin command on `system` sets the password. */
    private static void setPassword(String password) {
        try {
            neo4j.databaseManagementService()
                    .database("system")
                    .executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Reopening a --data dir with the same password: Neo4j refuses a "change" to the same value.
            if (!String.valueOf(e.getMessage()).contains("same")) {
                throw e;
            }
            System.err.println("neo4j-local: password unchanged (" + e.getMessage() + ")");
        }
    }

    /** The harness logs to a random 32-hex-digit subdir of its working dir (deleted on close). */
    private static List<Path> harnessDirs(Path home) throws IOException {
        try (Stream<Path> children = Files.list(home)) {
            return children.filter(p -> p.getFileName().toString().matches("[0-9a-f]{32}"))
                    .filter(Files::isDirectory)
                    .toList();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            e.printStackTrace();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static synchronized void stop() {
        if (neo4j != null) {
            try {
                neo4j.close();
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
            neo4j = null;
        }
        if (tempHome != null) {
            deleteTree(tempHome);
            tempHome = null;
        }
    }
}
