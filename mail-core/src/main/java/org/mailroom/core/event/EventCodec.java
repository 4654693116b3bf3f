package org.mailroom.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Arrays;

/**
 * The one codec of every record value on the topics (docs/events.md).
 *
 * <p>Wire format: a JSON object on one line (UTF-8; JSON escapes every control character, so it
 * holds no raw LF) whose first two members are {@code "type"} and {@code "v"}. Events that carry a
 * message ({@code inbound}, {@code local}, {@code outbound}) continue after the JSON with one LF
 * and then the raw RFC 5322 octets, exactly {@code envelope.size} of them, so the message is never
 * re-encoded (no base64 inflation, binary-safe for 8BITMIME and BINARYMIME) and a truncated record
 * is detected. Decoding checks the type and the version before it reads anything else: a newer
 * version is refused with {@link UnsupportedVersionException}. Optional members may be added
 * within a version (readers ignore unknown members); any other change raises the version.
 */
public final class EventCodec {

    /** The version this build writes and the newest it reads, per type. */
    public static final int VERSION = 1;

    private static final byte LF = '\n';

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    /** The wire type of each event class. */
    public static String typeOf(Class<? extends Event> type) {
        if (type == InboundMessage.class) {
            return "inbound";
        } else if (type == LocalDelivery.class) {
            return "local";
        } else if (type == OutboundDelivery.class) {
            return "outbound";
        } else if (type == StatusEvent.class) {
            return "status";
        } else if (DirectoryEntry.class.isAssignableFrom(type)) {
            return "directory";
        }
        throw new IllegalArgumentException("not an event type: " + type);
    }

    public static byte[] encode(Event event) {
        ObjectNode head = JSON.createObjectNode();
        head.put("type", typeOf(event.getClass()));
        head.put("v", VERSION);
        byte[] message = null;
        // Java 17: no pattern matching in switch yet.
        if (event instanceof InboundMessage m) {
            head.set("envelope", tree(checkedSize(m.envelope(), m.message())));
            message = m.message();
        } else if (event instanceof LocalDelivery d) {
            head.put("mailbox", d.mailbox());
            head.set("envelope", tree(checkedSize(d.envelope(), d.message())));
            message = d.message();
        } else if (event instanceof OutboundDelivery d) {
            head.put("domain", d.domain());
            head.set("envelope", tree(checkedSize(d.envelope(), d.message())));
            message = d.message();
        } else if (event instanceof StatusEvent s) {
            head.setAll((ObjectNode) JSON.valueToTree(s));
        } else if (event instanceof DirectoryEntry e) {
            head.set("entry", JSON.valueToTree(e));
        }
        byte[] json = bytes(head);
        if (message == null) {
            return json;
        }
        byte[] out = Arrays.copyOf(json, json.length + 1 + message.length);
        out[json.length] = LF;
        System.arraycopy(message, 0, out, json.length + 1, message.length);
        return out;
    }

    public static InboundMessage decodeInbound(byte[] value) {
        return decode(value, InboundMessage.class);
    }

    public static LocalDelivery decodeLocal(byte[] value) {
        return decode(value, LocalDelivery.class);
    }

    public static OutboundDelivery decodeOutbound(byte[] value) {
        return decode(value, OutboundDelivery.class);
    }

    public static StatusEvent decodeStatus(byte[] value) {
        return decode(value, StatusEvent.class);
    }

    /** A directory entry; null for a tombstone (null value). */
    public static DirectoryEntry decodeDirectory(byte[] value) {
        return value == null ? null : decode(value, DirectoryEntry.class);
    }

    /**
     * Decodes a value that must be of the given type.
     *
     * @throws UnsupportedVersionException when it was written by a newer version
     * @throws EventFormatException        when it is anything but a complete event of that type
     */
    public static <T extends Event> T decode(byte[] value, Class<T> expected) {
        if (value == null || value.length == 0) {
            throw new EventFormatException("empty record value");
        }
        String type = typeOf(expected);
        boolean carriesMessage = type.equals("inbound") || type.equals("local") || type.equals("outbound");
        int end = carriesMessage ? indexOf(value, LF) : value.length;
        if (end < 0) {
            throw new EventFormatException(type + " record without the LF that ends its metadata");
        }
        JsonNode head;
        try {
            head = JSON.readTree(value, 0, end);
        } catch (IOException e) {
            throw new EventFormatException("record metadata is not JSON: " + e.getMessage(), e);
        }
        if (head == null || !head.isObject()) {
            throw new EventFormatException("record metadata is not a JSON object");
        }
        String actualType = head.path("type").asText(null);
        if (!type.equals(actualType)) {
            throw new EventFormatException("expected a record of type " + type + ", got " + actualType);
        }
        JsonNode v = head.get("v");
        if (v == null || !v.isInt() || v.intValue() < 1) {
            throw new EventFormatException(type + " record without a valid version (\"v\")");
        }
        if (v.intValue() > VERSION) {
            throw new UnsupportedVersionException(type, v.intValue(), VERSION);
        }
        try {
            return expected.cast(switch (type) {
                case "inbound" -> {
                    Envelope env = envelope(head);
                    yield new InboundMessage(env, message(value, end, env));
                }
                case "local" -> {
                    Envelope env = envelope(head);
                    yield new LocalDelivery(env, required(head, "mailbox"), message(value, end, env));
                }
                case "outbound" -> {
                    Envelope env = envelope(head);
                    yield new OutboundDelivery(env, required(head, "domain"), message(value, end, env));
                }
                case "status" -> JSON.treeToValue(head, StatusEvent.class);
                case "directory" -> {
                    JsonNode entry = head.get("entry");
                    if (entry == null || !entry.isObject()) {
                        throw new EventFormatException("directory record without an entry");
                    }
                    yield JSON.treeToValue(entry, DirectoryEntry.class);
                }
                default -> throw new IllegalStateException(type);
            });
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new EventFormatException("malformed " + type + " record: " + e.getMessage(), e);
        }
    }

    private static Envelope envelope(JsonNode head) throws JsonProcessingException {
        JsonNode env = head.get("envelope");
        if (env == null || !env.isObject()) {
            throw new EventFormatException("record without an envelope");
        }
        return JSON.treeToValue(env, Envelope.class);
    }

    private static byte[] message(byte[] value, int lf, Envelope env) {
        long remaining = value.length - lf - 1L;
        if (remaining != env.size()) {
            throw new EventFormatException("record carries " + remaining + " message octets, envelope says "
                    + env.size() + ": truncated or corrupted");
        }
        return Arrays.copyOfRange(value, lf + 1, value.length);
    }

    private static String required(JsonNode head, String field) {
        JsonNode n = head.get(field);
        if (n == null || !n.isTextual()) {
            throw new EventFormatException("record without \"" + field + "\"");
        }
        return n.asText();
    }

    private static Envelope checkedSize(Envelope env, byte[] message) {
        if (env.size() != message.length) {
            throw new IllegalArgumentException("envelope size " + env.size() + " != message length " + message.length);
        }
        return env;
    }

    private static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private EventCodec() {}
}
