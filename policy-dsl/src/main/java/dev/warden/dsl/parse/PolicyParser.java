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
            WardenParser p = parser(path, text, diags, 0, 0, false);
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
        return parseStandalone(text, at, diags, false);
    }

    /** Parses the expression of a message hole {@code {...}}; {@code at} is where the expression starts. */
    static Optional<Expr> parseHole(String text, Span at, List<Diagnostic> diags) {
        return parseStandalone(text, at, diags, true);
    }

    private static Optional<Expr> parseStandalone(String text, Span at, List<Diagnostic> diags, boolean hole) {
        List<Diagnostic> local = new ArrayList<>();
        try {
            WardenParser p = parser(at.file(), text, local, at.line() - 1, at.column() - 1, hole);
            WardenParser.StandaloneExprContext tree = p.standaloneExpr();
            if (!local.isEmpty()) { diags.addAll(local); return Optional.empty(); }
            return Optional.of(new AstBuilder(at.file(), diags).expr(tree.expr()));
        } catch (StackOverflowError e) {
            diags.add(Diagnostic.error("dsl.too_deep", at.origin(), "the expression nests too deeply to parse", "simplify the expression"));
            return Optional.empty();
        }
    }

    private static WardenParser parser(String path, String text, List<Diagnostic> diags, int lineOffset, int colOffset, boolean hole) {
        WardenLexer lexer = new WardenLexer(CharStreams.fromString(text, path));
        lexer.removeErrorListeners();
        if (lineOffset > 0 || colOffset > 0) {
            lexer.setLine(lineOffset + 1);
            lexer.setCharPositionInLine(colOffset);
        }
        WardenParser parser = new WardenParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(new Listener(path, diags, hole));
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
        private final boolean hole;
        private final Set<Integer> lines = new HashSet<>();

        Listener(String path, List<Diagnostic> diags, boolean hole) {
            this.path = path;
            this.diags = diags;
            this.hole = hole;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg, RecognitionException e) {
            if (!lines.add(line)) return;
            Token t = offending instanceof Token tok ? tok : null;
            int len = t == null || t.getText() == null ? 1 : Math.max(1, t.getText().length());
            String expected = recognizer instanceof Parser p ? expected(p) : "";
            if (t == null) {
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.syntax", Origin.file(path, line, col + 1), 1, "invalid input", expected));
            } else if (t.getType() == Token.EOF) {
                if (hole) {
                    diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.syntax", Origin.file(path, line, col + 1), 1,
                            "the expression in `{...}` ends too early", expected));
                    return;
                }
                // point just after the last token rather than at a line that may not exist
                Token prev = recognizer instanceof Parser p ? p.getTokenStream().LT(-1) : null;
                Origin at = prev == null || prev.getType() == Token.EOF ? Origin.file(path, line, col + 1)
                        : Origin.file(path, endLine(prev), endColumn(prev));
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.syntax", at, 1, "unexpected end of file", expected));
            } else if (t.getType() == WardenLexer.UNTERMINATED) {
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.unterminated_string", Origin.file(path, line, col + 1), len, "unterminated string",
                        "close the string with `\"` on the same line, or use `\"\"\"` for text that spans lines"));
            } else if (t.getType() == WardenLexer.UNTERMINATED_BLOCK) {
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.unterminated_string", Origin.file(path, line, col + 1), 3,
                        "unterminated text block", "close the text block with `\"\"\"`"));
            } else if (t.getType() == WardenLexer.ERRCHAR) {
                String hint = foreign(t.getText());
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.unexpected_char", Origin.file(path, line, col + 1), 1,
                        "unexpected character `" + printable(t.getText()) + "`", hint.isEmpty() ? expected : hint));
            } else {
                String help = expected;
                if (RESERVED.contains(t.getType()) && recognizer instanceof Parser p && expectsName(p)) {
                    help = "`" + t.getText() + "` is a reserved word and cannot be a name";
                } else if (RELATIONS.contains(t.getType()) && recognizer instanceof Parser p && !expectsName(p)) {
                    help = "comparisons do not chain: join them with `and`, e.g. `a <= b and b <= c`";
                }
                diags.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.syntax", Origin.file(path, line, col + 1), len,
                        "unexpected `" + printable(t.getText()) + "`", help));
            }
        }

        private static int endLine(Token t) {
            String text = t.getText() == null ? "" : t.getText();
            return t.getLine() + (int) text.chars().filter(c -> c == '\n').count();
        }

        private static int endColumn(Token t) {
            String text = t.getText() == null ? "" : t.getText();
            int nl = text.lastIndexOf('\n');
            return nl < 0 ? t.getCharPositionInLine() + text.length() + 1 : text.length() - nl;
        }

        /** Help for characters borrowed from other languages. */
        private static String foreign(String c) {
            return switch (c) {
                case "&" -> "write `and` instead of `&&`";
                case "|" -> "write `or` instead of `||`";
                case "!" -> "write `not` instead of `!`";
                case ";" -> "remove the `;`: clauses need no separator";
                case "\u2265" -> "write `>=` instead of `\u2265`";
                case "\u2264" -> "write `<=` instead of `\u2264`";
                case "\u2260" -> "write `!=` instead of `\u2260`";
                case "'" -> "strings are written in double quotes `\"`";
                case "\u201c", "\u201d", "\u2018", "\u2019" -> "use straight double quotes `\"` for strings";
                default -> "";
            };
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

        /** Keywords that are never names (see the {@code ident} rule). */
        private static final Set<Integer> RESERVED = Set.of(WardenLexer.FOR, WardenLexer.IN, WardenLexer.AND, WardenLexer.OR,
                WardenLexer.NOT, WardenLexer.IS, WardenLexer.TRUE, WardenLexer.FALSE);

        /** Operators between two operands; one per operand pair. */
        private static final Set<Integer> RELATIONS = Set.of(WardenLexer.EQ, WardenLexer.NE, WardenLexer.LT, WardenLexer.LE,
                WardenLexer.GT, WardenLexer.GE, WardenLexer.IN, WardenLexer.WITHIN, WardenLexer.OVERLAPS, WardenLexer.CONTAINS,
                WardenLexer.MATCHES, WardenLexer.IS);

        /** Keywords that may also be names. */
        private static final Set<Integer> SOFT = Set.of(WardenLexer.PACKAGE, WardenLexer.TITLE, WardenLexer.PARAM, WardenLexer.CONTROL,
                WardenLexer.SEVERITY, WardenLexer.TAGS, WardenLexer.DESCRIPTION, WardenLexer.REMEDIATION, WardenLexer.REFERENCES,
                WardenLexer.WHERE, WardenLexer.WHEN, WardenLexer.LET, WardenLexer.REQUIRE, WardenLexer.FORBID, WardenLexer.ELSE,
                WardenLexer.TEST, WardenLexer.GIVEN, WardenLexer.WITH, WardenLexer.EXPECT, WardenLexer.AT, WardenLexer.WITHIN,
                WardenLexer.OVERLAPS, WardenLexer.CONTAINS, WardenLexer.MATCHES, WardenLexer.ANY, WardenLexer.ALL, WardenLexer.NONE,
                WardenLexer.COUNT, WardenLexer.AUTHORIZE, WardenLexer.DEFAULT, WardenLexer.CONNECT, WardenLexer.ALLOW,
                WardenLexer.DENY, WardenLexer.LIMIT, WardenLexer.PER, WardenLexer.BURST, WardenLexer.THEN, WardenLexer.QOS,
                WardenLexer.RETAIN, WardenLexer.AS);

        /** Tokens that can start an expression. */
        private static final Set<Integer> EXPRESSION_START = Set.of(WardenLexer.NOT, WardenLexer.STRING, WardenLexer.TSTRING,
                WardenLexer.INT, WardenLexer.SIZE, WardenLexer.DURATION, WardenLexer.CIDR4, WardenLexer.TRUE, WardenLexer.FALSE,
                WardenLexer.LPAREN, WardenLexer.LBRACK, WardenLexer.IDENT);

        /** The clauses of a control. */
        private static final Set<Integer> CLAUSES = Set.of(WardenLexer.SEVERITY, WardenLexer.TAGS, WardenLexer.DESCRIPTION,
                WardenLexer.REMEDIATION, WardenLexer.REFERENCES, WardenLexer.FOR, WardenLexer.WHEN, WardenLexer.LET,
                WardenLexer.REQUIRE, WardenLexer.FORBID);

        /** Operators that may follow an operand. */
        private static final Set<Integer> OPERATORS = Set.of(WardenLexer.EQ, WardenLexer.NE, WardenLexer.LT, WardenLexer.LE,
                WardenLexer.GT, WardenLexer.GE, WardenLexer.IN, WardenLexer.NOT, WardenLexer.WITHIN, WardenLexer.OVERLAPS,
                WardenLexer.CONTAINS, WardenLexer.MATCHES, WardenLexer.IS, WardenLexer.DOT, WardenLexer.AND, WardenLexer.OR);

        private static Set<Integer> expectedTypes(Parser p) {
            try {
                return new HashSet<>(p.getExpectedTokens().toList());
            } catch (RuntimeException e) {
                return new HashSet<>();
            }
        }

        private static boolean expectsName(Parser p) {
            return expectedTypes(p).contains(WardenLexer.IDENT);
        }

        /**
         * The tokens the parser expected, in words: the keywords that start a clause, an expression or a name are
         * folded into one phrase each, so that the punctuation that would fix the error is not lost in a long list.
         */
        private static String expected(Parser p) {
            Set<Integer> types = expectedTypes(p);
            List<String> phrases = new ArrayList<>();
            if (types.contains(WardenLexer.IDENT) && types.contains(WardenLexer.INT) && types.contains(WardenLexer.LPAREN)) {
                types.removeAll(EXPRESSION_START);
                types.removeAll(SOFT);
                phrases.add("an expression");
            } else if (types.contains(WardenLexer.IDENT)) {
                types.removeAll(SOFT);
            }
            if (types.containsAll(CLAUSES)) {
                types.removeAll(CLAUSES);
                phrases.add("a clause such as `require`, `for` or `severity`");
            }
            if (types.stream().filter(OPERATORS::contains).count() >= 4) {
                types.removeAll(OPERATORS);
                phrases.add(0, "an operator");
            }
            Vocabulary v = p.getVocabulary();
            Set<String> names = new TreeSet<>();
            for (int type : types) names.add(display(v, type));
            names.remove("");
            List<String> list = new ArrayList<>(names);
            list.addAll(phrases);
            if (list.isEmpty()) return "";
            if (list.size() > 10) list = new ArrayList<>(list.subList(0, 10));
            if (list.size() == 1) return "expected " + list.get(0);
            if (list.size() == 2) return "expected " + list.get(0) + " or " + list.get(1);
            return "expected one of " + String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
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
