package io.roster.contracts;

import java.util.List;
import java.util.Objects;

/**
 * The names of every Roster topic, under one configurable prefix (default {@code roster.}).
 *
 * <p>Nothing outside this class spells a topic name. Keys are user ids unless a topic says otherwise;
 * job topics are keyed by {@link Keys#chunk(java.util.UUID, int)}.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "roster.";

    public Topics {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty() && !prefix.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("topic prefix may only hold letters, digits, '.', '_' and '-': " + prefix);
        }
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    /** Invite and import job chunks, gateway to workers. Key: job id and chunk number. */
    public String invites() { return prefix + "invites.v1"; }

    /** Bulk delete and tag job chunks, gateway to workers. */
    public String bulkActions() { return prefix + "bulk-actions.v1"; }

    /** Transfer job chunks, gateway to workers. */
    public String transfers() { return prefix + "transfers.v1"; }

    /** Export jobs, gateway to workers. */
    public String exports() { return prefix + "exports.v1"; }

    /** Successful logins, gateway or an identity provider to the status topology. */
    public String logins() { return prefix + "logins.v1"; }

    /** Status transitions, status topology to workers. */
    public String userStatus() { return prefix + "user-status.v1"; }

    /** CloudEvents-style change events, workers (outbox relay) to downstream. Public. */
    public String userChanges() { return prefix + "user-changes.v1"; }

    /** Compacted latest state of each user; a tombstone on delete. Public. */
    public String users() { return prefix + "users.v1"; }

    /** Mails to send, workers to the mailer. */
    public String mail() { return prefix + "mail.v1"; }

    /** Records a consumer could not process, with the error in headers. */
    public String deadLetters() { return prefix + "dlq.v1"; }

    /** Every topic with how it must be created. */
    public List<TopicSpec> all() {
        return List.of(
                TopicSpec.deleting(invites()),
                TopicSpec.deleting(bulkActions()),
                TopicSpec.deleting(transfers()),
                TopicSpec.deleting(exports()),
                TopicSpec.deleting(logins()),
                TopicSpec.deleting(userStatus()),
                TopicSpec.deleting(userChanges()),
                TopicSpec.compacted(users()),
                TopicSpec.deleting(mail()),
                TopicSpec.deleting(deadLetters()));
    }

    /** How one topic is created: its name and whether it is log-compacted. */
    public record TopicSpec(String name, boolean compacted) {
        static TopicSpec deleting(String name) { return new TopicSpec(name, false); }
        static TopicSpec compacted(String name) { return new TopicSpec(name, true); }
    }
}
