package dev.warden.model.types;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0", "512, 512", "512B, 512", "1KB, 1000", "1KiB, 1024", "1MB, 1000000", "1MiB, 1048576", "1GB, 1000000000",
            "1GiB, 1073741824", "2TB, 2000000000000", "2TiB, 2199023255552", "256 KiB, 262144", "' 1MiB ', 1048576",
            "8388607TiB, 9223370937343148032",
    })
    void siUnitsArePowersOf1000AndIecOf1024(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "99999999999999999999B", "8388608TiB", "9223372036854776KB", "10000000TB"})
    void overflowIsAnErrorNotAWrapAround(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(s));
        assertTrue(e.getMessage().endsWith("is too large"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "B", "KiB", "-1", "-1KB", "1.5MB", "1kb", "1Kib", "1 K", "1PB", "1 MiB B", "1e3", "١KB", "0x10"})
    void rejectsMalformedInput(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(s));
        assertTrue(e.getMessage().startsWith("`"), e.getMessage());
    }

    @Test
    void negativeSizesCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new ByteSize(-1));
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "1, 1B", "1000, 1KB", "1024, 1KiB", "1048576, 1MiB", "1000000, 1MB", "2048000, 2000KiB", "1500, 1500B", "1536, 1536B"})
    void printsInTheLargestExactUnit(long bytes, String text) {
        assertEquals(text, new ByteSize(bytes).toString());
        assertEquals(bytes, ByteSize.parse(text).bytes(), "round trip");
    }

    @Test
    void ordersByBytes() {
        assertTrue(ByteSize.parse("1MB").compareTo(ByteSize.parse("1MiB")) < 0);
        assertTrue(ByteSize.parse("1024B").compareTo(ByteSize.parse("1KiB")) == 0);
        assertEquals(ByteSize.parse("1024B"), ByteSize.parse("1KiB"));
    }
}
