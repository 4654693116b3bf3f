package org.mailroom.mailbox;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A minimal POP3 client for tests: raw lines in and out, STLS, implicit TLS. Reads unbuffered before TLS. */
public final class LineClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public LineClient(int port, boolean implicitTls) throws Exception {
        this(port, implicitTls, 0);
    }

    /** With {@code receiveBuffer} > 0, a small socket receive buffer: a reader slow to take what it asked for. */
    public LineClient(int port, boolean implicitTls, int receiveBuffer) throws Exception {
        this(port, implicitTls, receiveBuffer, null);
    }

    /** From another loopback address ({@code 127.0.0.x}): a client IP of its own, for per-IP limits. */
    public LineClient(int port, boolean implicitTls, String localAddress) throws Exception {
        this(port, implicitTls, 0, localAddress);
    }

    private LineClient(int port, boolean implicitTls, int receiveBuffer, String localAddress) throws Exception {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (localAddress != null) {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(20_000);
        if (implicitTls) {
            startTls();
        } else {
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }
    }

    public void startTls() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = new BufferedInputStream(tls.getInputStream());
        out = tls.getOutputStream();
    }

    public String protocol() {
        return socket instanceof SSLSocket s ? s.getSession().getProtocol() : "none";
    }

    public void send(String line) throws IOException {
        sendRaw(line + "\r\n");
    }

    public void sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One line without CRLF; null at end of stream. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
