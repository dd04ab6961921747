package dev.warden.dsl.check;

import dev.warden.dsl.ast.Expr;
import dev.warden.dsl.ast.Span;
import dev.warden.dsl.ir.Node;
import dev.warden.dsl.ir.ParamInfo;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.FieldSpec;
import dev.warden.model.schema.ObjectType;
import dev.warden.model.schema.Schema;
import dev.warden.model.schema.Type;
import dev.warden.model.types.ByteSize;
import dev.warden.model.types.Cidr;
import dev.warden.model.types.PortSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.warden.model.schema.Type.Prim.ANY;
import static dev.warden.model.schema.Type.Prim.BOOL;
import static dev.warden.model.schema.Type.Prim.INT;
import static dev.warden.model.schema.Type.Prim.PORTS;
import static dev.warden.model.schema.Type.Prim.STRING;

/** Type-checks expressions against the fact schema and lowers them to IR {@link Node}s. */
public final class ExprChecker {

    /** Local names in scope: name to slot and type. */
    public static final class Scope {
        private final Scope parent;
        private final Map<String, Node.Local> names = new LinkedHashMap<>();

        public Scope(Scope parent) { this.parent = parent; }

        public Node.Local lookup(String n) {
            Node.Local l = names.get(n);
            return l != null ? l : parent == null ? null : parent.lookup(n);
        }

        void all(Set<String> out) {
            if (parent != null) parent.all(out);
            out.addAll(names.keySet());
        }

        public void bind(Node.Local l) { names.put(l.name(), l); }
    }

    private final Schema schema;
    private final Map<String, ParamInfo> params;
    private final List<Diagnostic> diags;
    private final Set<String> rootsUsed = new LinkedHashSet<>();
    private int slots;

    public ExprChecker(Schema schema, Map<String, ParamInfo> paramsByName, List<Diagnostic> diags) {
        this.schema = schema;
        this.params = paramsByName;
        this.diags = diags;
    }

    public Set<String> rootsUsed() { return rootsUsed; }

    public int slots() { return slots; }

    public Node.Local newLocal(String name, Type t) { return new Node.Local(slots++, name, t); }

    private final java.util.Set<Integer> usedSlots = new java.util.HashSet<>();

    /** True when a name lookup resolved to this local slot. */
    public boolean used(int slot) { return usedSlots.contains(slot); }

    private void error(String code, Span at, String msg, String help) {
        diags.add(new Diagnostic(Diagnostic.Level.ERROR, code, at.origin(), at.length(), msg, help));
    }

    /** Checks a condition: the expression must be a bool. */
    public Node condition(Expr e, Scope s, String what) {
        Node n = check(e, s);
        if (n.type() != BOOL && n.type() != ANY) {
            error("dsl.type_mismatch", e.span(), what + " must be a condition (bool), found `" + n.type().display() + "`",
                    "compare the value, e.g. `x == ...`, or test it with `is set`");
        }
        return n;
    }

    /** Checks and lowers an expression. */
    public Node check(Expr e, Scope s) {
        if (e instanceof Expr.Str x) return constant(new Value.Str(x.value(), Origin.NONE), STRING);
        if (e instanceof Expr.Int x) return constant(new Value.Int(x.value(), Origin.NONE), INT);
        if (e instanceof Expr.Bool x) return constant(new Value.Bool(x.value(), Origin.NONE), BOOL);
        if (e instanceof Expr.Size x) return literal(x.text(), Type.Prim.SIZE, x.span());
        if (e instanceof Expr.Duration x) return literal(x.text(), Type.Prim.DURATION, x.span());
        if (e instanceof Expr.Cidr x) return literal(x.text(), Type.Prim.CIDR, x.span());
        if (e instanceof Expr.Range x) return range(x);
        if (e instanceof Expr.ListLit x) return list(x, s);
        if (e instanceof Expr.Name x) return name(x, s);
        if (e instanceof Expr.Field x) return field(x, s);
        if (e instanceof Expr.Call x) return call(x, s);
        if (e instanceof Expr.Not x) return new Node.Not(condition(x.operand(), s, "the operand of `not`"));
        if (e instanceof Expr.Logic x) {
            String what = "each side of `" + (x.and() ? "and" : "or") + "`";
            return new Node.Logic(x.and(), condition(x.left(), s, what), condition(x.right(), s, what));
        }
        if (e instanceof Expr.Binary x) return binary(x, s);
        if (e instanceof Expr.Is x) return is(x, s);
        if (e instanceof Expr.Quant x) return quant(x, s);
        return count((Expr.Count) e, s);
    }

