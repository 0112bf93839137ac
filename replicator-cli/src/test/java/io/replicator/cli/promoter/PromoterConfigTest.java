package io.replicator.cli.promoter;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromoterConfigTest {
    private static final Path FILE = Path.of("promoter.toml");

    @Test
    void readsADrbdReactorFileWithTheShellRunner_andSkipsOtherPlugins() throws Exception {
        PromoterConfig config = PromoterConfig.parse(FILE, """
            # drbd-reactor's own settings and other plugins are skipped
            snippets = "/etc/drbd-reactor.d"
            [[prometheus]]
            enums = true

            [[promoter]]
            id = "db"
            [promoter.resources.pgdata]
            start = ["/etc/ha.d/resource.d/Filesystem /dev/nbd0 /var/lib/postgresql", "/etc/init.d/postgresql"]
            runner = "shell"
            on-quorum-loss = "shutdown"
            sleep-before-promote-factor = 2
            preferred-nodes = ["alpha", "bravo"]
            secondary-force = false
            on-drbd-demote-failure = "reboot"
            stop-services-on-exit = true

            [[promoter]]
            [promoter.resources.web]
            runner = "shell"
            start = ["/usr/local/bin/vip 10.0.0.100"]
            stop = ["/usr/local/bin/vip-down"]
            """);

        assertThat(config.resources()).hasSize(2);
        PromoterConfig.Resource pg = config.resources().get(0);
        assertThat(pg.name()).isEqualTo("pgdata");
        assertThat(pg.start()).containsExactly("/etc/ha.d/resource.d/Filesystem /dev/nbd0 /var/lib/postgresql",
            "/etc/init.d/postgresql");
        assertThat(pg.sleepFactor()).isEqualTo(2);
        assertThat(pg.preferredNodes()).containsExactly("alpha", "bravo");
        assertThat(pg.secondaryForce()).isFalse();
        assertThat(pg.onDemoteFailure()).isEqualTo("reboot");
        assertThat(pg.stopServicesOnExit()).isTrue();
        PromoterConfig.Resource web = config.resources().get(1);
        assertThat(web.stop()).containsExactly("/usr/local/bin/vip-down");
        assertThat(web.secondaryForce()).as("drbd-reactor's default").isTrue();
        assertThat(web.sleepFactor()).isEqualTo(1);
        assertThat(web.onQuorumLoss()).isEqualTo("shutdown");
    }

    @Test
    void badFilesSayWhatIsWrong() {
        assertErrors("[[promoter]]\n[promoter.resources.r0]\nstart = [\"a\"]\n",
            "runner = \"systemd\" (drbd-reactor's default) is not supported", "set runner = \"shell\"");
        assertErrors("[[promoter]]\n[promoter.resources.r0]\nrunner = \"shell\"\nstrat = [\"a\"]\n",
            "[promoter.resources.r0] unknown key 'strat'");
        assertErrors("[[promoter]]\n[promoter.resources.r0]\nrunner = \"shell\"\non-quorum-loss = \"freeze\"\n",
            "needs the systemd runner's cgroup freezer");
        assertErrors("[[promoter]]\n[promoter.resources.r0]\nrunner = \"shell\"\nstart = \"a\"\n",
            "start must be a list of strings");
        assertErrors("[[promoter]]\n[promoter.resources.r0]\nrunner = \"shell\"\nsleep-before-promote-factor = -1\n",
            "sleep-before-promote-factor must be a whole number 0..100");
        assertErrors("[[promoter]]\n[promoter.resources.r0]\nrunner = \"shell\"\nsecondary-force = \"yes\"\n",
            "secondary-force must be true or false");
        assertErrors("[[promoter]]\nid = \"x\"\n", "a [[promoter]] without [promoter.resources.NAME]");
        assertErrors("[[prometheus]]\nenums = true\n", "no [[promoter]] table");
        assertErrors("[[promoter]\n", "not valid TOML");
        assertErrors("[[promoter]]\n[promoter.resources.r0]\nrunner = \"shell\"\n[[promoter]]\n"
            + "[promoter.resources.r0]\nrunner = \"shell\"\n", "resource r0 appears twice");
    }

    @Test
    void aMissingFileNamesTheOption() {
        assertThatThrownBy(() -> PromoterConfig.load(Path.of("/nonexistent/promoter.toml")))
            .hasMessageContaining("no such file (give another with --promoter-config FILE)");
    }

    private static void assertErrors(String text, String... expected) {
        assertThatThrownBy(() -> PromoterConfig.parse(FILE, text)).isInstanceOf(PromoterConfig.Invalid.class)
            .satisfies(thrown -> assertThat(String.join("\n", ((PromoterConfig.Invalid) thrown).errors()))
                .contains(List.of(expected)));
    }
}
