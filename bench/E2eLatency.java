import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * End-to-end latency on a running platform (deploy/local/up): from the SMTP {@code 250} after the
 * end of data to the moment the message is visible to an IMAP client. SMTP clients send at a fixed
 * total rate (open loop: message k of a client is due at start + k / rate, so a slow server meets
 * a queue, not a politely waiting client), each message carrying an {@code X-Bench-Id} header. One
 * IMAPS session on the recipient's INBOX sits in IDLE (RFC 2177); each {@code * N EXISTS} is
 * stamped on arrival, and the new messages' ids are fetched to match them to their {@code 250}.
 *
 * <p>Prints the rate reached, the SMTP latency (end of data to 250) and the end-to-end latency
 * (250 to announced over IMAP): p50, p90, p99, max; and how many messages were never seen.
 *
 * <p>java bench/E2eLatency.java [--rate 500] [--clients 10] [--seconds 20] [--size 2048]
 *     [--to rcpt@bench.test] [--password bench-password] [--smtp-port 2525] [--imap-port 2993]
 *     [--trace FILE]  (one line per message: queue id, 250 and announced in epoch milliseconds)
 */
public class E2eLatency {

    static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        double rate = Double.parseDouble(arg(args, "--rate", "500"));
        int clients = Integer.parseInt(arg(args, "--clients", "10"));
        int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
        int size = Integer.parseInt(arg(args, "--size", "2048"));
        String to = arg(args, "--to", "rcpt@bench.test");
        String password = arg(args, "--password", "bench-password");
        int smtpPort = Integer.parseInt(arg(args, "--smtp-port", "2525"));
        int imapPort = Integer.parseInt(arg(args, "--imap-port", "2993"));
        String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

        String trace = arg(args, "--trace", null);
        Map<String, Long> acked = new ConcurrentHashMap<>();
        Map<String, String> queueIds = new ConcurrentHashMap<>();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        List<Long> smtpLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong failed = new AtomicLong();

        Observer observer = new Observer(imapPort, to, password, run, seen);
        Thread watch = new Thread(observer, "imap-observer");
        watch.setDaemon(true);
        watch.start();
        observer.ready.await();

        long start = System.nanoTime() + 200_000_000L;
        long end = start + seconds * 1_000_000_000L;
        double perClient = rate / clients;
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try (Socket s = new Socket(HOST, smtpPort)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    expect(in.readLine(), "220");
                    out.write("EHLO bench.example\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (String l = in.readLine(); !l.startsWith("250 "); l = in.readLine()) {
                        // EHLO keywords
                    }
                    byte[] envelope = ("MAIL FROM:<bench@bench.example>\r\nRCPT TO:<" + to + ">\r\nDATA\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    for (long k = 0; ; k++) {
                        // clients are staggered within one interval so that the total rate is even
                        long due = start + (long) ((k + client / (double) clients) * 1e9 / perClient);
                        if (due >= end) {
                            break;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        String id = client + "-" + k + "-" + run;
                        out.write(envelope);
                        out.flush();
                        String m = in.readLine();
                        String r = in.readLine();
                        String d = in.readLine();
                        if (!m.startsWith("250") || !r.startsWith("250") || !d.startsWith("354")) {
                            failed.incrementAndGet();
                            out.write("RSET\r\n".getBytes(StandardCharsets.US_ASCII));
                            in.readLine();
                            continue;
                        }
                        out.write(message(id, to, size));
                        long t0 = System.nanoTime();
                        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        String done = in.readLine();
                        long t1 = System.nanoTime();
                        if (done.startsWith("250")) {
                            acked.put(id, t1);
                            queueIds.put(id, done.substring(done.lastIndexOf(' ') + 1));
                            smtpLatencies.add(t1 - t0);
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    System.err.println("smtp client " + client + ": " + e);
                    failed.incrementAndGet();
                }
            });
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        long sendEnd = System.nanoTime();
        long deadline = sendEnd + 30_000_000_000L;
        while (System.nanoTime() < deadline && !seen.keySet().containsAll(acked.keySet())) {
            Thread.sleep(50);
        }
        observer.stop();

        if (trace != null) { // queue id, 250 and announced as epoch milliseconds, for a breakdown by stage
            long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
            StringBuilder t = new StringBuilder();
            acked.forEach((id, at) -> t.append(queueIds.get(id)).append(' ').append((at + epochOffset) / 1_000_000L)
                    .append(' ').append(seen.containsKey(id) ? (seen.get(id) + epochOffset) / 1_000_000L : -1).append('\n'));
            java.nio.file.Files.writeString(java.nio.file.Path.of(trace), t);
        }
        long[] e2e = acked.entrySet().stream().filter(e -> seen.containsKey(e.getKey()))
                .mapToLong(e -> seen.get(e.getKey()) - e.getValue()).sorted().toArray();
        long[] smtp = smtpLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double elapsed = (sendEnd - start) / 1e9;
        System.out.printf("e2e latency: %d SMTP clients at %.0f messages/s offered, %d-octet messages, %d s%n",
                clients, rate, size, seconds);
        System.out.printf("  accepted   %d messages, %.0f messages/s reached; %d refused or failed%n",
                acked.size(), acked.size() / elapsed, failed.get());
        if (smtp.length > 0) {
            System.out.printf("  smtp       p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (end of data to 250)%n",
                    pct(smtp, 50), pct(smtp, 90), pct(smtp, 99), smtp[smtp.length - 1] / 1e6);
        }
        if (e2e.length > 0) {
            System.out.printf("  end to end p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (250 to announced by IMAP IDLE)%n",
                    pct(e2e, 50), pct(e2e, 90), pct(e2e, 99), e2e[e2e.length - 1] / 1e6);
        }
        System.out.printf("  not seen   %d of %d within 30 s after the last 250%n", acked.size() - e2e.length, acked.size());
    }

