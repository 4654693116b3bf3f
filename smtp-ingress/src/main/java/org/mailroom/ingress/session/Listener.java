package org.mailroom.ingress.session;

/** The three SMTP listeners (ARCHITECTURE.md, ports). */
public enum Listener {
    /** Port 25 (2525 here): MX for the internet; no AUTH. */
    MX("mx", false, false),
    /** Port 587 (2587): submission, RFC 6409; STARTTLS, AUTH required before MAIL. */
    SUBMISSION("submission", true, false),
    /** Port 465 (2465): submissions, RFC 8314; implicit TLS, AUTH required. */
    SUBMISSIONS("submissions", true, true);

    private final String id;
    private final boolean authRequired;
    private final boolean implicitTls;

    Listener(String id, boolean authRequired, boolean implicitTls) {
        this.id = id;
        this.authRequired = authRequired;
        this.implicitTls = implicitTls;
    }

    public String id() {
        return id;
    }

    public boolean authRequired() {
        return authRequired;
    }

    public boolean implicitTls() {
        return implicitTls;
    }
}
