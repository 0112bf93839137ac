package io.replicator.net.nbd;

/**
 * One export as the server offers it.
 *
 * @param name        the export name clients ask for ({@code RES}, or {@code RES/N} for volume N > 0)
 * @param description a free text shown by {@code OPT_INFO} / {@code nbdinfo}
 * @param backend     the storage
 * @param readOnly    whether writes are refused (the transmission flags say so)
 */
public record NbdExport(String name, String description, NbdBackend backend, boolean readOnly) {
}
