package io.roster.workers.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.Test;

class MailSenderTest {

    @Test
    void theNamedStreamProviderIsTheOneJakartaMailFinds() {
        MailSender.nameStreamProvider();
        assertEquals(MailSender.ANGUS_STREAM_PROVIDER, System.getProperty(MailSender.STREAM_PROVIDER));
        assertEquals(MailSender.ANGUS_STREAM_PROVIDER, StreamProvider.provider().getClass().getName(),
                "the property names a class that Jakarta Mail loads (a wrong name would fail every mail)");
    }
}
