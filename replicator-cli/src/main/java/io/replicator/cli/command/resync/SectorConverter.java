package io.replicator.cli.command.resync;

import io.replicator.cli.daemon.RequestFlags;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A verify position: 512-byte sectors, or a size with a unit, checked as the daemon checks it. */
final class SectorConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return RequestFlags.parseSectors(value);
        } catch (IllegalArgumentException bad) {
            throw new TypeConversionException(bad.getMessage());
        }
    }
}
