package dev.warden.model.fact;

import dev.warden.model.Origin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationDisplayTest {

    @ParameterizedTest
    @CsvSource({"0, 0s", "1500, 1500ms", "30000, 30s", "3600000, 1h", "2592000000, 30d", "855894085, 9d 21h",
            "-172800000, -2d", "-90061000, -1d 1h", "65535000, 65535s", "3723000, 3723s", "90061000, 1d 1h"})
    void durationsReadLikeTheLiteralsPoliciesUse(long millis, String shown) {
        assertEquals(shown, new Value.Dur(Duration.ofMillis(millis), Origin.NONE).display());
    }
}
