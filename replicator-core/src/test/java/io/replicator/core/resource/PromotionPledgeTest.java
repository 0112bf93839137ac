package io.replicator.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.replication.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A voter's pledge to a candidate whose connection ends (alpha the voter, its peers played by {@link ScriptedPeers}):
 * the candidate may not have noticed — a cut link shows only when pings go unanswered — and may still promote counting
 * the voter's yes, so the voter stays out of promotions until the candidate's vote deadline has passed and the
 * candidate has seen the loss (simulation seed -2049220628378668063: freed at once, the voter promoted with the third
 * node while the candidate, with a stale view of the link, promoted too).
 */
@Timeout(30)
class PromotionPledgeTest {
    /** Vote timeout 0.5 s; a cut link is seen within ping-int 1 s + ping-timeout 0.5 s. */
    private static final String FAST_NET = "timeout 5; ping-int 1; ping-timeout 5;";

    @Test
    void aPledgeOutlivesTheCandidatesConnection_untilTheCandidateCanNoLongerCountOnIt() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = alphaWithTwoPeers(network);

        network.events("bravo").sync(SyncMessage.of(SyncMessage.Kind.PROMOTE_REQUEST, 0, 0, 0, 42));
        ScriptedPeers.await("alpha's yes to bravo", () -> network.syncsTo("bravo").stream()
            .anyMatch(reply -> reply.kind() == SyncMessage.Kind.PROMOTE_REPLY && reply.offset() == PromotionVote.YES));
        long lost = System.nanoTime();
        network.lose("bravo", "the link to bravo was cut");

        assertThat(alpha.primary(false).message()).contains("agreed to the promotion of bravo");
        ScriptedPeers.await("the pledge ended", () -> alpha.primary(false).ok());
        assertThat(System.nanoTime() - lost).as("held until bravo would have seen the loss (ping-int + ping-timeout)")
            .isGreaterThanOrEqualTo(1_500_000_000L);
    }

    /**
     * The candidate connected again: it saw the old session end and counts no yes given on it (simulation seed
     * 3876111946306188583: kept until its deadline, the pledge refused the forced promotion that ended a stalemate).
     */
    @Test
    void aPledgeEndsWhenTheCandidateIsOnANewSession() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = alphaWithTwoPeers(network);
        network.events("bravo").sync(SyncMessage.of(SyncMessage.Kind.PROMOTE_REQUEST, 0, 0, 0, 42));
        ScriptedPeers.await("alpha's answer", () -> !network.syncsTo("bravo").isEmpty());
        network.lose("bravo", "the link to bravo was cut");
        assertThat(alpha.primary(false).message()).contains("agreed to the promotion of bravo");

        network.connectAsTwin("bravo");

        assertThat(alpha.primary(false).ok()).isTrue();
    }

    @Test
    void aPledgeEndsWithTheCandidatesDone() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = alphaWithTwoPeers(network);
        network.events("bravo").sync(SyncMessage.of(SyncMessage.Kind.PROMOTE_REQUEST, 0, 0, 0, 42));
        ScriptedPeers.await("alpha's answer", () -> !network.syncsTo("bravo").isEmpty());
        assertThat(alpha.primary(false).message()).contains("agreed to the promotion of bravo");

        network.events("bravo").sync(SyncMessage.of(SyncMessage.Kind.PROMOTE_DONE, 0, 0, 0, 42));

        ScriptedPeers.await("alpha free again", () -> alpha.primary(false).ok());
    }

    /** alpha, connected to bravo and charlie as twins. */
    private static ResourceConductor alphaWithTwoPeers(ScriptedPeers network) throws Exception {
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, FAST_NET, "", HandlerInvoker.NONE).conductor();
        network.connectAsTwin("bravo");
        network.connectAsTwin("charlie");
        return alpha;
    }
}