    private static Node constant(Value v, Type t) { return new Node.Const(v, t); }

    private Node literal(String text, Type.Prim t, Span at) {
        try {
            return constant(Literals.fromString(text, t, Origin.NONE), t);
        } catch (IllegalArgumentException ex) {
            error("dsl.bad_literal", at, ex.getMessage(), "");
            return constant(new Value.Null(Origin.NONE), ANY);
        }
    }

    private Node range(Expr.Range r) {
        if (r.lo() < 0 || r.hi() > 65535 || r.lo() > r.hi()) {
            error("dsl.bad_literal", r.span(), "`" + r.lo() + ".." + r.hi() + "` is not a port range",
                    "ports are 0..65535 and the low end comes first");
            return constant(new Value.Null(Origin.NONE), ANY);
        }
        return constant(new Value.Ports(PortSet.range((int) r.lo(), (int) r.hi()), Origin.NONE), PORTS);
    }

    private Node list(Expr.ListLit l, Scope s) {
        List<Node> items = new ArrayList<>();
        for (Expr e : l.items()) items.add(check(e, s));
        // an element that failed to check was reported already; the list is then untyped, to avoid follow-on errors
        if (items.stream().anyMatch(n -> n instanceof Node.Const c && c.type() == ANY)) return constant(new Value.Null(Origin.NONE), ANY);
        // one element type: the first typed element's, except that ints and port ranges mix as port sets
        Type elem = ANY;
        for (Node n : items) {
            if (n.type() == ANY) continue;
            if (elem == ANY) elem = n.type();
            else if ((elem == INT && n.type() == PORTS) || (elem == PORTS && n.type() == INT)) elem = PORTS;
        }
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node n = items.get(i);
            if (n.type().equals(elem) || n.type() == ANY) continue;
            Expr e = l.items().get(i);
            Node c = coerceOrReport(n, elem, e.span());
            if (c == null) {
                error("dsl.type_mismatch", e.span(), "list elements must have one type: `" + elem.display() + "` and `" + n.type().display() + "`",
                        "write every element with the same type");
                ok = false;
            } else {
                items.set(i, c);
            }
        }
        if (!ok) return constant(new Value.Null(Origin.NONE), ANY);
        Type t = Type.listOf(elem);
        if (items.stream().allMatch(n -> n instanceof Node.Const)) {
            List<Value> vs = items.stream().map(n -> ((Node.Const) n).value()).toList();
            return constant(new Value.Items(vs, Origin.NONE), t);
        }
        return new Node.ListOf(items, t);
    }

    private Node name(Expr.Name n, Scope s) {
        Node.Local l = s.lookup(n.name());
        if (l != null) {
            usedSlots.add(l.slot());
            return l;
        }
        ParamInfo p = params.get(n.name());
        if (p != null) return new Node.Param(p.key(), p.type());
        FieldSpec root = schema.root(n.name()).orElse(null);
        if (root != null) {
            rootsUsed.add(n.name());
            return new Node.Root(n.name(), root.type());
        }
        Set<String> visible = new TreeSet<>();
        s.all(visible);
        visible.addAll(params.keySet());
        visible.addAll(schema.roots().keySet());
        String help = Names.didYouMean(n.name(), visible);
        error("dsl.unknown_name", n.span(), "unknown name `" + n.name() + "`",
                help.isEmpty() ? "names in scope: " + String.join(", ", visible) : help);
        return constant(new Value.Null(Origin.NONE), ANY);
    }

    private Node field(Expr.Field f, Scope s) {
        Node target = check(f.target(), s);
        Type t = target.type();
        if (t == ANY) return new Node.Field(target, f.name(), ANY);
        if (t instanceof Type.Ref r) {
            ObjectType ot = schema.type(r.name());
            FieldSpec fs = ot.field(f.name()).orElse(null);
            if (fs == null) {
                String help = Names.didYouMean(f.name(), ot.fields().keySet());
                error("dsl.unknown_field", f.nameSpan(), "`" + r.name() + "` has no field `" + f.name() + "`",
                        help.isEmpty() ? "fields of `" + r.name() + "`: " + String.join(", ", ot.fields().keySet()) : help);
                return new Node.Field(target, f.name(), ANY);
            }
            return new Node.Field(target, f.name(), fs.type());
        }
        if (t instanceof Type.ListOf) {
            error("dsl.field_on_list", f.nameSpan(), "cannot read field `" + f.name() + "` of a list (`" + t.display() + "`)",
                    "iterate with `for x in ...` or use `any x in ...: x." + f.name() + " ...`");
        } else {
            error("dsl.field_on_scalar", f.nameSpan(), "cannot read field `" + f.name() + "` of a value of type `" + t.display() + "`",
                    "only objects such as `Listener` have fields");
        }
        return new Node.Field(target, f.name(), ANY);
    }

    private Node call(Expr.Call c, Scope s) {
        List<Node> args = new ArrayList<>();
        for (Expr a : c.args()) args.add(check(a, s));
        String fn = c.function();
        switch (fn) {
            case "version", "cidr", "topic", "ports", "size", "duration" -> {
                if (!arity(c, args, 1)) return constant(new Value.Null(Origin.NONE), ANY);
                Type.Prim target = switch (fn) {
                    case "version" -> Type.Prim.VERSION;
                    case "cidr" -> Type.Prim.CIDR;
                    case "topic" -> Type.Prim.TOPIC;
                    case "ports" -> PORTS;
                    case "size" -> Type.Prim.SIZE;
                    default -> Type.Prim.DURATION;
                };
                Node a = args.get(0);
                if (a.type().equals(target) || a.type() == ANY) return a;
                Node conv = coerceOrReport(a, target, c.args().get(0).span());
                if (conv != null) return conv;
                if (a.type() == STRING && target != Type.Prim.SIZE && target != Type.Prim.DURATION) {
                    Node.Conversion k = switch (target) {
                        case VERSION -> Node.Conversion.TO_VERSION;
                        case CIDR -> Node.Conversion.TO_CIDR;
                        case TOPIC -> Node.Conversion.TO_TOPIC;
                        default -> Node.Conversion.TO_PORTS;
                    };
                    return new Node.Convert(k, a, target);
                }
                error("dsl.type_mismatch", c.args().get(0).span(), "`" + fn + "` expects a `string` or a `" + target.display()
                        + "`, found `" + a.type().display() + "`", "");
                return constant(new Value.Null(Origin.NONE), ANY);
            }
            case "len" -> {
                if (!arity(c, args, 1)) return constant(new Value.Null(Origin.NONE), ANY);
                Type t = args.get(0).type();
                if (!(t instanceof Type.ListOf) && t != STRING && t != ANY) {
                    error("dsl.type_mismatch", c.args().get(0).span(), "`len` expects a list or a string, found `" + t.display() + "`", "");
                }
                return new Node.Call(Node.Builtin.LEN, args, INT);
            }
            case "lower", "upper" -> {
                if (!arity(c, args, 1)) return constant(new Value.Null(Origin.NONE), ANY);
                expect(c.args().get(0), args.get(0), STRING, fn);
                return new Node.Call(fn.equals("lower") ? Node.Builtin.LOWER : Node.Builtin.UPPER, args, STRING);
            }
            case "starts_with", "ends_with" -> {
                if (!arity(c, args, 2)) return constant(new Value.Null(Origin.NONE), ANY);
                expect(c.args().get(0), args.get(0), STRING, fn);
                expect(c.args().get(1), args.get(1), STRING, fn);
                return new Node.Call(fn.equals("starts_with") ? Node.Builtin.STARTS_WITH : Node.Builtin.ENDS_WITH, args, BOOL);
            }
            case "level" -> {
                if (!arity(c, args, 2)) return constant(new Value.Null(Origin.NONE), ANY);
                Node topicArg = args.get(0).type() == STRING ? coerceOrReport(args.get(0), Type.Prim.TOPIC, c.args().get(0).span()) : args.get(0);
                if (topicArg == null) return constant(new Value.Null(Origin.NONE), ANY);
                args.set(0, topicArg);
                expect(c.args().get(0), topicArg, Type.Prim.TOPIC, fn);
                expect(c.args().get(1), args.get(1), INT, fn);
                return new Node.Call(Node.Builtin.LEVEL, args, STRING);
            }
            case "variables" -> {
                if (!arity(c, args, 1)) return constant(new Value.Null(Origin.NONE), ANY);
                Node topicArg = args.get(0).type() == STRING ? coerceOrReport(args.get(0), Type.Prim.TOPIC, c.args().get(0).span()) : args.get(0);
                if (topicArg == null) return constant(new Value.Null(Origin.NONE), ANY);
                args.set(0, topicArg);
                expect(c.args().get(0), topicArg, Type.Prim.TOPIC, fn);
                return new Node.Call(Node.Builtin.VARIABLES, args, Type.listOf(STRING));
            }
            default -> {
                String help = Names.didYouMean(fn, FUNCTIONS);
                error("dsl.unknown_function", c.nameSpan(), "unknown function `" + fn + "`",
                        help.isEmpty() ? "functions: " + String.join(", ", FUNCTIONS) : help);
                return constant(new Value.Null(Origin.NONE), ANY);
            }
        }
    }

    static final List<String> FUNCTIONS = List.of("cidr", "duration", "ends_with", "len", "level", "lower", "ports", "size", "starts_with",
            "topic", "upper", "variables", "version");

    private boolean arity(Expr.Call c, List<Node> args, int n) {
        if (args.size() == n) return true;
        error("dsl.arity", c.span(), "`" + c.function() + "` takes " + n + " argument" + (n == 1 ? "" : "s") + ", found " + args.size(), "");
        return false;
    }

    private void expect(Expr at, Node n, Type t, String fn) {
        if (!n.type().equals(t) && n.type() != ANY) {
            error("dsl.type_mismatch", at.span(), "`" + fn + "` expects `" + t.display() + "`, found `" + n.type().display() + "`", "");
        }
    }

    /** Implicit conversions: string constants to typed scalars, ints and int lists to port sets. Null when none applies. */
    public Node coerce(Node n, Type target) {
        Type t = n.type();
        if (t.equals(target) || t == ANY || target == ANY) return n;
        if (t == STRING && n instanceof Node.Const c && c.value() instanceof Value.Str str && Literals.stringConvertible(target)) {
            try {
                return constant(Literals.fromString(str.v(), target, Origin.NONE), target);
            } catch (IllegalArgumentException ex) {
                throw new CoercionError(ex.getMessage());
            }
        }
        if (target == PORTS && (t == INT || t.equals(Type.listOf(INT)) || t.equals(Type.listOf(PORTS)))) {
            if (n instanceof Node.Const c) {
                Long bad = outOfPortRange(c.value());
                if (bad != null) throw new CoercionError("`" + bad + "` is not a port (ports are 0..65535)");
                try {
                    return constant(new Value.Ports(Literals.toPorts(c.value()), Origin.NONE), PORTS);
                } catch (IllegalArgumentException ex) {
                    throw new CoercionError(ex.getMessage());
                }
            }
            return new Node.Convert(Node.Conversion.TO_PORTS, n, PORTS);
        }
        if (target instanceof Type.ListOf tl && t instanceof Type.ListOf sl && n instanceof Node.Const c && c.value() instanceof Value.Items items
                && sl.element() == STRING && Literals.stringConvertible(tl.element())) {
            List<Value> out = new ArrayList<>();
            for (Value v : items.items()) {
                try {
                    out.add(Literals.fromString(((Value.Str) v).v(), tl.element(), Origin.NONE));
                } catch (IllegalArgumentException ex) {
                    throw new CoercionError(ex.getMessage());
                }
            }
            return constant(new Value.Items(out, Origin.NONE), target);
        }
        return null;
    }

    /** The first int of a constant (or constant list) outside 0..65535, or null. */
    private static Long outOfPortRange(Value v) {
        if (v instanceof Value.Int i) return i.v() < 0 || i.v() > 65535 ? i.v() : null;
        if (v instanceof Value.Items items) {
            for (Value e : items.items()) {
                Long bad = outOfPortRange(e);
                if (bad != null) return bad;
            }
        }
        return null;
    }

    /** A string constant that does not parse as the type it must become. */
    static final class CoercionError extends RuntimeException {
        CoercionError(String m) { super(m, null, false, false); }
    }

    private Node coerceOrReport(Node n, Type target, Span at) {
        try {
            return coerce(n, target);
        } catch (CoercionError e) {
            error("dsl.bad_literal", at, e.getMessage(), "");
            return constant(new Value.Null(Origin.NONE), ANY);
        }
    }

    /** Brings both sides to one type; null when impossible (already reported by the caller). */
    private Node[] unify(Node l, Node r, Span ls, Span rs) {
        if (l.type().equals(r.type()) || l.type() == ANY || r.type() == ANY) return new Node[] {l, r};
        Node rc = coerceOrReport(r, l.type(), rs);
        if (rc != null) return new Node[] {l, rc};
        Node lc = coerceOrReport(l, r.type(), ls);
        if (lc != null) return new Node[] {lc, r};
        return null;
    }

    private Node binary(Expr.Binary b, Scope s) {
        Node l = check(b.left(), s), r = check(b.right(), s);
        if (failed(l) || failed(r)) return bogus(); // already reported; no follow-on error
        Span ls = b.left().span(), rs = b.right().span();
        switch (b.op()) {
            case EQ, NE, LT, LE, GT, GE -> {
                Node[] u = unify(l, r, ls, rs);
                if (u == null) {
                    mismatch(b, l, r, "compare values of the same type; string literals become versions, sizes, durations, CIDRs, topics or ports when the other side has that type");
                    return bogus();
                }
                Type t = u[0].type() == ANY ? u[1].type() : u[0].type();
                if (b.op().ordering() && !(t == INT || t == Type.Prim.SIZE || t == Type.Prim.DURATION || t == Type.Prim.VERSION || t == STRING || t == ANY)) {
                    error("dsl.type_mismatch", b.opSpan(), "`" + b.op().symbol + "` does not order `" + t.display() + "` values",
                            "ordering works on int, size, duration, version and string");
                    return bogus();
                }
                if (!b.op().ordering() && (t instanceof Type.Ref)) {
                    error("dsl.type_mismatch", b.opSpan(), "objects of type `" + t.display() + "` cannot be compared with `" + b.op().symbol + "`",
                            "compare a field such as `.id`");
                    return bogus();
                }
                return new Node.Compare(Node.Op.valueOf(b.op().name()), u[0], u[1]);
            }
            case IN, NOT_IN -> {
                Node.Rel rel = b.op() == Expr.BinOp.IN ? Node.Rel.IN : Node.Rel.NOT_IN;
                boolean portList = r.type().equals(Type.listOf(PORTS)) || (r.type().equals(Type.listOf(INT)) && l.type() == INT);
                if (r.type() == PORTS || (r.type() == STRING && r instanceof Node.Const && l.type() == INT) || (portList && l.type() == INT)) {
                    // membership in a set of ports: `1883 in [1024..65535, 80]`
                    if (r.type() != PORTS) r = coerceOrReport(r, PORTS, rs);
                    if (r == null) return bogus();
                    if (l.type() != INT && l.type() != ANY) { mismatch(b, l, r, "`in` a port set takes an int port"); return bogus(); }
                    return new Node.Relation(rel, l, r, null);
                }
                if (r.type() instanceof Type.ListOf lt) {
                    Node lc = l.type().equals(lt.element()) || lt.element() == ANY ? l : coerceOrReport(l, lt.element(), ls);
                    if (lc == null) {
                        Node rc = coerceOrReport(r, Type.listOf(l.type()), rs);
                        if (rc == null) { mismatch(b, l, r, "the left side must have the list's element type"); return bogus(); }
                        return new Node.Relation(rel, l, rc, null);
                    }
                    return new Node.Relation(rel, lc, r, null);
                }
                if (r.type() == ANY) return new Node.Relation(rel, l, r, null);
                if (r.type() == STRING && l.type() == STRING) {
                    mismatch(b, l, r, "`in` needs a list on the right: write `x == \"...\"`, `x in [\"a\", \"b\"]`, or `s contains \"part\"` for a substring");
                    return bogus();
                }
                mismatch(b, l, r, "the right side of `in` must be a list or a port set");
                return bogus();
            }
            case WITHIN, OVERLAPS -> {
                Node.Rel rel = b.op() == Expr.BinOp.WITHIN ? Node.Rel.WITHIN : Node.Rel.OVERLAPS;
                if (isPortish(l.type()) && isPortish(r.type())
                        && (l.type() == PORTS || r.type() == PORTS || l.type() instanceof Type.ListOf || r.type() instanceof Type.ListOf)) {
                    return new Node.Relation(rel, coerceOrReport(l, PORTS, ls), coerceOrReport(r, PORTS, rs), null);
                }
                Node[] u = unify(l, r, ls, rs);
                Type t = u == null ? null : (u[0].type() == ANY ? u[1].type() : u[0].type());
                if (t == Type.Prim.TOPIC || t == Type.Prim.CIDR || t == PORTS || t == ANY) return new Node.Relation(rel, u[0], u[1], null);
                mismatch(b, l, r, "`" + b.op().symbol + "` relates two topics, two CIDRs or two port sets");
                return bogus();
            }
            case CONTAINS -> {
                if (l.type() instanceof Type.ListOf lt) {
                    Node rc = r.type().equals(lt.element()) || lt.element() == ANY ? r : coerceOrReport(r, lt.element(), rs);
                    if (rc == null) { mismatch(b, l, r, "the right side must have the list's element type"); return bogus(); }
                    return new Node.Relation(Node.Rel.CONTAINS, l, rc, null);
                }
                if (l.type() == PORTS && isPortish(r.type())) return new Node.Relation(Node.Rel.CONTAINS, l, coerceOrReport(r, PORTS, rs), null);
                Node[] u = unify(l, r, ls, rs);
                Type t = u == null ? null : (u[0].type() == ANY ? u[1].type() : u[0].type());
                if (t == STRING || t == Type.Prim.TOPIC || t == Type.Prim.CIDR || t == PORTS || t == ANY) {
                    return new Node.Relation(Node.Rel.CONTAINS, u[0], u[1], null);
                }
                mismatch(b, l, r, "`contains` works on lists, strings, topics, CIDRs and port sets");
                return bogus();
            }
            case MATCHES -> {
                if (l.type() != STRING && l.type() != ANY) { mismatch(b, l, r, "`matches` tests a string against a regular expression"); return bogus(); }
                if (!(r instanceof Node.Const c && c.value() instanceof Value.Str re)) {
                    error("dsl.type_mismatch", rs, "the pattern of `matches` must be a string literal", "write the regular expression in quotes");
                    return bogus();
                }
                try {
                    return new Node.Relation(Node.Rel.MATCHES, l, r, Pattern.compile(re.v()));
                } catch (PatternSyntaxException ex) {
                    String why = ex.getDescription() == null ? "" : ex.getDescription();
                    error("dsl.bad_regex", rs, "invalid regular expression `" + re.v() + "`",
                            why.isEmpty() ? "" : Character.toLowerCase(why.charAt(0)) + why.substring(1));
                    return bogus();
                }
            }
        }
        return bogus();
    }

    /** The placeholder a sub-expression becomes after its error was reported. */
    private static boolean failed(Node n) { return n instanceof Node.Const c && c.type() == ANY && c.value() instanceof Value.Null; }

    private static boolean isPortish(Type t) {
        return t == PORTS || t == INT || t.equals(Type.listOf(INT)) || t.equals(Type.listOf(PORTS)) || t == ANY;
    }

    private void mismatch(Expr.Binary b, Node l, Node r, String help) {
        // a param whose default is a plain string stays a string: say how to give it the type the other side has
        Node.Param p = l instanceof Node.Param lp && lp.type() == STRING && Literals.stringConvertible(r.type()) ? lp
                : r instanceof Node.Param rp && rp.type() == STRING && Literals.stringConvertible(l.type()) ? rp : null;
        if (p != null) {
            String name = p.key().substring(p.key().lastIndexOf('.') + 1);
            Type other = p == l ? r.type() : l.type();
            help = "param `" + name + "` is a `string`; declare its type to convert it: `param " + name + ": " + other.display() + " = ...`";
        }
        error("dsl.type_mismatch", b.opSpan(), "`" + b.op().symbol + "` cannot relate `" + l.type().display() + "` and `" + r.type().display() + "`", help);
    }

    private static Node bogus() { return new Node.Const(new Value.Null(Origin.NONE), BOOL); }

    private Node is(Expr.Is x, Scope s) {
        Node n = check(x.operand(), s);
        Type t = n.type();
        Node.Test test;
        switch (x.test()) {
            case "set" -> test = Node.Test.SET;
            case "defaulted" -> test = Node.Test.DEFAULTED;
            case "empty" -> {
                test = Node.Test.EMPTY;
                if (!(t instanceof Type.ListOf) && t != STRING && t != ANY) isMismatch(x, t, "a list or a string");
            }
            case "internet", "loopback", "private" -> {
                test = Node.Test.valueOf(x.test().toUpperCase());
                if (t == STRING && n instanceof Node.Const) n = coerceOrReport(n, Type.Prim.CIDR, x.operand().span());
                else if (t != Type.Prim.CIDR && t != ANY) isMismatch(x, t, "a CIDR");
            }
            case "wildcard" -> {
                test = Node.Test.WILDCARD;
                if (t != Type.Prim.TOPIC && t != ANY) isMismatch(x, t, "a topic");
            }
            default -> {
                List<String> tests = List.of("defaulted", "empty", "internet", "loopback", "private", "set", "wildcard");
                String help = Names.didYouMean(x.test(), tests);
                error("dsl.unknown_test", x.testSpan(), "unknown test `is " + x.test() + "`", help.isEmpty() ? "tests: " + String.join(", ", tests) : help);
                return bogus();
            }
        }
        return new Node.Is(test, x.negated(), n);
    }

    private void isMismatch(Expr.Is x, Type t, String what) {
        error("dsl.type_mismatch", x.testSpan(), "`is " + x.test() + "` applies to " + what + ", found `" + t.display() + "`", "");
    }

    private Node quant(Expr.Quant q, Scope s) {
        Node src = check(q.source(), s);
        Type elem = elementType(src, q.source().span());
        Scope inner = new Scope(s);
        Node.Local l = newLocal(q.var(), elem);
        inner.bind(l);
        Node where = q.where().map(w -> condition(w, inner, "a `where` filter")).orElse(null);
        Node body = condition(q.body(), inner, "the body of `" + q.kind().name().toLowerCase() + "`");
        return new Node.Quant(Node.Quantifier.valueOf(q.kind().name()), l.slot(), src, where, body);
    }

    private Node count(Expr.Count c, Scope s) {
        Node src = check(c.source(), s);
        Type elem = elementType(src, c.source().span());
        Scope inner = new Scope(s);
        Node.Local l = newLocal(c.var(), elem);
        inner.bind(l);
        Node where = c.where().map(w -> condition(w, inner, "a `where` filter")).orElse(null);
        return new Node.Count(l.slot(), src, where);
    }

    /** The element type of an iterable node, reporting when it is not a list. */
    public Type elementType(Node src, Span at) {
        if (src.type() instanceof Type.ListOf lt) return lt.element();
        if (src.type() != ANY) {
            error("dsl.not_iterable", at, "cannot iterate over `" + src.type().display() + "`", "iterate over a list, e.g. `broker.listeners`");
        }
        return ANY;
    }

    /** Parses a size for use by callers (e.g. param overrides). */
    static ByteSize size(String s) { return ByteSize.parse(s); }

    static Cidr cidr(String s) { return Cidr.parse(s); }
}
