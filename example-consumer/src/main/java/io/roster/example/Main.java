package io.roster.example;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link UserDirectory} for one organization and prints each change as it arrives and, every ten seconds,
 * how many users the copy holds.
 *
 * <pre>java -jar example-consumer/target/roster-example-consumer.jar ORG_ID [BOOTSTRAP_SERVERS [TOPIC_PREFIX]]</pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: ORG_ID [BOOTSTRAP_SERVERS (127.0.0.1:9092)] [TOPIC_PREFIX (roster.)]");
            System.exit(2);
        }
        String org = args[0];
        UserDirectory directory = new UserDirectory(args.length > 1 ? args[1] : "127.0.0.1:9092",
                args.length > 2 ? args[2] : "roster.", org, event -> System.out.printf("%s %s %s%n",
                        event.getTime(), event.getType(), event.getSubject()));
        Thread reader = new Thread(directory, "user-directory");
        reader.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            directory.close();
            stopped.countDown();
        }));
        while (!stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            System.out.printf("-- %d users in organization %s; %d distinct events, %d re-delivered%n",
                    directory.users().size(), org, directory.events(), directory.redelivered());
        }
    }
}
