package org.mailroom.ingress.session;

import java.util.List;
import org.mailroom.core.smtp.Reply;

/** The replies to send, in order, and then the effect to carry out. */
public record Outcome(List<Reply> replies, Effect effect) {

    public static Outcome reply(Reply reply) {
        return new Outcome(List.of(reply), Effect.NONE);
    }

    public static Outcome of(Reply reply, Effect effect) {
        return new Outcome(List.of(reply), effect);
    }

    public static Outcome silent(Effect effect) {
        return new Outcome(List.of(), effect);
    }
}
