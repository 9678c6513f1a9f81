package io.roster.workers.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import io.roster.platform.KafkaSettings;
import io.roster.platform.Settings;
import io.roster.platform.TopicProvisioner;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Operator commands against a running Roster (its broker and database, from the same environment variables as the
 * apps): list and replay dead letters, rebuild the users topic.
 *
 * <pre>
 * dead-letters list                         every dead letter: id, when, source, key, consumer, error
 * dead-letters replay PARTITION:OFFSET...   send those back to their source topic and partition
 * snapshots rebuild                         every user's state to the users topic (no change events)
 * </pre>
 */
public final class RosterAdmin {

    static final String USAGE = """
            usage: dead-letters list
                   dead-letters replay PARTITION:OFFSET [PARTITION:OFFSET...]
                   snapshots rebuild""";

    private RosterAdmin() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), args, System.out, System.err));
    }

    /** Runs one command. @return the process's exit code: 0 done, 1 failed, 2 a usage error */
    public static int run(Map<String, String> env, String[] args, PrintStream out, PrintStream err) {
        List<String> words = Arrays.asList(args);
        Settings settings = new Settings(env);
        try {
            if (words.size() == 2 && words.equals(List.of("dead-letters", "list"))) {
                return listDeadLetters(KafkaSettings.from(settings), out);
            }
            if (words.size() > 2 && words.subList(0, 2).equals(List.of("dead-letters", "replay"))) {
                List<DeadLetterAdmin.Letter> replayed = new DeadLetterAdmin(KafkaSettings.from(settings))
                        .replay(words.subList(2, words.size()));
                for (DeadLetterAdmin.Letter letter : replayed) {
                    out.printf("replayed %s to %s partition %d (key %s)%n", letter.id(), letter.sourceTopic(),
                            letter.sourcePartition(), letter.key());
                }
                return 0;
            }
            if (words.equals(List.of("snapshots", "rebuild"))) {
                return rebuildSnapshots(KafkaSettings.from(settings), DbSettings.from(settings).withPoolSize(2), out);
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("failed: " + e.getMessage());
            return 1;
        }
        err.println(USAGE);
        return 2;
    }

    private static int listDeadLetters(KafkaSettings kafka, PrintStream out) {
        List<DeadLetterAdmin.Letter> letters = new DeadLetterAdmin(kafka).list();
        out.printf("%-10s %-24s %-36s %-38s %-22s %s%n", "ID", "AT", "SOURCE (topic/partition@offset)", "KEY",
                "CONSUMER", "ERROR");
        for (DeadLetterAdmin.Letter letter : letters) {
            out.printf("%-10s %-24s %-36s %-38s %-22s %s%n", letter.id(), letter.at(),
                    letter.sourceTopic() + "/" + letter.sourcePartition() + "@" + letter.sourceOffset(),
                    letter.key(), letter.consumer(), letter.error());
        }
        out.printf("%d dead letter(s) in %s%n", letters.size(), kafka.topics().deadLetters());
        return 0;
    }

    private static int rebuildSnapshots(KafkaSettings kafka, DbSettings db, PrintStream out) {
        TopicProvisioner.ensureTopics(kafka); // a lost topic comes back, compacted
        try (HikariDataSource pool = Database.pool(db, "roster-admin")) {
            SnapshotRebuild rebuild = new SnapshotRebuild(pool, 1000);
            long queued = rebuild.queue(n -> {
                if (n % 100_000 == 0) {
                    out.printf("  %,d users queued%n", n);
                }
            });
            out.printf("queued the state of %,d users; waiting for the outbox relay (a workers instance) to publish "
                    + "them to %s...%n", queued, kafka.topics().users());
            if (!rebuild.awaitPublished(Duration.ofMinutes(30))) {
                out.println("not all published after 30 minutes: is a workers instance running?");
                return 1;
            }
            out.println("published");
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
