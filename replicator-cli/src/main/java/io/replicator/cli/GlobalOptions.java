package io.replicator.cli;

import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.config.ConfigException;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.config.VolumeConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

/** Options every command takes: which configuration file, and which node of it this process is. */
public final class GlobalOptions {
    /** Where the configuration is read from when {@code -c} is not given. */
    public static final String DEFAULT_CONFIG = "/etc/replicator/replicator.conf";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
        description = "Configuration file (default: " + DEFAULT_CONFIG + ").")
    Path config = Path.of(DEFAULT_CONFIG);

    @Option(names = "--node", paramLabel = "NAME", scope = ScopeType.INHERIT,
        description = "Which 'on NAME' section this node is (default: the host name).")
    String node;

    /** The selected volume(s) of one resource on this node. */
    public record Selection(ResourceConfig resource, HostConfig host, List<VolumeConfig> volumes) {
    }

    /** The configuration file. */
    public Path configPath() {
        return config;
    }

    /** This node's name: {@code --node}, or the host name as {@code uname -n} gives it. */
    public String nodeName() {
        if (node != null) {
            return node;
        }
        try {
            String host = InetAddress.getLocalHost().getHostName();
            int dot = host.indexOf('.');
            return dot > 0 ? host.substring(0, dot) : host;
        } catch (UnknownHostException unknown) {
            throw new CommandFailure(ExitCode.FAILURE, "cannot tell this host's name; pass --node NAME");
        }
    }

    /**
     * Reads and validates the whole configuration ({@link Configuration#load}).
     *
     * @throws CommandFailure with {@link ExitCode#INVALID_CONFIG} and every problem found, each with file:line
     */
    public Configuration configuration() {
        try {
            return Configuration.load(config);
        } catch (ConfigException invalid) {
            throw new CommandFailure(ExitCode.INVALID_CONFIG, "invalid configuration ("
                + invalid.errors().size() + (invalid.errors().size() == 1 ? " problem" : " problems") + "):\n"
                + invalid.getMessage());
        }
    }

    /**
     * Reads the configuration and selects {@code target}: {@code RES} (every volume) or {@code RES/VOL}.
     *
     * @throws CommandFailure with {@link ExitCode#INVALID_CONFIG} for any configuration problem
     */
    public Selection select(String target) {
        String resourceName = target;
        Integer volumeNumber = null;
        int slash = target.indexOf('/');
        if (slash >= 0) {
            resourceName = target.substring(0, slash);
            try {
                volumeNumber = Integer.parseInt(target.substring(slash + 1));
            } catch (NumberFormatException notNumber) {
                throw new CommandFailure(ExitCode.FAILURE, "'" + target + "': expected RESOURCE or RESOURCE/VOLUME");
            }
        }
        Configuration configuration = configuration();
        try {
            ResourceConfig resource = configuration.resource(resourceName);
            HostConfig host = resource.requireHost(nodeName());
            List<VolumeConfig> volumes = host.volumes();
            if (volumeNumber != null) {
                int wanted = volumeNumber;
                volumes = volumes.stream().filter(v -> v.number() == wanted).toList();
                if (volumes.isEmpty()) {
                    throw new CommandFailure(ExitCode.INVALID_CONFIG, "resource " + resourceName + " has no volume "
                        + wanted + " on " + host.name());
                }
            }
            return new Selection(resource, host, volumes);
        } catch (ConfigException invalid) {
            throw new CommandFailure(ExitCode.INVALID_CONFIG, invalid.getMessage());
        }
    }
}
