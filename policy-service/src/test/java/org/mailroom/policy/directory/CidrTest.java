package org.mailroom.policy.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static Cidr cidr(String text) {
        return assertInstanceOf(Cidr.Valid.class, Cidr.parse(text)).cidr();
    }

    @Test
    void ipv4NetworksContainTheirAddresses() {
        Cidr net = cidr("192.168.0.0/16");
        assertTrue(net.contains(Cidr.parseIp("192.168.255.1").orElseThrow()));
        assertFalse(net.contains(Cidr.parseIp("192.169.0.1").orElseThrow()));
        assertFalse(net.contains(Cidr.parseIp("::1").orElseThrow()), "IPv6 never matches an IPv4 network");
        assertTrue(cidr("0.0.0.0/0").contains(Cidr.parseIp("203.0.113.9").orElseThrow()));
        assertEquals("10.1.2.3/32", cidr("10.1.2.3").toString());
    }

    @Test
    void ipv6NetworksContainTheirAddresses() {
        Cidr net = cidr("2001:db8::/32");
        assertTrue(net.contains(Cidr.parseIp("2001:db8:ffff::1").orElseThrow()));
        assertTrue(net.contains(Cidr.parseIp("[IPv6:2001:db8::2]").orElseThrow()));
        assertFalse(net.contains(Cidr.parseIp("2001:db9::1").orElseThrow()));
        assertTrue(cidr("::1/128").contains(Cidr.parseIp("::1").orElseThrow()));
        assertEquals(128, cidr("::1").prefix());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0.1/8", "example.com/8", "localhost", "10.0.0/8", "2001:db8::1/32",
        "1.2.3.4/-1", "::/129", "10.0.0.0/8/8"})
    void invalidTextIsRefusedWithAReason(String text) {
        Cidr.Invalid invalid = assertInstanceOf(Cidr.Invalid.class, Cidr.parse(text));
        assertFalse(invalid.reason().isBlank());
    }

    @Test
    void namesAreNeverResolved() {
        for (String name : List.of("localhost", "example.com", "1.2.3", "")) {
            assertTrue(Cidr.parseIp(name).isEmpty(), name);
        }
        assertTrue(Cidr.parseIp(null).isEmpty());
    }
}
