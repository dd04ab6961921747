package dev.warden.eval;

import dev.warden.dsl.check.Literals;
import dev.warden.dsl.ir.Node;
import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.types.Cidr;
import dev.warden.model.types.PortSet;
import dev.warden.model.types.TopicFilter;
import dev.warden.model.types.Version;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates IR nodes over fact values with Kleene logic. Booleans come back as {@link Value.Bool} whose origin is
 * the fact that decided the result; anything that depends on missing data comes back as {@link Value.Unknown}.
 */
final class Interpreter {
    private final Map<String, Value> params;
    private final Map<String, Value> roots;
    private final Value[] slots;

    Interpreter(Map<String, Value> params, Map<String, Value> roots, int slots) {
        this.params = params;
        this.roots = roots;
        this.slots = new Value[Math.max(slots, 1)];
    }

    void bind(int slot, Value v) { slots[slot] = v; }

    // ------------------------------------------------------------------ origins

    static int rank(Origin o) {
        return switch (o.kind()) {
            case FILE -> o.line() > 0 ? 5 : 4;
            case API -> 3;
            case DEFAULT -> 2;
            case DERIVED -> 1;
            case NONE -> 0;
        };
    }

    static Origin best(Origin a, Origin b) { return rank(b) > rank(a) ? b : a; }

    private static Value.Bool bool(boolean v, Origin o) { return new Value.Bool(v, o); }

    private static Value unknown(Value a, Value b) {
        if (a instanceof Value.Unknown) return a;
        return b;
    }

    // ------------------------------------------------------------------ eval

    Value eval(Node n) {
        if (n instanceof Node.Const c) return c.value();
        if (n instanceof Node.Param p) {
            Value v = params.get(p.key());
            return v != null ? v : new Value.Unknown("param `" + p.key() + "` has no value", Origin.NONE);
        }
        if (n instanceof Node.Root r) {
            Value v = roots.get(r.name());
            return v != null ? v : new Value.Unknown("no `" + r.name() + "` facts were collected", Origin.NONE);
        }
        if (n instanceof Node.Local l) return slots[l.slot()];
        if (n instanceof Node.Field f) return field(eval(f.target()), f.name());
        if (n instanceof Node.ListOf l) {
            Value[] items = new Value[l.items().size()];
            for (int i = 0; i < items.length; i++) items[i] = eval(l.items().get(i));
            return new Value.Items(List.of(items), Origin.NONE);
        }
        if (n instanceof Node.Call c) return call(c);
        if (n instanceof Node.Convert c) return convert(c);
        if (n instanceof Node.Not x) {
            Value v = eval(x.operand());
            return v instanceof Value.Bool b ? bool(!b.v(), b.origin()) : v;
        }
        if (n instanceof Node.Logic l) return logic(l);
        if (n instanceof Node.Compare c) return compare(c);
        if (n instanceof Node.Relation r) return relation(r);
        if (n instanceof Node.Is i) return is(i);
        if (n instanceof Node.Quant q) return quant(q);
        return count((Node.Count) n);
    }

    private static Value field(Value target, String name) {
        if (target instanceof Value.Obj o) return o.get(name);
        if (target instanceof Value.Null nl) return new Value.Null(nl.origin());
        if (target instanceof Value.Unknown) return target;
        return new Value.Unknown("cannot read `" + name + "` of " + target.display(), target.origin());
    }

    private Value logic(Node.Logic l) {
        Value a = eval(l.left());
        if (a instanceof Value.Bool ab && ab.v() != l.and()) return ab; // short circuit: false-and / true-or
        Value b = eval(l.right());
        if (b instanceof Value.Bool bb && bb.v() != l.and()) return bb;
        if (a instanceof Value.Unknown) return a;
        if (b instanceof Value.Unknown) return b;
        if (!(a instanceof Value.Bool ab2) || !(b instanceof Value.Bool bb2)) {
            return new Value.Unknown("not a condition", Origin.NONE);
        }
        return bool(l.and(), best(ab2.origin(), bb2.origin()));
    }

