package dev.warden.dsl.parse;

import dev.warden.dsl.ast.AuthzItem;
import dev.warden.dsl.ast.ControlItem;
import dev.warden.dsl.ast.Decl;
import dev.warden.dsl.ast.Expr;
import dev.warden.dsl.ast.PolicyFile;
import dev.warden.dsl.ast.Span;
import dev.warden.dsl.ast.Template;
import dev.warden.dsl.ast.TestItem;
import dev.warden.dsl.internal.grammar.WardenParser;
import dev.warden.dsl.internal.grammar.WardenParser.*;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one place that turns an ANTLR parse tree into the immutable AST. */
final class AstBuilder {
    private final String file;
    private final List<Diagnostic> diagnostics;

    AstBuilder(String file, List<Diagnostic> diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    Span span(ParserRuleContext c) {
        Token s = c.getStart(), e = c.getStop() == null ? c.getStart() : c.getStop();
        return new Span(file, s.getLine(), s.getCharPositionInLine() + 1, endLine(e), endCol(e));
    }

    Span span(Token t) {
        return new Span(file, t.getLine(), t.getCharPositionInLine() + 1, endLine(t), endCol(t));
    }

    private static int endLine(Token t) {
        String text = t.getText() == null ? "" : t.getText();
        int n = 0;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') n++;
        return t.getLine() + n;
    }

    private static int endCol(Token t) {
        String text = t.getText() == null ? "" : t.getText();
        int nl = text.lastIndexOf('\n');
        return nl < 0 ? t.getCharPositionInLine() + 1 + text.length() : text.length() - nl;
    }

    PolicyFile file(FileContext c) {
        Optional<String> pkg = Optional.ofNullable(c.packageDecl()).map(p -> p.qname().getText());
        Optional<String> title = Optional.ofNullable(c.titleDecl()).map(t -> str(t.str()));
        List<Decl> decls = new ArrayList<>();
        for (DeclarationContext d : c.declaration()) {
            if (d.paramDecl() != null) decls.add(param(d.paramDecl()));
            else if (d.controlDecl() != null) decls.add(control(d.controlDecl()));
            else if (d.testDecl() != null) decls.add(test(d.testDecl()));
            else if (d.authorizeDecl() != null) decls.add(authorize(d.authorizeDecl()));
        }
        return new PolicyFile(file, pkg, title, decls, span(c));
    }

    static String str(StrContext s) { return Strings.decode(s.getText()); }

    private Decl.Param param(ParamDeclContext c) {
        Optional<Decl.TypeRef> type = Optional.ofNullable(c.typeRef()).map(this::typeRef);
        String doc = c.str() == null ? "" : str(c.str());
        return new Decl.Param(c.ident().getText(), span(c.ident()), type, expr(c.expr()), doc, span(c));
    }

    private Decl.TypeRef typeRef(TypeRefContext c) {
        return new Decl.TypeRef(c.ident().getText(), Optional.ofNullable(c.typeRef()).map(this::typeRef), span(c));
    }

    private Decl.Control control(ControlDeclContext c) {
        List<ControlItem> items = new ArrayList<>();
        for (ControlItemContext i : c.controlItem()) items.add(controlItem(i));
        return new Decl.Control(c.controlId().getText(), span(c.controlId()), str(c.str()), items, span(c));
    }

    private ControlItem controlItem(ControlItemContext c) {
        Span sp = span(c);
        if (c instanceof SeverityItemContext s) return new ControlItem.Severity(s.ident().getText(), span(s.ident()));
        if (c instanceof TagsItemContext t) {
            List<String> tags = new ArrayList<>();
            for (TagContext tag : t.tag()) tags.add(tag.str() != null ? str(tag.str()) : tag.getText());
            return new ControlItem.Tags(tags, sp);
        }
        if (c instanceof DescriptionItemContext d) return new ControlItem.Description(str(d.str()), sp);
        if (c instanceof RemediationItemContext r) return new ControlItem.Remediation(str(r.str()), sp);
        if (c instanceof ReferencesItemContext r) return new ControlItem.References(r.str().stream().map(AstBuilder::str).toList(), sp);
        if (c instanceof ForItemContext f) {
            Optional<Expr> where = f.expr().size() > 1 ? Optional.of(expr(f.expr(1))) : Optional.empty();
            return new ControlItem.For(f.ident().getText(), span(f.ident()), expr(f.expr(0)), where, sp);
        }
        if (c instanceof WhenItemContext w) return new ControlItem.When(expr(w.expr()), sp);
        if (c instanceof LetItemContext l) return new ControlItem.Let(l.ident().getText(), span(l.ident()), expr(l.expr()), sp);
        CheckItemContext k = (CheckItemContext) c;
        Optional<Template> msg = Optional.ofNullable(k.str()).map(this::template);
        return new ControlItem.Check(k.kind.getType() == WardenParser.FORBID, expr(k.expr()), msg, sp);
    }

    private Decl.Authorize authorize(AuthorizeDeclContext c) {
        List<AuthzItem> items = new ArrayList<>();
        for (AuthzItemContext i : c.authzItem()) {
            Span sp = span(i);
            if (i instanceof DefaultItemContext d) {
                items.add(new AuthzItem.Default(d.ident().getText(), span(d.ident()), sp));
            } else if (i instanceof ConnectItemContext k) {
                Optional<Template> msg = Optional.ofNullable(k.str()).map(this::template);
                items.add(new AuthzItem.Connect(k.kind.getType() == WardenParser.FORBID, expr(k.expr()), msg, sp));
            } else if (i instanceof RuleItemContext r) {
                Optional<int[]> qos = Optional.empty();
                Span qosSpan = sp;
                Optional<Boolean> retain = Optional.empty();
                for (AuthzOptionContext o : r.authzOption()) {
                    if (o instanceof QosOptionContext q) {
                        qosSpan = span(q);
                        int lo = smallInt(q.INT(0).getSymbol());
                        int hi = q.INT().size() > 1 ? smallInt(q.INT(1).getSymbol()) : lo;
                        qos = Optional.of(new int[] {lo, hi});
                    } else if (o instanceof RetainOptionContext t) {
                        retain = Optional.of(t.TRUE() != null);
                    }
                }
                Optional<Expr> when = Optional.ofNullable(r.expr()).map(this::expr);
                items.add(new AuthzItem.Rule(r.effect.getType() == WardenParser.ALLOW, r.ident().getText(), span(r.ident()),
                        str(r.str()), span(r.str()), qos, qosSpan, retain, when, sp));
            } else if (i instanceof LimitItemContext l) {
                Optional<String> per = l.ident().size() > 1 && l.PER() != null ? Optional.of(l.ident(1).getText()) : Optional.empty();
                Span perSpan = l.PER() != null ? span(l.ident(1)) : sp;
                int thenIdx = l.PER() != null ? 2 : 1;
                Optional<String> then = l.THEN() != null ? Optional.of(l.ident(thenIdx).getText()) : Optional.empty();
                Span thenSpan = l.THEN() != null ? span(l.ident(thenIdx)) : sp;
                AuthzItem.LimitValue value = new AuthzItem.LimitValue(l.limitValue(0).getText(), span(l.limitValue(0)));
                Optional<AuthzItem.LimitValue> burst = l.limitValue().size() > 1
                        ? Optional.of(new AuthzItem.LimitValue(l.limitValue(1).getText(), span(l.limitValue(1)))) : Optional.empty();
                items.add(new AuthzItem.Limit(l.ident(0).getText(), span(l.ident(0)), per, perSpan, value, burst, then, thenSpan, sp));
            }
        }
        String title = c.str() == null ? "" : str(c.str());
        return new Decl.Authorize(c.ident().getText(), span(c.ident()), title, items, span(c));
    }

    private int smallInt(Token t) {
        try {
            return Integer.parseInt(t.getText());
        } catch (NumberFormatException e) {
            Span s = span(t);
            diagnostics.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.bad_literal", s.origin(), s.length(),
                    "number `" + t.getText() + "` is too large", "MQTT QoS is 0, 1 or 2"));
            return Integer.MAX_VALUE;
        }
    }

    private Decl.Test test(TestDeclContext c) {
        List<TestItem> items = new ArrayList<>();
        for (TestItemContext i : c.testItem()) {
            Span sp = span(i);
            if (i instanceof GivenItemContext g) {
                List<TestItem.Entry> entries = new ArrayList<>();
                for (GivenEntryContext e : g.givenEntry()) {
                    entries.add(new TestItem.Entry(e.ident().getText(), e.str().stream().map(AstBuilder::str).toList(), span(e)));
                }
                items.add(new TestItem.Given(g.ident().getText(), span(g.ident()), entries, sp));
            } else if (i instanceof WithItemContext w) {
                items.add(new TestItem.With(w.ident().getText(), span(w.ident()), expr(w.expr()), sp));
            } else if (i instanceof ExpectDecisionItemContext e) {
                Optional<Integer> qos = Optional.empty();
                Optional<Boolean> retain = Optional.empty();
                Optional<String> payload = Optional.empty();
                Span payloadSpan = sp;
                for (TestOptionContext o : e.testOption()) {
                    if (o instanceof TestQosContext q) qos = Optional.of(smallInt(q.INT().getSymbol()));
                    else if (o instanceof TestRetainContext r) retain = Optional.of(r.TRUE() != null);
                    else if (o instanceof TestPayloadContext pl) {
                        payloadSpan = span(pl);
                        payload = Optional.of(pl.ident().getText().equals("payload") ? pl.SIZE().getText() : "?" + pl.ident().getText());
                    }
                }
                List<TestItem.Entry> client = new ArrayList<>();
                for (GivenEntryContext g : e.givenEntry()) {
                    client.add(new TestItem.Entry(g.ident().getText(), g.str().stream().map(AstBuilder::str).toList(), span(g)));
                }
                Optional<String> topic = Optional.ofNullable(e.str()).map(AstBuilder::str);
                items.add(new TestItem.ExpectDecision(e.verdict.getType() == WardenParser.ALLOW, e.authzAction().getText(), span(e.authzAction()),
                        topic, e.str() == null ? sp : span(e.str()), qos, retain, payload, payloadSpan, client, sp));
            } else if (i instanceof ExpectItemContext e) {
                Optional<String> at = Optional.ofNullable(e.str()).map(AstBuilder::str);
                Optional<Integer> count = Optional.empty();
                if (e.INT() != null) {
                    try {
                        count = Optional.of(Integer.parseInt(e.INT().getText()));
                    } catch (NumberFormatException ex) {
                        Span countSpan = span(e.INT().getSymbol());
                        diagnostics.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.bad_literal", countSpan.origin(), countSpan.length(),
                                "count `" + e.INT().getText() + "` is too large", "use a count below 2147483648"));
                    }
                }
                items.add(new TestItem.Expect(e.ident().getText(), span(e.ident()), e.controlId().getText(), span(e.controlId()), at, count, sp));
            }
        }
        return new Decl.Test(str(c.str()), items, span(c));
    }

    // ------------------------------------------------------------------ expressions

    Expr expr(ExprContext c) { return or(c.orExpr()); }

    private Expr or(OrExprContext c) {
        List<AndExprContext> terms = c.andExpr(); // once: each call scans the children
        Expr e = and(terms.get(0));
        for (int i = 1; i < terms.size(); i++) {
            Expr r = and(terms.get(i));
            e = new Expr.Logic(false, e, r, span(terms.get(0)).to(span(terms.get(i))));
        }
        return e;
    }

    private Expr and(AndExprContext c) {
        List<NotExprContext> terms = c.notExpr();
        Expr e = not(terms.get(0));
        for (int i = 1; i < terms.size(); i++) {
            Expr r = not(terms.get(i));
            e = new Expr.Logic(true, e, r, span(terms.get(0)).to(span(terms.get(i))));
        }
        return e;
    }

    private Expr not(NotExprContext c) {
        if (c.NOT() != null) return new Expr.Not(not(c.notExpr()), span(c));
        if (c.quantifier() != null) return quantifier(c.quantifier());
        return predicate(c.predicate());
    }

    private Expr quantifier(QuantifierContext q) {
        Expr.Quantifier kind = switch (q.quant.getType()) {
            case WardenParser.ANY -> Expr.Quantifier.ANY;
            case WardenParser.ALL -> Expr.Quantifier.ALL;
            default -> Expr.Quantifier.NONE;
        };
        Optional<Expr> where = q.expr().size() > 1 ? Optional.of(expr(q.expr(0))) : Optional.empty();
        Expr body = expr(q.expr(q.expr().size() - 1));
        return new Expr.Quant(kind, q.ident().getText(), operand(q.operand()), where, body, span(q));
    }

    private Expr predicate(PredicateContext c) {
        Expr left = operand(c.operand());
        PredicateTailContext tail = c.predicateTail();
        if (tail == null) return left;
        Span sp = span(c);
        if (tail instanceof CompareContext k) {
            Expr.BinOp op = switch (k.op.getType()) {
                case WardenParser.EQ -> Expr.BinOp.EQ;
                case WardenParser.NE -> Expr.BinOp.NE;
                case WardenParser.LT -> Expr.BinOp.LT;
                case WardenParser.LE -> Expr.BinOp.LE;
                case WardenParser.GT -> Expr.BinOp.GT;
                default -> Expr.BinOp.GE;
            };
            return new Expr.Binary(op, left, operand(k.operand()), span(k.op), sp);
        }
        if (tail instanceof MembershipContext m) {
            Span opSpan = m.NOT() != null ? span(m.NOT()) : span(m.IN().getSymbol());
            return new Expr.Binary(m.NOT() != null ? Expr.BinOp.NOT_IN : Expr.BinOp.IN, left, operand(m.operand()), opSpan, sp);
        }
        if (tail instanceof RelationContext r) {
            Expr.BinOp op = switch (r.op.getType()) {
                case WardenParser.WITHIN -> Expr.BinOp.WITHIN;
                case WardenParser.OVERLAPS -> Expr.BinOp.OVERLAPS;
                case WardenParser.CONTAINS -> Expr.BinOp.CONTAINS;
                default -> Expr.BinOp.MATCHES;
            };
            return new Expr.Binary(op, left, operand(r.operand()), span(r.op), sp);
        }
        IsTestContext t = (IsTestContext) tail;
        return new Expr.Is(left, t.NOT() != null, t.ident().getText(), span(t.ident()), sp);
    }

    private Span span(org.antlr.v4.runtime.tree.TerminalNode n) { return span(n.getSymbol()); }

    private Expr operand(OperandContext c) {
        Expr e = primary(c.primary());
        for (IdentContext id : c.ident()) {
            Span ns = span(id);
            e = new Expr.Field(e, id.getText(), ns, e.span().to(ns));
        }
        return e;
    }

    private Expr primary(PrimaryContext c) {
        Span sp = span(c);
        if (c instanceof LiteralExprContext l) return literal(l.literal());
        if (c instanceof CallExprContext call) {
            return new Expr.Call(call.ident().getText(), call.expr().stream().map(this::expr).toList(), span(call.ident()), sp);
        }
        if (c instanceof CountExprContext k) {
            return new Expr.Count(k.ident().getText(), operand(k.operand()), Optional.ofNullable(k.expr()).map(this::expr), sp);
        }
        if (c instanceof NameExprContext n) return new Expr.Name(n.ident().getText(), sp);
        if (c instanceof ParenExprContext p) return expr(p.expr());
        ListExprContext l = (ListExprContext) c;
        return new Expr.ListLit(l.expr().stream().map(this::expr).toList(), sp);
    }

    private Expr literal(LiteralContext c) {
        Span sp = span(c);
        if (c instanceof StringLitContext s) return new Expr.Str(str(s.str()), sp);
        if (c instanceof RangeLitContext r) return new Expr.Range(parseLong(r.INT(0).getSymbol()), parseLong(r.INT(1).getSymbol()), sp);
        if (c instanceof IntLitContext i) return new Expr.Int(parseLong(i.INT().getSymbol()), sp);
        if (c instanceof SizeLitContext s) return new Expr.Size(s.getText(), sp);
        if (c instanceof DurationLitContext d) return new Expr.Duration(d.getText(), sp);
        if (c instanceof CidrLitContext d) return new Expr.Cidr(d.getText(), sp);
        return new Expr.Bool(((BoolLitContext) c).TRUE() != null, sp);
    }

    private long parseLong(Token t) {
        try {
            return Long.parseLong(t.getText());
        } catch (NumberFormatException e) {
            Span at = span(t);
            diagnostics.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.bad_literal", at.origin(), at.length(),
                    "integer `" + t.getText() + "` is too large", "integers must fit in 64 bits"));
            return 0;
        }
    }

    // ------------------------------------------------------------------ templates

    private Template template(StrContext s) {
        Span sp = span(s);
        String raw = s.getStart().getText();
        String text = str(s);
        List<Template.Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        int rawCursor = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') { lit.append('{'); i += 2; continue; }
            if (ch == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') { lit.append('}'); i += 2; continue; }
            if (ch == '{') {
                int end = text.indexOf('}', i + 1);
                if (end < 0) {
                    int r = raw.indexOf(text.substring(i), rawCursor);
                    Span at = r < 0 ? sp : inToken(sp, raw, r, 1);
                    diagnostics.add(new Diagnostic(Diagnostic.Level.ERROR, "dsl.bad_template", at.origin(), at.length(),
                            "unclosed `{` in message", "close the interpolation with `}` or write `{{` for a literal brace"));
                    lit.append(text.substring(i));
                    break;
                }
                if (lit.length() > 0) { parts.add(new Template.Text(lit.toString())); lit.setLength(0); }
                String inner = text.substring(i + 1, end);
                // find the hole in the token as written, so that positions survive escapes and text-block indentation
                int r = raw.indexOf("{" + inner + "}", rawCursor);
                Span holeSpan = r < 0 ? sp : inToken(sp, raw, r + 1, inner.length());
                if (r >= 0) rawCursor = r + inner.length() + 2;
                Optional<Expr> e = PolicyParser.parseHole(inner, holeSpan, diagnostics);
                e.ifPresent(x -> parts.add(new Template.Hole(x)));
                i = end + 1;
                continue;
            }
            lit.append(ch);
            i++;
        }
        if (lit.length() > 0) parts.add(new Template.Text(lit.toString()));
        return new Template(text, parts, sp);
    }

    /** The span of {@code length} characters at {@code offset} in a string token that starts at {@code token}. */
    private Span inToken(Span token, String raw, int offset, int length) {
        int line = token.line(), col = token.column() + offset;
        int nl = raw.lastIndexOf('\n', offset - 1);
        if (nl >= 0) {
            for (int k = 0; k < offset; k++) if (raw.charAt(k) == '\n') line++;
            col = offset - nl;
        }
        return new Span(file, line, col, line, col + Math.max(1, length));
    }

    static Origin at(Span s) { return s.origin(); }
}
