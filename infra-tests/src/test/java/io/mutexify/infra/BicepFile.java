package io.mutexify.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bicep file read as text, since no Bicep compiler can be installed on the build machines. It
 * understands just enough of the language for consistency checks: comments, strings (with
 * {@code ${...}} interpolation and {@code '''} multi-line strings), {@code param}, {@code var},
 * {@code resource} and {@code output} declarations, and the nesting of objects and arrays.
 *
 * <p>Two same-length copies of the text are kept: {@link #code} (comments blanked out) to read
 * names and values from, and {@link #skeleton} (comments and string contents blanked out,
 * interpolations kept) to match braces and find identifiers without being fooled by a brace or a
 * word inside a string.
 */
final class BicepFile {
    private static final Pattern PARAM = Pattern.compile("(?m)^param\\s+(\\w+)\\s+(\\w+)(?:\\s*=\\s*(.+?))?\\s*$");
    private static final Pattern VAR = Pattern.compile("(?m)^var\\s+(\\w+)\\s*=");
    private static final Pattern OUTPUT = Pattern.compile("(?m)^output\\s+(\\w+)\\s+\\w+\\s*=");
    private static final Pattern RESOURCE = Pattern.compile(
            "(?m)^resource\\s+(\\w+)\\s+'([^'@]+)@([^']+)'\\s*(existing\\s*)?=\\s*(?:if\\s*\\((.*)\\)\\s*)?\\{\\s*$");
    private static final Pattern KEY = Pattern.compile("^[ \\t]*(?:([A-Za-z_$][\\w$]*)|'([^']*)')[ \\t]*:(?!:)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> KEYWORDS = Set.of("param", "var", "resource", "output", "module", "existing",
            "targetScope", "metadata", "type", "func", "import", "using", "if", "for", "in", "true", "false", "null",
            "string", "int", "bool", "object", "array", "az", "sys");

    /** A declared parameter: its type and the default's expression as written (null without one). */
    record Param(String name, String type, String defaultValue) {
        /** The default as a plain value: quotes removed from a string literal. */
        String defaultLiteral() {
            return defaultValue == null ? null : unquote(defaultValue);
        }
    }

    /** A {@code resource} declaration: symbolic name, type, API version, {@code if} condition (or null) and body. */
    record Resource(String symbol, String type, String apiVersion, String condition, Node body) {
    }

    private final Path path;
    private final String raw;
    private final String code;
    private final String skeleton;

    private BicepFile(Path path, String raw) {
        this.path = path;
        this.raw = raw;
        this.code = new Scanner(raw, true).run();
        this.skeleton = new Scanner(raw, false).run();
        if (code.length() != raw.length() || skeleton.length() != raw.length()) {
            throw new IllegalStateException("scanner changed the length of " + path);
        }
    }

    static BicepFile read(Path path) {
        try {
            return new BicepFile(path, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BicepFile of(String text) {
        return new BicepFile(Path.of("<text>"), text);
    }

    Path path() {
        return path;
    }

    /** The text as written. */
    String raw() {
        return raw;
    }

    /** The text with comments blanked out. */
    String code() {
        return code;
    }

    Map<String, Param> params() {
        Map<String, Param> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(code);
        while (m.find()) {
            params.put(m.group(1), new Param(m.group(1), m.group(2), m.group(3) == null ? null : m.group(3).trim()));
        }
        return params;
    }

    Set<String> variables() {
        return names(VAR);
    }

    Set<String> outputs() {
        return names(OUTPUT);
    }

    List<Resource> resources() {
        List<Resource> resources = new ArrayList<>();
        Matcher m = RESOURCE.matcher(code);
        while (m.find()) {
            int open = m.end() - 1;
            while (code.charAt(open) != '{') {
                open--;
            }
            resources.add(new Resource(m.group(1), m.group(2), m.group(3), m.group(5), nodeAt(open)));
        }
        return resources;
    }

    Resource resource(String symbol) {
        return resources().stream().filter(r -> r.symbol().equals(symbol)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no resource " + symbol + " in " + path));
    }

    List<Resource> resourcesOfType(String type) {
        return resources().stream().filter(r -> r.type().equalsIgnoreCase(type)).toList();
    }

    /** The value of {@code var name = ...}: a block for an object or array, otherwise the expression. */
    Node variable(String name) {
        Matcher m = Pattern.compile("(?m)^var\\s+" + Pattern.quote(name) + "\\s*=\\s*").matcher(code);
        if (!m.find()) {
            throw new NoSuchElementException("no var " + name + " in " + path);
        }
        return valueFrom(m.end(), code.length());
    }

    /**
     * What an expression comes to when it is a literal, a {@code var} or a {@code param} (its
     * default), followed through as many names as needed; any other expression is returned as written.
     */
    String resolve(String expression) {
        String e = expression.trim();
        for (int hops = 0; hops < 20; hops++) {
            if (e.matches("[A-Za-z_]\\w*")) {
                if (variables().contains(e)) {
                    e = variable(e).text();
                    continue;
                }
                Param p = params().get(e);
                if (p != null && p.defaultValue() != null) {
                    e = p.defaultValue();
                    continue;
                }
            }
            return unquote(e);
        }
        throw new IllegalStateException("names refer to each other: " + expression);
    }

    /**
     * Every identifier used in an expression: not a property key, not a member after a dot, not a
     * function name, not a keyword or type, not the name being declared. Declared names are then
     * either params, vars, resources or loop variables; anything else is a mistake.
     */
    Set<String> usedIdentifiers() {
        Set<String> used = new LinkedHashSet<>();
        String[] lines = skeleton.split("\n", -1);
        for (String line : lines) {
            String expr = line;
            String trimmed = line.stripLeading();
            if (trimmed.startsWith("@")) {
                // a decorator: only its arguments are expressions
                int paren = trimmed.indexOf('(');
                expr = paren < 0 ? "" : trimmed.substring(paren);
            } else if (trimmed.matches("^(param|var|output|resource|module|type|func)\\b.*")) {
                int eq = line.indexOf('=');
                expr = eq < 0 ? "" : line.substring(eq + 1);
            }
            Matcher m = IDENTIFIER.matcher(expr);
            while (m.find()) {
                String word = m.group();
                if (KEYWORDS.contains(word) || m.start() > 0 && isIdentifierChar(expr.charAt(m.start() - 1))) {
                    continue;
                }
                String before = expr.substring(0, m.start()).stripTrailing();
                String after = expr.substring(m.end()).stripLeading();
                boolean member = before.endsWith(".") || before.endsWith("?.");
                boolean call = after.startsWith("(");
                boolean key = after.startsWith(":") && !after.startsWith("::") && !before.endsWith("?");
                boolean number = Character.isDigit(word.charAt(0));
                if (!member && !call && !key && !number) {
                    used.add(word);
                }
            }
        }
        return used;
    }

    /** Loop variables: {@code for x in} and {@code for (x, i) in}. */
    Set<String> loopVariables() {
        Set<String> vars = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\bfor\\s+(?:(\\w+)|\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\))\\s+in\\b").matcher(skeleton);
        while (m.find()) {
            for (int g = 1; g <= 3; g++) {
                if (m.group(g) != null) {
                    vars.add(m.group(g));
                }
            }
        }
        return vars;
    }

    private Set<String> names(Pattern p) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = p.matcher(code);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** The block that opens at {@code open} (a '{' or '['), up to its matching bracket. */
    private Node nodeAt(int open) {
        return new Node(this, open, matching(open) + 1);
    }

    private int matching(int open) {
        int depth = 0;
        for (int i = open; i < skeleton.length(); i++) {
            char c = skeleton.charAt(i);
            if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("unbalanced bracket at offset " + open + " in " + path);
    }

    /** A value starting at {@code from}: runs to the end of its line, or further while brackets are open. */
    private Node valueFrom(int from, int limit) {
        int i = from;
        while (i < limit && (skeleton.charAt(i) == ' ' || skeleton.charAt(i) == '\t')) {
            i++;
        }
        int start = i;
        int depth = 0;
        for (; i < limit; i++) {
            char c = skeleton.charAt(i);
            if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
            } else if ((c == '\n' || c == '\r') && depth <= 0) {
                break;
            }
        }
        int end = i;
        while (end > start && Character.isWhitespace(skeleton.charAt(end - 1))) {
            end--;
        }
        return new Node(this, start, end);
    }

    /** A piece of the file: an object ({@code {...}}), an array ({@code [...]}) or a plain expression. */
    static final class Node {
        private final BicepFile file;
        private final int start;
        private final int end;

        private Node(BicepFile file, int start, int end) {
            this.file = file;
            this.start = start;
            this.end = end;
        }

        /** The text as written, comments blanked out. */
        String text() {
            return file.code.substring(start, end).trim();
        }

        boolean isObject() {
            return file.skeleton.charAt(start) == '{';
        }

        boolean isArray() {
            return file.skeleton.charAt(start) == '[';
        }

        /** A string literal's value, or the expression as written. */
        String literal() {
            return unquote(text());
        }

        /** The object's properties in order: key to value. */
        Map<String, Node> properties() {
            if (!isObject()) {
                throw new IllegalStateException("not an object: " + text());
            }
            Map<String, Node> props = new LinkedHashMap<>();
            int depth = 0;
            int lineStart = start + 1;
            for (int i = start + 1; i < end - 1; i++) {
                char c = file.skeleton.charAt(i);
                if (i == lineStart && depth == 0) {
                    int eol = file.code.indexOf('\n', i);
                    String line = file.code.substring(i, eol < 0 || eol > end - 1 ? end - 1 : eol);
                    Matcher m = KEY.matcher(line);
                    if (m.find()) {
                        String key = m.group(1) != null ? m.group(1) : m.group(2);
                        Node value = file.valueFrom(i + m.end(), end - 1);
                        props.put(key, value);
                        i = value.end - 1;
                        lineStart = -1;
                        continue;
                    }
                }
                if (c == '{' || c == '[' || c == '(') {
                    depth++;
                } else if (c == '}' || c == ']' || c == ')') {
                    depth--;
                } else if (c == '\n') {
                    lineStart = i + 1;
                }
            }
            return props;
        }

        /** The value at a dotted path of keys, e.g. {@code properties.siteConfig.appSettings}. */
        Node get(String dottedPath) {
            Node node = this;
            for (String key : dottedPath.split("\\.")) {
                Node next = node.properties().get(key);
                if (next == null) {
                    throw new NoSuchElementException("no '" + key + "' in " + node.text());
                }
                node = next;
            }
            return node;
        }

        boolean has(String dottedPath) {
            try {
                get(dottedPath);
                return true;
            } catch (NoSuchElementException | IllegalStateException e) {
                return false;
            }
        }

        /** The array's elements (objects, arrays or one expression per line). */
        List<Node> elements() {
            if (!isArray()) {
                throw new IllegalStateException("not an array: " + text());
            }
            List<Node> elements = new ArrayList<>();
            int i = start + 1;
            while (i < end - 1) {
                char c = file.skeleton.charAt(i);
                if (Character.isWhitespace(c) || c == ',') {
                    i++;
                    continue;
                }
                Node element = file.valueFrom(i, end - 1);
                elements.add(element);
                i = element.end;
            }
            return elements;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    static String unquote(String s) {
        String t = s.trim();
        if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'") && !t.startsWith("'''")) {
            return t.substring(1, t.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
        }
        return t;
    }

    /**
     * Blanks comments (always) and string contents (unless {@code keepStrings}) with spaces, keeping
     * every offset and line break, and keeping the expressions inside {@code ${...}}.
     */
    private static final class Scanner {
        private final String s;
        private final boolean keepStrings;
        private final StringBuilder out;

        Scanner(String s, boolean keepStrings) {
            this.s = s;
            this.keepStrings = keepStrings;
            this.out = new StringBuilder(s.length());
        }

        String run() {
            int i = code(0, false);
            if (i < s.length()) {
                throw new IllegalStateException("unbalanced '}' at offset " + i);
            }
            return out.toString();
        }

        /** Code until the end, or (when {@code nested}) until the '}' closing an interpolation. */
        private int code(int i, boolean nested) {
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (s.startsWith("'''", i)) {
                    int close = s.indexOf("'''", i + 3);
                    int stop = close < 0 ? s.length() : close + 3;
                    if (keepStrings) {
                        out.append(s, i, stop);
                    } else {
                        out.append("'''");
                        blank(i + 3, Math.max(i + 3, stop - 3));
                        out.append(close < 0 ? "" : "'''");
                    }
                    i = stop;
                } else if (c == '\'') {
                    i = string(i);
                } else if (s.startsWith("//", i)) {
                    int eol = s.indexOf('\n', i);
                    int stop = eol < 0 ? s.length() : eol;
                    blank(i, stop);
                    i = stop;
                } else if (s.startsWith("/*", i)) {
                    int close = s.indexOf("*/", i + 2);
                    int stop = close < 0 ? s.length() : close + 2;
                    blank(i, stop);
                    i = stop;
                } else {
                    if (c == '{') {
                        depth++;
                    } else if (c == '}') {
                        if (nested && depth == 0) {
                            return i;
                        }
                        depth--;
                    }
                    out.append(c);
                    i++;
                }
            }
            return i;
        }

        /** A single-quoted string starting at {@code i}; returns the offset after its closing quote. */
        private int string(int i) {
            out.append('\'');
            i++;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    if (keepStrings) {
                        out.append(s, i, i + 2);
                    } else {
                        out.append("  ");
                    }
                    i += 2;
                } else if (c == '\'') {
                    out.append('\'');
                    return i + 1;
                } else if (s.startsWith("${", i)) {
                    out.append("${");
                    i = code(i + 2, true);
                    if (i < s.length()) {
                        out.append('}');
                        i++;
                    }
                } else {
                    out.append(keepStrings || c == '\n' ? c : ' ');
                    i++;
                }
            }
            return i;
        }

        private void blank(int from, int to) {
            for (int i = from; i < to; i++) {
                out.append(s.charAt(i) == '\n' ? '\n' : ' ');
            }
        }
    }
}
