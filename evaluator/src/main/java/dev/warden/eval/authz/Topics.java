package dev.warden.eval.authz;

/** MQTT topic-name and topic-filter validation without allocation. */
final class Topics {
    private Topics() {}

    /** A PUBLISH topic: at least one character, no wildcard, no NUL. */
    static boolean validName(String t) {
        if (t == null || t.isEmpty()) return false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            // '#' < '+' < every letter, digit, '/', '-', '.' and '_': one comparison for the common characters
            if (c <= '+' && (c == '+' || c == '#' || c == '\0')) return false;
        }
        return true;
    }

    /**
     * Where the filter proper starts: 0, or after {@code $share/<group>/}; -1 when the filter is not valid
     * ({@code #} not alone or not last, {@code +} not alone in its level, empty, NUL, bad share prefix).
     */
    static int filterStart(String f) {
        if (f == null || f.isEmpty()) return -1;
        int from = 0;
        if (f.startsWith("$share/")) {
            int slash = f.indexOf('/', 7);
            if (slash <= 7 || slash == f.length() - 1) return -1;
            for (int i = 7; i < slash; i++) if (f.charAt(i) == '+' || f.charAt(i) == '#') return -1;
            from = slash + 1;
        }
        int levelStart = from;
        for (int i = from; i <= f.length(); i++) {
            if (i == f.length() || f.charAt(i) == '/') {
                int len = i - levelStart;
                for (int k = levelStart; k < i; k++) {
                    char c = f.charAt(k);
                    if (c == '\0') return -1;
                    if ((c == '+' || c == '#') && len != 1) return -1;
                    if (c == '#' && i != f.length()) return -1;
                }
                levelStart = i + 1;
            }
        }
        return from;
    }
}
