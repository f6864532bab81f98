package io.mutexify.model.text;

/**
 * Values made safe for a log line: every character that starts a new line in some reader (CR, LF,
 * NEL, U+2028, U+2029) is written as an escape, so a value a client chose cannot forge log entries.
 */
public final class LogText {
    private LogText() {
    }

    /** {@code value} with line separators escaped ({@code \n}, {@code \r}, {@code \u2028} …); null stays "null". */
    public static String escape(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\u0085' -> "\\u0085";
                case '\u2028' -> "\\u2028";
                case '\u2029' -> "\\u2029";
                default -> null;
            };
            if (esc != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (esc != null) {
                    out.append(esc);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
