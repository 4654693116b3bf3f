import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SMTP load: N concurrent clients, each sending messages of a given size over one connection as
 * fast as the server acknowledges them (MAIL, RCPT and DATA pipelined, RFC 2920). Prints
 * throughput, latency percentiles from the end-of-data dot to the 250, and the server's RSS.
 *
 * java bench/SmtpBench.java [--host 127.0.0.1] [--port 2525] [--clients 10] [--seconds 20]
 *     [--size 2048] [--from bench@bench.example] [--to rcpt@bench.test] [--pid PID]
 */
public class SmtpBench {

    public static void main(String[] args) throws Exception {
        String host = arg(args, "--host", "127.0.0.1");
        int port = Integer.parseInt(arg(args, "--port", "2525"));
        int clients = Integer.parseInt(arg(args, "--clients", "10"));
        int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
        int size = Integer.parseInt(arg(args, "--size", "2048"));
        String from = arg(args, "--from", "bench@bench.example");
        String to = arg(args, "--to", "rcpt@bench.test");
        String pid = arg(args, "--pid", null);

        StringBuilder body = new StringBuilder("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: bench\r\n\r\n");
        while (body.length() < size) {
            body.append("The quick brown fox jumps over the lazy dog. 0123456789 abcdefghij\r\n");
        }
        byte[] message = (body.substring(0, size - 2) + "\r\n").getBytes(StandardCharsets.US_ASCII);

        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        long warmupEnd = System.nanoTime() + 3_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                long[] lat = new long[2_000_000];
                int n = 0;
                try (Socket s = new Socket(host, port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    expect(in, "220");
                    out.write("EHLO bench.example\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (true) {
                        String l = in.readLine();
                        if (l.startsWith("250 ")) {
                            break;
                        }
                    }
                    byte[] envelope = ("MAIL FROM:<" + from + ">\r\nRCPT TO:<" + to + ">\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII);
                    byte[] dot = ".\r\n".getBytes(StandardCharsets.US_ASCII);
                    while (System.nanoTime() < end) {
                        out.write(envelope);
                        out.flush();
                        String m = in.readLine();
                        String r = in.readLine();
                        String d = in.readLine();
                        if (!m.startsWith("250") || !r.startsWith("250") || !d.startsWith("354")) {
                            failed.incrementAndGet();
                            System.err.println("refused: " + m + " | " + r + " | " + d);
                            out.write("RSET\r\n".getBytes(StandardCharsets.US_ASCII));
                            in.readLine();
                            Thread.sleep(100);
                            continue;
                        }
                        out.write(message);
                        long t0 = System.nanoTime();
                        out.write(dot);
                        out.flush();
                        String done = in.readLine();
                        long t1 = System.nanoTime();
                        if (done.startsWith("250")) {
                            if (t0 > warmupEnd) {
                                sent.incrementAndGet();
                                if (n < lat.length) {
                                    lat[n++] = t1 - t0;
                                }
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    System.err.println("client: " + e);
                    failed.incrementAndGet();
                }
                latencies.add(java.util.Arrays.copyOf(lat, n));
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        System.out.printf("smtp bench: %d clients, %d-octet messages, %d s measured (after 3 s warm-up)%n", clients, size, seconds);
        System.out.printf("  accepted   %d messages, %.0f messages/s%n", sent.get(), sent.get() / (double) seconds);
        System.out.printf("  failed     %d%n", failed.get());
        if (all.length > 0) {
            System.out.printf("  latency    p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (end of data to 250)%n",
                    pct(all, 50), pct(all, 90), pct(all, 99), all[all.length - 1] / 1e6);
        }
        if (pid != null) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) {
                    System.out.println("  server     " + line.replaceAll("\\s+", " "));
                }
            }
        }
    }

    static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    static void expect(BufferedReader in, String code) throws Exception {
        String l = in.readLine();
        if (l == null || !l.startsWith(code)) {
            throw new IllegalStateException("expected " + code + ", got " + l);
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
