import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * IMAP benchmarks against a running platform (deploy/local/up), over IMAPS. Two figures:
 *
 * <p>{@code fetch}: one account holding {@code --messages} messages (appended once, kept for later
 * runs); {@code FETCH 1:* (ENVELOPE FLAGS)} timed from the command to its tagged OK, several times;
 * the server's RSS before and after (with {@code --pid}).
 *
 * <p>{@code mixed}: {@code --clients} sessions, each on its own account of {@code --per-client}
 * messages, each doing in a loop SELECT INBOX, FETCH of a message's headers, FETCH of a whole
 * message, STORE of a flag, SEARCH: commands per second and the latency percentiles of a command.
 *
 * <p>java bench/ImapBench.java fetch|mixed [--port 2993] [--api 8082] [--state .mailroom]
 *     [--messages 10000] [--clients 10] [--per-client 200] [--seconds 20] [--pid PID]
 *     [--script "SELECT INBOX;FETCH %d (BODY.PEEK[])"]  (the loop of mixed; %d: a random message number)
 */
public class ImapBench {

    static String host = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "mixed";
        int port = Integer.parseInt(arg(args, "--port", "2993"));
        int api = Integer.parseInt(arg(args, "--api", "8082"));
        Path state = Path.of(arg(args, "--state", ".mailroom"));
        String pid = arg(args, "--pid", null);
        String token = Files.readString(state.resolve("admin-token")).trim();
        post(api, token, "/api/v1/domains", "{\"name\":\"bench.test\"}");
        if (mode.equals("fetch")) {
            fetch(port, api, token, Integer.parseInt(arg(args, "--messages", "10000")), pid);
        } else {
            String script = arg(args, "--script", "SELECT INBOX;FETCH %d (FLAGS BODY.PEEK[HEADER]);FETCH %d (BODY.PEEK[]);"
                    + "STORE %d +FLAGS (\\Flagged);SEARCH UNSEEN;FETCH %d (FLAGS ENVELOPE);STORE %d -FLAGS (\\Flagged);SEARCH FLAGGED");
            mixed(port, api, token, Integer.parseInt(arg(args, "--clients", "10")),
                    Integer.parseInt(arg(args, "--per-client", "200")), Integer.parseInt(arg(args, "--seconds", "20")), pid,
                    script.split(";"));
        }
    }

    static void fetch(int port, int api, String token, int messages, String pid) throws Exception {
        String user = "fetch" + messages + "@bench.test";
        post(api, token, "/api/v1/accounts", "{\"address\":\"" + user + "\",\"password\":\"secret\"}");
        fill(port, user, messages);
        try (Client c = new Client(port)) {
            c.login(user);
            c.command("SELECT INBOX");
            System.out.printf("FETCH 1:* (ENVELOPE FLAGS) of %d messages, server RSS before: %s%n", messages, rss(pid));
            for (int run = 1; run <= 5; run++) {
                long start = System.nanoTime();
                Client.Result r = c.command("FETCH 1:* (ENVELOPE FLAGS)");
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("  run %d: %d ms, %d responses, %d KiB, server RSS %s%n", run, ms, r.untagged,
                        r.octets / 1024, rss(pid));
            }
        }
    }

    static void mixed(int port, int api, String token, int clients, int perClient, int seconds, String pid,
            String[] script) throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String user = "mixed" + i + "-" + perClient + "@bench.test";
            post(api, token, "/api/v1/accounts", "{\"address\":\"" + user + "\",\"password\":\"secret\"}");
            users.add(user);
        }
        List<Thread> fillers = new ArrayList<>();
        for (String user : users) {
            Thread t = new Thread(() -> {
                try {
                    fill(port, user, perClient);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            fillers.add(t);
        }
        for (Thread t : fillers) {
            t.join();
        }
        AtomicLong commands = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        long warmupEnd = System.nanoTime() + 3_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String user = users.get(i);
            long seed = i;
            Thread t = new Thread(() -> {
                long[] lat = new long[4_000_000];
                int n = 0;
                Random random = new Random(seed);
                try (Client c = new Client(port)) {
                    c.login(user);
                    c.command("SELECT INBOX");
                    int step = 0;
                    while (true) {
                        long now = System.nanoTime();
                        if (now > end) {
                            break;
                        }
                        String cmd = String.format(script[step++ % script.length], 1 + random.nextInt(perClient));
                        long start = System.nanoTime();
                        Client.Result r = c.command(cmd);
                        long took = System.nanoTime() - start;
                        if (!r.ok) {
                            failures.incrementAndGet();
                        }
                        if (start > warmupEnd) {
                            commands.incrementAndGet();
                            if (n < lat.length) {
                                lat[n++] = took;
                            }
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
                long[] mine = new long[n];
                System.arraycopy(lat, 0, mine, 0, n);
                latencies.add(mine);
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long total = 0;
        for (long[] l : latencies) {
            total += l.length;
        }
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 0, all, k, l.length);
            k += l.length;
        }
        java.util.Arrays.sort(all);
        System.out.printf("%d clients, %d s after 3 s warm-up: %d commands, %.0f commands/s, %d not OK%n", clients,
                seconds, commands.get(), commands.get() / (double) seconds, failures.get());
        if (all.length > 0) {
            System.out.printf("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; server RSS %s%n",
                    all[all.length / 2] / 1e6, all[(int) (all.length * 0.9)] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                    all[all.length - 1] / 1e6, rss(pid));
        }
    }

    /** Appends messages until the account's INBOX holds {@code count} (LITERAL+, pipelined in windows). */
    static void fill(int port, String user, int count) throws Exception {
        try (Client c = new Client(port)) {
            c.login(user);
            Client.Result status = c.command("STATUS INBOX (MESSAGES)");
            int have = Integer.parseInt(status.lastUntagged.replaceAll(".*MESSAGES (\\d+).*", "$1"));
            int window = 50;
            for (int i = have; i < count; i += window) {
                int n = Math.min(window, count - i);
                StringBuilder batch = new StringBuilder();
                List<String> tags = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    byte[] msg = message(i + j);
                    String tag = c.nextTag();
                    tags.add(tag);
                    batch.append(tag).append(" APPEND INBOX {").append(msg.length).append("+}\r\n")
                            .append(new String(msg, StandardCharsets.US_ASCII)).append("\r\n");
                }
                c.out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                c.out.flush();
                for (String tag : tags) {
                    Client.Result r = c.read(tag);
                    if (!r.ok) {
                        throw new IllegalStateException("APPEND failed: " + r.tagged);
                    }
                }
            }
        }
    }

    static byte[] message(int i) {
        StringBuilder b = new StringBuilder();
        b.append("From: Sender ").append(i % 50).append(" <sender").append(i % 50).append("@remote.test>\r\n");
        b.append("To: bench@bench.test\r\nSubject: benchmark message number ").append(i).append("\r\n");
        b.append("Date: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <").append(i).append("@remote.test>\r\n");
        b.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (b.length() < 2048) {
            b.append("The quick brown fox jumps over the lazy dog. 0123456789 abcdefghij\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String rss(String pid) {
        if (pid == null) {
            return "n/a";
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MiB";
                }
            }
        } catch (IOException e) {
            return "n/a";
        }
        return "n/a";
    }

    static void post(int port, String token, String path, String json) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
    }

    static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    /** A blocking IMAPS client that reads responses, literals included. */
    static final class Client implements AutoCloseable {
        final SSLSocket socket;
        final InputStream in;
        final OutputStream out;
        int tag;

        record Result(boolean ok, String tagged, int untagged, long octets, String lastUntagged) {}

        Client(int port) throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) {}
                public void checkServerTrusted(X509Certificate[] c, String a) {}
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, new SecureRandom());
            socket = (SSLSocket) ctx.getSocketFactory().createSocket(host, port);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
            line(); // greeting
        }

        String nextTag() {
            return "t" + (++tag);
        }

        void login(String user) throws IOException {
            Result r = command("LOGIN " + user + " secret");
            if (!r.ok) {
                throw new IllegalStateException("login failed: " + r.tagged);
            }
        }

        Result command(String command) throws IOException {
            String t = nextTag();
            out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(t);
        }

        Result read(String t) throws IOException {
            int untagged = 0;
            long octets = 0;
            String last = null;
            while (true) {
                String l = line();
                octets += l.length();
                // a literal at the end of a line: read it, then the rest of the response
                while (l.endsWith("}") && l.lastIndexOf('{') >= 0) {
                    int size = Integer.parseInt(l.substring(l.lastIndexOf('{') + 1, l.length() - 1).replace("+", ""));
                    in.readNBytes(size);
                    octets += size;
                    l = line();
                    octets += l.length();
                }
                if (l.startsWith(t + " ")) {
                    return new Result(l.startsWith(t + " OK"), l, untagged, octets, last);
                }
                untagged++;
                last = l;
            }
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(256);
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    b.write(c);
                }
            }
            if (c < 0) {
                throw new IOException("connection closed");
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