    static byte[] message(String id, String to, int size) {
        StringBuilder b = new StringBuilder("From: <bench@bench.example>\r\nTo: <" + to + ">\r\nSubject: e2e\r\nX-Bench-Id: "
                + id + "\r\n\r\n");
        while (b.length() < size) {
            b.append("The quick brown fox jumps over the lazy dog. 0123456789 abcdefghij\r\n");
        }
        return (b.substring(0, size - 2) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One IMAPS session in IDLE on INBOX, stamping each message of this run when it is announced. */
    static final class Observer implements Runnable {
        final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        private final int port;
        private final String user;
        private final String password;
        private final String run;
        private final Map<String, Long> seen;
        private volatile boolean stopping;
        private SSLSocket socket;

        Observer(int port, String user, String password, String run, Map<String, Long> seen) {
            this.port = port;
            this.user = user;
            this.password = password;
            this.run = run;
            this.seen = seen;
        }

        void stop() throws Exception {
            stopping = true;
            socket.close();
        }

        @Override
        public void run() {
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {new X509TrustManager() {
                    public void checkClientTrusted(X509Certificate[] c, String a) { }
                    public void checkServerTrusted(X509Certificate[] c, String a) { }
                    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
                }}, new SecureRandom());
                socket = (SSLSocket) tls.getSocketFactory().createSocket(HOST, port);
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                in.readLine();
                send(out, "a LOGIN \"" + user + "\" \"" + password + "\"");
                long exists = 0;
                for (String l = in.readLine(); !l.startsWith("a "); l = in.readLine()) { }
                send(out, "b SELECT INBOX");
                for (String l = in.readLine(); !l.startsWith("b "); l = in.readLine()) {
                    exists = existsOr(l, exists);
                }
                long fetched = exists;
                ready.countDown();
                int tag = 0;
                while (!stopping) {
                    send(out, "i" + tag + " IDLE");
                    long stamp = 0;
                    while (true) {
                        String l = in.readLine();
                        long n = existsOr(l, -1);
                        if (n > fetched) {
                            stamp = System.nanoTime();
                            exists = n;
                            break;
                        }
                    }
                    send(out, "DONE");
                    for (String l = in.readLine(); !l.startsWith("i" + tag + " "); l = in.readLine()) {
                        exists = Math.max(exists, existsOr(l, exists));
                    }
                    send(out, "f" + tag + " FETCH " + (fetched + 1) + ":" + exists + " (BODY.PEEK[HEADER.FIELDS (X-BENCH-ID)])");
                    for (String l = in.readLine(); !l.startsWith("f" + tag + " "); l = in.readLine()) {
                        if (l.regionMatches(true, 0, "X-Bench-Id: ", 0, 12) && l.endsWith("-" + run)) {
                            seen.putIfAbsent(l.substring(12).trim(), stamp);
                        }
                        exists = Math.max(exists, existsOr(l, exists));
                    }
                    fetched = exists;
                    tag++;
                }
            } catch (Exception e) {
                if (!stopping) {
                    System.err.println("imap observer: " + e);
                }
                ready.countDown();
            }
        }

        private static long existsOr(String line, long otherwise) {
            if (line.startsWith("* ") && line.endsWith(" EXISTS")) {
                return Long.parseLong(line.substring(2, line.length() - 7));
            }
            return otherwise;
        }

        private static void send(OutputStream out, String line) throws Exception {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    static void expect(String line, String code) {
        if (line == null || !line.startsWith(code)) {
            throw new IllegalStateException("expected " + code + ", got " + line);
        }
    }

    static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
