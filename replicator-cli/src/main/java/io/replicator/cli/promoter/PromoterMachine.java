package io.replicator.cli.promoter;

import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;

import java.util.List;

/**
 * What the promoter does next for one resource, decided from what the node's event stream says and from the outcome
 * of what it did before — pure: no clock, no process, no socket; {@link Promoter} carries the actions out and feeds
 * the outcomes back.
 *
 * <h2>The life of a resource</h2>
 * <ol>
 *   <li><b>Idle</b>: Secondary. When the resource {@code may_promote} (no Primary among its peers, UpToDate data,
 *       quorum) it waits first: {@code sleep-before-promote-factor} seconds per step of worse local data
 *       (drbd-reactor's scores: UpToDate 0, Consistent 1, Outdated 2, Inconsistent 3, anything else 6), one more per
 *       place behind the head of {@code preferred-nodes} (a node not listed comes after all listed ones), plus up to
 *       {@link #JITTER_NANOS} drawn by the caller, so that two equal nodes rarely ask at the same instant.</li>
 *   <li><b>Waiting</b>: if it still may promote when the time is up, <b>promote</b>. If it may not any more
 *       (another node won the race, quorum went), back to idle.</li>
 *   <li>Promoted: <b>start</b> the services in order. If one fails, the runner has stopped the ones it started;
 *       <b>demote</b>, and stay idle for {@link #AFTER_FAILED_START_NANOS}, so that another node takes over.</li>
 *   <li><b>Running</b>: services up on a Primary. Losing quorum ({@code on-quorum-loss shutdown}): <b>stop</b> the
 *       services in reverse and <b>demote</b>. Demoted by someone else ({@code force-secondary}, an operator), or the
 *       daemon gone: stop the services.</li>
 * </ol>
 * A refused promotion (another node promoted first, a concurrent vote) returns to idle for
 * {@link #AFTER_REFUSAL_NANOS}. A Primary the promoter did not make (the operator's {@code primary}) is left alone.
 */
final class PromoterMachine {
    /** Up to this much random delay is added to each wait before a promotion. */
    static final long JITTER_NANOS = 200_000_000L;
    static final long AFTER_REFUSAL_NANOS = 1_000_000_000L;
    static final long AFTER_FAILED_START_NANOS = 10_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    /** What the event stream says of the resource now. */
    record View(boolean present, Role role, boolean mayPromote, boolean quorum, DiskState disk) {
        static final View ABSENT = new View(false, Role.UNKNOWN, false, false, DiskState.DUNKNOWN);
    }

    enum Phase { IDLE, WAITING, PROMOTING, STARTING, RUNNING, STOPPING }

    /** What the runner is to do now. */
    enum Action {
        /** Nothing until the view changes or {@link #wakeAt} passes. */
        NONE,
        /** {@code primary RES}; then {@link #promoted}. */
        PROMOTE,
        /** Run the start list; then {@link #started}. */
        START_SERVICES,
        /** Run the stop list, then {@code secondary RES}; then {@link #stopped}. */
        STOP_AND_DEMOTE,
        /** Run the stop list only (no longer Primary, or the daemon is gone); then {@link #stopped}. */
        STOP_SERVICES,
        /** {@code secondary RES} after a failed start (the services are stopped already); then {@link #stopped}. */
        DEMOTE
    }

    private final String node;
    private final PromoterConfig.Resource config;
    private Phase phase = Phase.IDLE;
    private long waitUntil;
    private long quietUntil = Long.MIN_VALUE;
    private boolean quiet;
    private String why = "starting";

    PromoterMachine(String node, PromoterConfig.Resource config) {
        this.node = node;
        this.config = config;
    }

    Phase phase() {
        return phase;
    }

    /** Why it is in its phase, for {@code promoter --status}. */
    String why() {
        return why;
    }

    /** When {@link #next} wants to be asked again at the latest (nanoseconds on the caller's clock), or never. */
    long wakeAt() {
        if (phase == Phase.WAITING) {
            return waitUntil;
        }
        return quiet ? quietUntil : Long.MAX_VALUE;
    }

