package org.mailroom.core.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden files pin the wire format: a change to any of them is a change of contract (bump the
 * version, update docs/events.md and every consumer). Regenerate deliberately with
 * {@code ./mvnw -pl mail-core test -Dgolden.update=true}.
 */
class EventCodecTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void inboundMatchesGoldenFile() throws IOException {
        golden("inbound-v1.record", Samples.inbound());
    }

    @Test
    void localMatchesGoldenFile() throws IOException {
        golden("local-v1.record", Samples.local());
    }

    @Test
    void outboundMatchesGoldenFile() throws IOException {
        golden("outbound-v1.record", Samples.outbound());
    }

    @Test
    void statusMatchesGoldenFile() throws IOException {
        golden("status-v1.record", Samples.status());
    }

    @Test
    void rejectedStatusWithItsOriginalMatchesGoldenFile() throws IOException {
        golden("status-rejected-v1.record", Samples.rejected());
    }

    @Test
    void statusWithoutOriginalHasNoSuchMember() {
        String json = new String(EventCodec.encode(Samples.status()), UTF_8);
        assertTrue(!json.contains("original"), json);
        assertNull(EventCodec.decodeStatus(json.getBytes(UTF_8)).original());
    }

    @Test
    void directoryEntriesMatchGoldenFiles() throws IOException {
        List<DirectoryEntry> entries = Samples.directory();
        for (int i = 0; i < entries.size(); i++) {
            golden("directory-" + i + "-v1.record", entries.get(i));
        }
    }

    @Test
    void messageOctetsTravelUntouched() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i; // every octet, LF and NUL included
        }
        Envelope env = Samples.envelope().withSize(binary.length);
        InboundMessage back = EventCodec.decodeInbound(EventCodec.encode(new InboundMessage(env, binary)));
        assertArrayEquals(binary, back.message());
        assertEquals(env, back.envelope());
    }

    @Test
    void nullReversePathSurvives() {
        Envelope env = new Envelope("01JE4Y7ZQ2S8M9V3K5T0B6C1DZ", Samples.envelope().receivedAt(), "h", "bounce",
                null, null, null, null, "", List.of(Recipient.of("bob@example.net")), null, null, null, false, 3);
        InboundMessage back = EventCodec.decodeInbound(EventCodec.encode(new InboundMessage(env, "x\r\n".getBytes(UTF_8))));
        assertTrue(back.envelope().nullSender());
        assertEquals(Envelope.Body.SEVEN_BIT, back.envelope().body());
    }

    @Test
    void newerVersionIsRefusedWhole() throws IOException {
        byte[] v2 = Files.readAllBytes(GOLDEN.resolve("inbound-v2.record"));
        UnsupportedVersionException e = assertThrows(UnsupportedVersionException.class, () -> EventCodec.decodeInbound(v2));
        assertEquals(2, e.version());
        assertTrue(e.getMessage().contains("upgrade"), e.getMessage());
    }

    @Test
    void truncatedMessageIsRefused() {
        byte[] whole = EventCodec.encode(Samples.inbound());
        byte[] cut = Arrays.copyOf(whole, whole.length - 1);
        EventFormatException e = assertThrows(EventFormatException.class, () -> EventCodec.decodeInbound(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongTypeIsRefused() {
        byte[] status = EventCodec.encode(Samples.status());
        assertThrows(EventFormatException.class, () -> EventCodec.decodeInbound(status));
        byte[] inbound = EventCodec.encode(Samples.inbound());
        assertThrows(EventFormatException.class, () -> EventCodec.decodeStatus(inbound));
    }

    @Test
    void garbageIsRefusedNeverThrownRaw() {
        List<byte[]> bad = List.of(new byte[0], "{".getBytes(UTF_8), "[]\n".getBytes(UTF_8),
                "{\"type\":\"inbound\"}\n".getBytes(UTF_8), "{\"type\":\"inbound\",\"v\":\"1\"}\n".getBytes(UTF_8),
                "{\"type\":\"inbound\",\"v\":1}\n".getBytes(UTF_8),
                "{\"type\":\"inbound\",\"v\":1,\"envelope\":{\"queueId\":\"x\"}}\n".getBytes(UTF_8),
                "{\"type\":\"status\",\"v\":1,\"queueId\":\"q\",\"status\":\"EATEN\",\"service\":\"s\",\"at\":\"2026-01-01T00:00:00Z\"}".getBytes(UTF_8),
                "{\"type\":\"directory\",\"v\":1,\"entry\":{\"kind\":\"martian\"}}".getBytes(UTF_8),
                new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        for (byte[] value : bad) {
            assertThrows(EventFormatException.class, () -> EventCodec.decode(value, typeFor(value)),
                    new String(value, UTF_8));
        }
    }

    @Test
    void tombstoneIsNull() {
        assertNull(EventCodec.decodeDirectory(null));
    }

    @Test
    void unknownOptionalMembersAreIgnoredWithinAVersion() {
        String json = "{\"type\":\"status\",\"v\":1,\"queueId\":\"q\",\"recipient\":null,\"status\":\"ROUTED\","
                + "\"reason\":\"local\",\"service\":\"policy-service\",\"at\":\"2026-01-01T00:00:00Z\",\"addedLater\":7}";
        StatusEvent s = EventCodec.decodeStatus(json.getBytes(UTF_8));
        assertEquals(StatusEvent.Status.ROUTED, s.status());
    }

    private static Class<? extends Event> typeFor(byte[] value) {
        String s = new String(value, UTF_8);
        if (s.contains("\"status\"") && !s.contains("inbound")) {
            return StatusEvent.class;
        }
        if (s.contains("directory")) {
            return DirectoryEntry.class;
        }
        return InboundMessage.class;
    }

    private static void golden(String file, Event event) throws IOException {
        byte[] encoded = EventCodec.encode(event);
        Path path = GOLDEN.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.write(path, encoded);
        }
        assertTrue(Files.exists(path), "missing golden file " + path + " (run with -Dgolden.update=true once)");
        byte[] expected = Files.readAllBytes(path);
        assertEquals(new String(expected, UTF_8), new String(encoded, UTF_8), "wire format of " + file + " changed");
        assertArrayEquals(expected, encoded);
        @SuppressWarnings("unchecked")
        Class<Event> type = (Class<Event>) (event instanceof DirectoryEntry ? DirectoryEntry.class : event.getClass());
        assertEquals(event, EventCodec.decode(expected, type), "golden file " + file + " no longer decodes to the sample");
    }
}
