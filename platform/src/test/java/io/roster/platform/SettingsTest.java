package io.roster.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsApplyWhenUnset() {
        Settings settings = new Settings(Map.of());
        assertEquals(7, settings.integer("ROSTER_X", 7, 1, 10));
        assertEquals(Duration.ofDays(30), settings.duration("ROSTER_D", Duration.ofDays(30)));
        KafkaSettings kafka = KafkaSettings.from(settings);
        assertEquals("roster.invites.v1", kafka.topics().invites());
    }

    @Test
    void wrongValuesFailWithTheSettingsName() {
        Settings settings = new Settings(Map.of("ROSTER_X", "eleven", "ROSTER_Y", "11", "ROSTER_D", "30 days"));
        var e = assertThrows(Settings.InvalidSettingException.class, () -> settings.integer("ROSTER_X", 1, 1, 10));
        assertTrue(e.getMessage().contains("ROSTER_X='eleven'"), e.getMessage());
        e = assertThrows(Settings.InvalidSettingException.class, () -> settings.integer("ROSTER_Y", 1, 1, 10));
        assertTrue(e.getMessage().contains("between 1 and 10"), e.getMessage());
        e = assertThrows(Settings.InvalidSettingException.class, () -> settings.duration("ROSTER_D", Duration.ZERO));
        assertTrue(e.getMessage().contains("ISO-8601"), e.getMessage());
        e = assertThrows(Settings.InvalidSettingException.class, () -> settings.required("ROSTER_MISSING"));
        assertTrue(e.getMessage().contains("ROSTER_MISSING is required"), e.getMessage());
    }
}