    /** The next action for {@code view} at {@code now}; {@code jitter} is a random 0..{@link #JITTER_NANOS}. */
    Action next(View view, long now, long jitter) {
        switch (phase) {
            case IDLE -> {
                if (!view.present()) {
                    why = "the resource is not up on this node (or its daemon is not running)";
                    return Action.NONE;
                }
                if (view.role() == Role.PRIMARY) {
                    why = "Primary, but not promoted by the promoter: its services are left alone";
                    return Action.NONE;
                }
                if (!view.mayPromote()) {
                    why = "may not promote (" + (view.quorum() ? "a Primary elsewhere, or no UpToDate data"
                        : "no quorum") + ")";
                    return Action.NONE;
                }
                if (quiet && now - quietUntil < 0) {
                    return Action.NONE;
                }
                quiet = false;
                long delay = delaySeconds(view.disk()) * SECOND + jitter;
                waitUntil = now + delay;
                phase = Phase.WAITING;
                why = "may promote: waiting " + (delay / 1_000_000) + " ms before promoting";
                return delay <= 0 ? next(view, now, jitter) : Action.NONE;
            }
            case WAITING -> {
                if (!view.present() || view.role() != Role.SECONDARY || !view.mayPromote()) {
                    phase = Phase.IDLE;
                    why = "no longer may promote";
                    return next(view, now, jitter);
                }
                if (now - waitUntil < 0) {
                    return Action.NONE;
                }
                phase = Phase.PROMOTING;
                why = "promoting";
                return Action.PROMOTE;
            }
            case RUNNING -> {
                if (!view.present()) {
                    phase = Phase.STOPPING;
                    why = "the resource is gone (daemon stopped?): stopping the services";
                    return Action.STOP_SERVICES;
                }
                if (view.role() != Role.PRIMARY) {
                    phase = Phase.STOPPING;
                    why = "demoted by someone else: stopping the services";
                    return Action.STOP_SERVICES;
                }
                if (!view.quorum()) {
                    phase = Phase.STOPPING;
                    why = "quorum lost (on-quorum-loss shutdown): stopping the services and demoting";
                    return Action.STOP_AND_DEMOTE;
                }
                why = "Primary, services started";
                return Action.NONE;
            }
            default -> {
                return Action.NONE; // an action is under way: its outcome moves on
            }
        }
    }

    /** The outcome of {@link Action#PROMOTE}. */
    void promoted(boolean ok, String message, long now) {
        if (ok) {
            phase = Phase.STARTING;
            why = "promoted: starting the services";
        } else {
            idleQuietly(now, AFTER_REFUSAL_NANOS, "promotion refused: " + message);
        }
    }

    /** Whether, after {@link #promoted}, the services are to be started now. */
    Action afterPromotion() {
        return phase == Phase.STARTING ? Action.START_SERVICES : Action.NONE;
    }

    /** The outcome of {@link Action#START_SERVICES}; a failure means the runner stopped what it had started. */
    Action started(boolean ok, String message, long now) {
        if (ok) {
            phase = Phase.RUNNING;
            why = "Primary, services started";
            return Action.NONE;
        }
        phase = Phase.STOPPING;
        why = "a service failed to start (" + message + "): demoting";
        return Action.DEMOTE;
    }

    /** The outcome of a stop or demotion. */
    void stopped(boolean failedStart, String message, long now) {
        idleQuietly(now, failedStart ? AFTER_FAILED_START_NANOS : 0,
            failedStart ? "a service failed to start; another node may take over" : message);
    }

    private void idleQuietly(long now, long nanos, String reason) {
        phase = Phase.IDLE;
        quiet = nanos > 0;
        quietUntil = now + nanos;
        why = reason;
    }

    /** Whole seconds to wait before promoting with local data {@code disk}. */
    long delaySeconds(DiskState disk) {
        int score = switch (disk) {
            case UP_TO_DATE -> 0;
            case CONSISTENT -> 1;
            case OUTDATED -> 2;
            case INCONSISTENT -> 3;
            default -> 6;
        };
        List<String> preferred = config.preferredNodes();
        int place = preferred.isEmpty() ? 0 : preferred.contains(node) ? preferred.indexOf(node) : preferred.size();
        return (long) config.sleepFactor() * score + place;
    }
}
