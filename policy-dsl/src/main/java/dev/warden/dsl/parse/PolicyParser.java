package dev.warden.dsl.parse;

import dev.warden.dsl.ast.Expr;
import dev.warden.dsl.ast.PolicyFile;
import dev.warden.dsl.ast.Span;
import dev.warden.dsl.internal.grammar.WardenLexer;
import dev.warden.dsl.internal.grammar.WardenParser;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Parses policy text into an AST; syntax errors come back as diagnostics, never as exceptions. */
public final class PolicyParser {
    private PolicyParser() {}

    /** Parses a whole policy file. */
    public static ParseResult parse(String path, String text) {
        List<Diagnostic> diags = new ArrayList<>();
        try {
            WardenParser p = parser(path, text, diags, 0, 0);
            WardenParser.FileContext tree = p.file();
            if (!diags.isEmpty()) return new ParseResult(Optional.empty(), sorted(diags));
            PolicyFile f = new AstBuilder(path, diags).file(tree);
            return new ParseResult(diags.stream().anyMatch(Diagnostic::isError) ? Optional.empty() : Optional.of(f), sorted(diags));
        } catch (StackOverflowError e) {
            diags.add(Diagnostic.error("dsl.too_deep", Origin.file(path, 1, 1), "the policy nests too deeply to parse",
                    "split deeply nested expressions into `let` bindings"));
            return new ParseResult(Optional.empty(), diags);
        }
    }

    /** Parses one expression, e.g. a {@code --param} value; {@code at} locates errors. */
    public static Optional<Expr> parseExpression(String text, Span at, List<Diagnostic> diags) {
        return parseHole(text, at, diags);
    }

    static Optional<Expr> parseHole(String text, Span at, List<Diagnostic> diags) {
        List<Diagnostic> local = new ArrayList<>();
        try {
            WardenParser p = parser(at.file(), text, local, at.line() - 1, at.column() - 1);
            WardenParser.StandaloneExprContext tree = p.standaloneExpr();
            if (!local.isEmpty()) { diags.addAll(local); return Optional.empty(); }
            return Optional.of(new AstBuilder(at.file(), diags).expr(tree.expr()));
        } catch (StackOverflowError e) {
            diags.add(Diagnostic.error("dsl.too_deep", at.origin(), "the expression nests too deeply to parse", "simplify the expression"));
            return Optional.empty();
        }
    }

    private static WardenParser parser(String path, String text, List<Diagnostic> diags, int lineOffset, int colOffset) {
        WardenLexer lexer = new WardenLexer(CharStreams.fromString(text, path));
        lexer.removeErrorListeners();
        if (lineOffset > 0 || colOffset > 0) {
            lexer.setLine(lineOffset + 1);
            lexer.setCharPositionInLine(colOffset);
        }
        WardenParser parser = new WardenParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(new Listener(path, diags));
        return parser;
    }

    private static List<Diagnostic> sorted(List<Diagnostic> d) {
        List<Diagnostic> out = new ArrayList<>(d);
        out.sort(Diagnostic.ORDER);
        return out;
    }

    /** Turns ANTLR's callbacks into Cedar-style diagnostics; one per line at most, to avoid cascades. */
    private static final class Listener extends BaseErrorListener {
        private final String path;
        private final List<Diagnostic> diags;
        private final Set<Integer> lines = new HashSet<>();

        Listener(String path, List<Diagnostic> diags) {
            this.path = path;
            this.diags = diags;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg, RecognitionException e) {
            if (!lines.add(line)) return;
            Origin at = Origin.file(path, line, col + 1);
            Token t = offending instanceof Token tok ? tok : null;
            int len = t == null || t.getText() == null ? 1 : Math.max(1, t.getText().length());
            String expected = recognizer instanceof Parser p ? expected(p) : "";
            if (t == null) {
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.syntax", at, 1, "invalid input", expected));
            } else if (t.getType() == Token.EOF) {
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.syntax", at, 1, "unexpected end of file", expected));
            } else if (t.getType() == WardenLexer.UNTERMINATED) {
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.unterminated_string", at, len, "unterminated string",
                        "close the string with `\"` on the same line, or use `\"\"\"` for text that spans lines"));
            } else if (t.getType() == WardenLexer.ERRCHAR) {
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.unexpected_char", at, 1,
                        "unexpected character `" + printable(t.getText()) + "`", expected));
            } else {
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.syntax", at, len,
                        "unexpected `" + printable(t.getText()) + "`", expected));
            }
        }

        private static String printable(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length() && i < 40; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
            if (s.length() > 40) b.append("...");
            return b.toString();
        }

        private static String expected(Parser p) {
            IntervalSet set;
            try {
                set = p.getExpectedTokens();
            } catch (RuntimeException e) {
                return "";
            }
            Vocabulary v = p.getVocabulary();
            Set<String> names = new TreeSet<>();
            for (int type : set.toList()) names.add(display(v, type));
            names.remove("");
            if (names.isEmpty()) return "";
            List<String> list = new ArrayList<>(names);
            if (list.size() > 8) return "expected one of " + String.join(", ", list.subList(0, 8)) + ", ...";
            return list.size() == 1 ? "expected " + list.get(0) : "expected one of " + String.join(", ", list);
        }

        private static String display(Vocabulary v, int type) {
            if (type == Token.EOF) return "end of file";
            String lit = v.getLiteralName(type);
            if (lit != null) return "`" + lit.substring(1, lit.length() - 1) + "`";
            String sym = v.getSymbolicName(type);
            if (sym == null) return "";
            return switch (sym) {
                case "IDENT" -> "a name";
                case "STRING", "TSTRING" -> "a string";
                case "INT" -> "an integer";
                case "SIZE" -> "a size";
                case "DURATION" -> "a duration";
                case "CIDR4" -> "a CIDR";
                case "CONTROL_ID" -> "a control id";
                default -> "";
            };
        }
    }
}
