package io.replicator.cli.command.resync;

import io.replicator.cli.daemon.RequestFlags;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --reset-bitmap=yes|no}, checked as the daemon checks it. */
final class ResetBitmapConverter implements ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
        try {
            return RequestFlags.parseYesNo(value);
        } catch (IllegalArgumentException bad) {
            throw new TypeConversionException(bad.getMessage());
        }
    }
}