    private Value compare(Node.Compare c) {
        Value a = eval(c.left()), b = eval(c.right());
        if (a instanceof Value.Unknown || b instanceof Value.Unknown) return unknown(a, b);
        Origin o = best(a.origin(), b.origin());
        boolean an = a instanceof Value.Null, bn = b instanceof Value.Null;
        if (an || bn) {
            return switch (c.op()) {
                case EQ -> bool(an && bn, o);
                case NE -> bool(!(an && bn), o);
                default -> bool(false, o);
            };
        }
        if (c.op() == Node.Op.EQ) return bool(same(a, b), o);
        if (c.op() == Node.Op.NE) return bool(!same(a, b), o);
        int k = order(a, b);
        boolean r = switch (c.op()) {
            case LT -> k < 0;
            case LE -> k <= 0;
            case GT -> k > 0;
            default -> k >= 0;
        };
        return bool(r, o);
    }

    /** Value equality, ignoring origins. */
    static boolean same(Value a, Value b) {
        if (a instanceof Value.Str x && b instanceof Value.Str y) return x.v().equals(y.v());
        if (a instanceof Value.Int x && b instanceof Value.Int y) return x.v() == y.v();
        if (a instanceof Value.Bool x && b instanceof Value.Bool y) return x.v() == y.v();
        if (a instanceof Value.Size x && b instanceof Value.Size y) return x.v().equals(y.v());
        if (a instanceof Value.Dur x && b instanceof Value.Dur y) return x.v().equals(y.v());
        if (a instanceof Value.Ver x && b instanceof Value.Ver y) return x.v().compareTo(y.v()) == 0;
        if (a instanceof Value.Net x && b instanceof Value.Net y) return x.v().equals(y.v());
        if (a instanceof Value.Ports x && b instanceof Value.Ports y) return x.v().equals(y.v());
        if (a instanceof Value.Topic x && b instanceof Value.Topic y) return x.v().equals(y.v());
        if (a instanceof Value.Obj x && b instanceof Value.Obj y) return x.id().equals(y.id()) && x.type().equals(y.type());
        if (a instanceof Value.Null && b instanceof Value.Null) return true;
        if (a instanceof Value.Items x && b instanceof Value.Items y) {
            if (x.items().size() != y.items().size()) return false;
            for (int i = 0; i < x.items().size(); i++) if (!same(x.items().get(i), y.items().get(i))) return false;
            return true;
        }
        return false;
    }

    private static int order(Value a, Value b) {
        if (a instanceof Value.Int x && b instanceof Value.Int y) return Long.compare(x.v(), y.v());
        if (a instanceof Value.Size x && b instanceof Value.Size y) return x.v().compareTo(y.v());
        if (a instanceof Value.Dur x && b instanceof Value.Dur y) return x.v().compareTo(y.v());
        if (a instanceof Value.Ver x && b instanceof Value.Ver y) return x.v().compareTo(y.v());
        if (a instanceof Value.Str x && b instanceof Value.Str y) return x.v().compareTo(y.v());
        throw new IllegalStateException("cannot order " + a + " and " + b);
    }

    private Value relation(Node.Relation r) {
        Value a = eval(r.left()), b = eval(r.right());
        if (a instanceof Value.Unknown || b instanceof Value.Unknown) return unknown(a, b);
        Origin o = best(a.origin(), b.origin());
        if (r.rel() == Node.Rel.IN || r.rel() == Node.Rel.NOT_IN) {
            boolean in = contains(b, a);
            if (b instanceof Value.Items items) {
                for (Value e : items.items()) if (e instanceof Value.Unknown u && !in) return u;
            }
            return bool(r.rel() == Node.Rel.IN ? in : !in, o);
        }
        if (a instanceof Value.Null || b instanceof Value.Null) return bool(false, o);
        return switch (r.rel()) {
            case CONTAINS -> {
                if (a instanceof Value.Items items) {
                    for (Value e : items.items()) if (e instanceof Value.Unknown u && !contains(a, b)) yield u;
                }
                yield bool(contains(a, b), o);
            }
            case WITHIN -> bool(within(a, b), o);
            case OVERLAPS -> bool(overlaps(a, b), o);
            case MATCHES -> bool(r.regex().matcher(((Value.Str) a).v()).find(), o);
            default -> throw new IllegalStateException(r.rel().name());
        };
    }

