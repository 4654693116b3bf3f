package org.mailroom.ingress.protocol;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyHeaderTest {

    @Test
    void v1Tcp4AtEveryPrefixLength() throws Exception {
        byte[] h = "PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\r\nEHLO x\r\n".getBytes(US_ASCII);
        int headerLength = "PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\r\n".length();
        for (int n = 0; n < headerLength; n++) {
            assertInstanceOf(ProxyHeader.NeedMore.class, ProxyHeader.parse(Arrays.copyOf(h, n), n), "prefix " + n);
        }
        ProxyHeader.Parsed p = assertInstanceOf(ProxyHeader.Parsed.class, ProxyHeader.parse(h, h.length));
        assertEquals(headerLength, p.length());
        assertEquals(InetAddress.getByName("192.0.2.7"), p.source());
    }

    @Test
    void v1Tcp6AndUnknown() throws Exception {
        byte[] h = "PROXY TCP6 2001:db8::1 2001:db8::2 1234 25\r\n".getBytes(US_ASCII);
        assertEquals(InetAddress.getByName("2001:db8::1"), ((ProxyHeader.Parsed) ProxyHeader.parse(h, h.length)).source());
        byte[] u = "PROXY UNKNOWN\r\n".getBytes(US_ASCII);
        assertNull(((ProxyHeader.Parsed) ProxyHeader.parse(u, u.length)).source());
    }

    @ParameterizedTest
    @ValueSource(strings = {"EHLO x\r\n", "PROXY TCP4 example.com 1.2.3.4 1 2\r\n", "PROXY TCP4 1.2.3.4\r\n",
        "PROXY TCP9 1.2.3.4 1.2.3.4 1 2\r\n", "PROXY TCP4 1.2.3.4 1.2.3.4 1 99999\r\n"})
    void v1Invalid(String text) {
        byte[] h = text.getBytes(US_ASCII);
        assertInstanceOf(ProxyHeader.Invalid.class, ProxyHeader.parse(h, h.length), text);
    }

    @Test
    void v1WithoutEndIsRefusedAtItsLimit() {
        byte[] h = ("PROXY TCP4 " + "1".repeat(200)).getBytes(US_ASCII);
        assertInstanceOf(ProxyHeader.Invalid.class, ProxyHeader.parse(h, h.length));
    }

    @Test
    void v2Tcp4AndLocal() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ProxyHeader.V2_SIGNATURE);
        b.write(0x21); // version 2, PROXY
        b.write(0x11); // TCP over IPv4
        b.write(0);
        b.write(12);
        b.writeBytes(new byte[] {(byte) 203, 0, 113, 9, 10, 0, 0, 1, 0x1F, (byte) 0x90, 0, 25});
        byte[] h = b.toByteArray();
        for (int n = 0; n < h.length; n++) {
            assertInstanceOf(ProxyHeader.NeedMore.class, ProxyHeader.parse(Arrays.copyOf(h, n), n), "prefix " + n);
        }
        ProxyHeader.Parsed p = (ProxyHeader.Parsed) ProxyHeader.parse(h, h.length);
        assertEquals(28, p.length());
        assertEquals(InetAddress.getByName("203.0.113.9"), p.source());

        byte[] local = Arrays.copyOf(ProxyHeader.V2_SIGNATURE, 16);
        local[12] = 0x20;
        assertNull(((ProxyHeader.Parsed) ProxyHeader.parse(local, 16)).source());
    }
}
