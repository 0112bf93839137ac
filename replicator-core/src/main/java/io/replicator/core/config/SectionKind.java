package io.replicator.core.config;

import java.util.Locale;

/** The kinds of section of the configuration language; {@link #TOP} is the file itself. */
public enum SectionKind {
    /** The file level: global, common, resource. */
    TOP,
    /** {@code global { }}: program-wide settings, at most one. */
    GLOBAL,
    /** {@code common { }}: defaults for every resource. */
    COMMON,
    /** {@code resource NAME { }}. */
    RESOURCE,
    /** {@code on HOST { }}: one node of a resource. */
    ON,
    /** {@code floating [af] IP:PORT { }}: a node matched by address. */
    FLOATING,
    /** {@code volume N { }}. */
    VOLUME,
    /** {@code connection [NAME] { }}. */
    CONNECTION,
    /** {@code path { }} inside a connection. */
    PATH,
    /** {@code connection-mesh { }}: the full-mesh shortcut. */
    CONNECTION_MESH,
    /** {@code net { }}: connection options. */
    NET,
    /** {@code disk { }}: disk and peer-device options. */
    DISK,
    /** {@code options { }}: resource options. */
    OPTIONS,
    /** {@code startup { }}: wait-for-connection timeouts. */
    STARTUP,
    /** {@code handlers { }}: commands run on events. */
    HANDLERS;

    /** The keyword that opens this section, e.g. "connection-mesh". */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