    private static boolean contains(Value container, Value x) {
        if (container instanceof Value.Items items) {
            for (Value e : items.items()) if (same(e, x)) return true;
            return false;
        }
        if (container instanceof Value.Ports p) {
            if (x instanceof Value.Int i) return p.v().contains((int) i.v());
            if (x instanceof Value.Ports q) return p.v().containsAll(q.v());
        }
        if (container instanceof Value.Str s && x instanceof Value.Str t) return s.v().contains(t.v());
        if (container instanceof Value.Net n && x instanceof Value.Net m) return n.v().contains(m.v());
        if (container instanceof Value.Topic t && x instanceof Value.Topic u) return within(u, t);
        return false;
    }

    private static Map<String, String> bindings(Value a, Value b) {
        Map<String, String> m = new HashMap<>();
        if (b instanceof Value.Topic tb) m.putAll(tb.bindings());
        if (a instanceof Value.Topic ta) m.putAll(ta.bindings());
        return m;
    }

    private static boolean within(Value a, Value b) {
        if (a instanceof Value.Topic x && b instanceof Value.Topic y) {
            Map<String, String> m = bindings(a, b);
            return x.v().substitute(m).within(y.v().substitute(m));
        }
        if (a instanceof Value.Net x && b instanceof Value.Net y) return y.v().contains(x.v());
        if (a instanceof Value.Ports x && b instanceof Value.Ports y) return y.v().containsAll(x.v());
        throw new IllegalStateException("within on " + a + ", " + b);
    }

    private static boolean overlaps(Value a, Value b) {
        if (a instanceof Value.Topic x && b instanceof Value.Topic y) {
            Map<String, String> m = bindings(a, b);
            return x.v().substitute(m).overlaps(y.v().substitute(m));
        }
        if (a instanceof Value.Net x && b instanceof Value.Net y) return x.v().overlaps(y.v());
        if (a instanceof Value.Ports x && b instanceof Value.Ports y) return x.v().overlaps(y.v());
        throw new IllegalStateException("overlaps on " + a + ", " + b);
    }

    private Value is(Node.Is i) {
        Value v = eval(i.operand());
        if (v instanceof Value.Unknown) return v;
        boolean r = switch (i.test()) {
            case SET -> !(v instanceof Value.Null);
            case DEFAULTED -> v.origin().kind() == Origin.Kind.DEFAULT;
            case EMPTY -> v instanceof Value.Null || (v instanceof Value.Items items && items.items().isEmpty())
                    || (v instanceof Value.Str s && s.v().isEmpty());
            case INTERNET -> v instanceof Value.Net n && n.v().isInternet();
            case LOOPBACK -> v instanceof Value.Net n && n.v().isLoopback();
            case PRIVATE -> v instanceof Value.Net n && n.v().isNonPublic();
            case WILDCARD -> v instanceof Value.Topic t && t.v().hasWildcard();
        };
        return bool(i.negated() != r, v.origin());
    }

