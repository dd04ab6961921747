package dev.warden.mosquitto;

import dev.warden.model.Origin;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a file into lines the way mosquitto reads them: lines end at {@code \n}, trailing {@code \r}/{@code \n}
 * are dropped, a NUL ends the line (C strings) and bytes that are not UTF-8 are replaced (and diagnosed).
 */
final class ConfText {
    private ConfText() {}

    /** One physical line, numbered from 1. */
    record Line(int number, String text) {}

    static List<Line> lines(byte[] bytes, String file, Diags diags) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            number++;
            int stop = end;
            for (int i = start; i < end; i++) if (bytes[i] == 0) { stop = i; break; }
            while (stop > start && (bytes[stop - 1] == '\r' || bytes[stop - 1] == '\n')) stop--;
            out.add(new Line(number, decode(bytes, start, stop, file, number, diags)));
            start = end + 1;
        }
        return out;
    }

    private static String decode(byte[] b, int from, int to, String file, int line, Diags diags) {
        ByteBuffer buf = ByteBuffer.wrap(b, from, to - from);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buf).toString();
        } catch (CharacterCodingException e) {
            diags.warning(MosquittoDiagnostics.BAD_ENCODING, Origin.file(file, line),
                    "line is not valid UTF-8", "mosquitto rejects string values that are not UTF-8; save the file as UTF-8");
            return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
    }

    /** C {@code isspace} for ASCII. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    /** mosquitto's {@code misc__trimblanks}: strips leading and trailing C white space. */
    static String trimBlanks(String s) {
        int a = 0, z = s.length();
        while (a < z && isSpace(s.charAt(a))) a++;
        while (z > a && isSpace(s.charAt(z - 1))) z--;
        return s.substring(a, z);
    }
}
