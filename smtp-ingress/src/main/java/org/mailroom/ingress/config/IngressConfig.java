package org.mailroom.ingress.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** smtp-ingress settings (docs/configuration.md lists every key with its default). */
@ConfigMapping(prefix = "ingress")
public interface IngressConfig {

    /** The host name this instance announces in its greeting and Received headers. */
    @WithDefault("localhost")
    String hostname();

    /** Largest message accepted, in octets, advertised as SIZE (RFC 1870). */
    @WithDefault("26214400")
    long maxMessageSize();

    /** How long a publish to mail.inbound may take before the client gets 451 4.3.0. */
    @WithDefault("15s")
    Duration publishTimeout();
}