    private Value quant(Node.Quant q) {
        Value src = eval(q.source());
        if (src instanceof Value.Unknown) return src;
        if (src instanceof Value.Null) return bool(q.kind() != Node.Quantifier.ANY, src.origin());
        List<Value> items = ((Value.Items) src).items();
        Value firstUnknown = null;
        for (Value e : items) {
            if (e instanceof Value.Unknown) { if (firstUnknown == null) firstUnknown = e; continue; }
            slots[q.slot()] = e;
            if (q.where() != null) {
                Value w = eval(q.where());
                if (w instanceof Value.Unknown) { if (firstUnknown == null) firstUnknown = w; continue; }
                if (!((Value.Bool) w).v()) continue;
            }
            Value b = eval(q.body());
            if (b instanceof Value.Unknown) { if (firstUnknown == null) firstUnknown = b; continue; }
            boolean t = ((Value.Bool) b).v();
            Origin o = best(b.origin(), e.origin());
            switch (q.kind()) {
                case ANY -> { if (t) return bool(true, o); }
                case ALL -> { if (!t) return bool(false, o); }
                case NONE -> { if (t) return bool(false, o); }
            }
        }
        if (firstUnknown != null) return firstUnknown;
        return bool(q.kind() != Node.Quantifier.ANY, src.origin());
    }

    private Value count(Node.Count c) {
        Value src = eval(c.source());
        if (src instanceof Value.Unknown) return src;
        if (src instanceof Value.Null) return new Value.Int(0, src.origin());
        long n = 0;
        for (Value e : ((Value.Items) src).items()) {
            if (e instanceof Value.Unknown) return e;
            if (c.where() != null) {
                slots[c.slot()] = e;
                Value w = eval(c.where());
                if (w instanceof Value.Unknown) return w;
                if (!((Value.Bool) w).v()) continue;
            }
            n++;
        }
        return new Value.Int(n, src.origin());
    }

    private Value call(Node.Call c) {
        Value a = eval(c.args().get(0));
        if (a instanceof Value.Unknown) return a;
        Value b = c.args().size() > 1 ? eval(c.args().get(1)) : null;
        if (b instanceof Value.Unknown) return b;
        Origin o = a.origin();
        if (a instanceof Value.Null || b instanceof Value.Null) {
            return c.fn() == Node.Builtin.LEN ? new Value.Int(0, o) : c.type() == dev.warden.model.schema.Type.Prim.BOOL ? bool(false, o) : new Value.Null(o);
        }
        return switch (c.fn()) {
            case LEN -> new Value.Int(a instanceof Value.Items i ? i.items().size() : ((Value.Str) a).v().length(), o);
            case LOWER -> new Value.Str(((Value.Str) a).v().toLowerCase(Locale.ROOT), o);
            case UPPER -> new Value.Str(((Value.Str) a).v().toUpperCase(Locale.ROOT), o);
            case STARTS_WITH -> bool(((Value.Str) a).v().startsWith(((Value.Str) b).v()), o);
            case ENDS_WITH -> bool(((Value.Str) a).v().endsWith(((Value.Str) b).v()), o);
            case LEVEL -> level((Value.Topic) a, ((Value.Int) b).v());
            case VARIABLES -> new Value.Items(((Value.Topic) a).v().variables().stream().map(v -> (Value) new Value.Str(v, o)).toList(), o);
        };
    }

    /** The n-th level (0-based) of a filter as written ({@code +}, {@code #} or text); not set past the end. */
    private static Value level(Value.Topic t, long n) {
        List<TopicFilter.Level> levels = t.v().levels();
        if (n < 0 || n >= levels.size()) return new Value.Null(t.origin());
        return new Value.Str(levels.get((int) n).toString(), t.origin());
    }

    private Value convert(Node.Convert c) {
        Value v = eval(c.operand());
        if (v instanceof Value.Unknown || v instanceof Value.Null) return v;
        try {
            return switch (c.conversion()) {
                case TO_PORTS -> new Value.Ports(v instanceof Value.Str s ? PortSet.parse(s.v()) : Literals.toPorts(v), v.origin());
                case TO_VERSION -> new Value.Ver(Version.parse(((Value.Str) v).v()), v.origin());
                case TO_TOPIC -> new Value.Topic(TopicFilter.parse(((Value.Str) v).v()), v.origin());
                case TO_CIDR -> new Value.Net(Cidr.parse(((Value.Str) v).v()), v.origin());
            };
        } catch (IllegalArgumentException e) {
            return new Value.Unknown(e.getMessage(), v.origin());
        }
    }
}
