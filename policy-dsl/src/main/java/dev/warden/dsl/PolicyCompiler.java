package dev.warden.dsl;

import dev.warden.dsl.ast.ControlItem;
import dev.warden.dsl.ast.Decl;
import dev.warden.dsl.ast.Expr;
import dev.warden.dsl.ast.PolicyFile;
import dev.warden.dsl.ast.Span;
import dev.warden.dsl.ast.Template;
import dev.warden.dsl.ast.TestItem;
import dev.warden.dsl.check.ExprChecker;
import dev.warden.dsl.check.Literals;
import dev.warden.dsl.check.Names;
import dev.warden.dsl.ir.CompiledControl;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.dsl.ir.CompiledTest;
import dev.warden.dsl.ir.Node;
import dev.warden.dsl.ir.ParamInfo;
import dev.warden.dsl.ir.Step;
import dev.warden.dsl.parse.ParseResult;
import dev.warden.dsl.parse.PolicyParser;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.Severity;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.Schema;
import dev.warden.model.schema.Type;
import dev.warden.model.schema.WardenSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The policy-dsl facade: compiles policy sources into an immutable {@link CompiledPolicySet} through named,
 * ordered passes. User errors come back as diagnostics; nothing here throws for bad input.
 */
public final class PolicyCompiler {
    private PolicyCompiler() {}

    /** One policy file's text. */
    public record Source(String path, String text) {}

    /**
     * Compile options: the fact schema, {@code --param} overrides ({@code name} or {@code package.name} to text),
     * and the fact sources tests may use in {@code given} (null accepts any).
     */
    public record Options(Schema schema, Map<String, String> paramOverrides, Set<String> factSources) {
        public Options {
            paramOverrides = Map.copyOf(paramOverrides);
            factSources = factSources == null ? null : Set.copyOf(factSources);
        }

        public static Options defaults() { return new Options(WardenSchema.SCHEMA, Map.of(), null); }

        public Options withParams(Map<String, String> p) { return new Options(schema, p, factSources); }

        public Options withFactSources(Set<String> s) { return new Options(schema, paramOverrides, s); }
    }

    /** The compiled set (absent when any error was reported) and every diagnostic, sorted. */
    public record Result(Optional<CompiledPolicySet> policySet, List<Diagnostic> diagnostics) {
        public Result { diagnostics = List.copyOf(diagnostics); }

        public boolean ok() { return policySet.isPresent(); }

        public List<Diagnostic> errors() { return diagnostics.stream().filter(Diagnostic::isError).toList(); }
    }

    /** A named pass over the compilation state. */
    private record Pass(String name, Consumer<State> run) {}

    private static final List<Pass> PASSES = List.of(
            new Pass("parse", PolicyCompiler::parse),
            new Pass("declare", PolicyCompiler::declare),
            new Pass("params", PolicyCompiler::params),
            new Pass("controls", PolicyCompiler::controls),
            new Pass("authorize", AuthzCompiler::compile),
            new Pass("tests", PolicyCompiler::tests));

    /** Names of the passes, in the order they run. */
    public static List<String> passes() { return PASSES.stream().map(Pass::name).toList(); }

    /** Compiles the sources. */
    public static Result compile(List<Source> sources, Options options) {
        State st = new State(sources, options);
        for (Pass p : PASSES) {
            try {
                p.run().accept(st);
            } catch (StackOverflowError e) {
                // the checker recurses over the expression tree; a parseable but absurdly deep tree ends here
                String file = sources.isEmpty() ? "" : sources.get(0).path();
                st.diags.add(Diagnostic.error("dsl.too_deep", Origin.file(file, 1, 1), "the policy nests too deeply to check",
                        "split long `and`/`or` chains and field paths into `let` bindings or several `require` clauses"));
                break;
            }
        }
        List<Diagnostic> d = new ArrayList<>(st.diags);
        d.sort(Diagnostic.ORDER);
        boolean failed = d.stream().anyMatch(Diagnostic::isError);
        if (failed) return new Result(Optional.empty(), d);
        List<String> files = sources.stream().map(Source::path).toList();
        return new Result(Optional.of(new CompiledPolicySet(st.compiled, st.allParams, st.tests, files, st.authorizations)), d);
    }

    /** Compiles one source with default options. */
    public static Result compile(Source source) { return compile(List.of(source), Options.defaults()); }

    // ------------------------------------------------------------------ state

    static final class State {
        final List<Source> sources;
        final Options opts;
        final List<Diagnostic> diags = new ArrayList<>();
        final List<Unit> units = new ArrayList<>();
        final Map<String, Decl.Control> controlsById = new LinkedHashMap<>();
        final Map<String, ParamInfo> allParams = new LinkedHashMap<>();
        final List<CompiledControl> compiled = new ArrayList<>();
        final List<CompiledTest> tests = new ArrayList<>();
        final List<dev.warden.dsl.ir.AuthzPolicy> authorizations = new ArrayList<>();

        State(List<Source> sources, Options opts) {
            this.sources = sources;
            this.opts = opts;
        }

        void error(String code, Span at, String msg, String help) {
            diags.add(new Diagnostic(Diagnostic.Level.ERROR, code, at.origin(), at.length(), msg, help));
        }

        void warn(String code, Span at, String msg, String help) {
            diags.add(new Diagnostic(Diagnostic.Level.WARNING, code, at.origin(), at.length(), msg, help));
        }
    }

    /** One parsed file and its params by name. */
    static final class Unit {
        final Source source;
        final PolicyFile ast;
        final String pkg;
        final Map<String, ParamInfo> params = new LinkedHashMap<>();
        final String[] lines;

        Unit(Source source, PolicyFile ast) {
            this.source = source;
            this.ast = ast;
            this.pkg = ast.packageName().orElseGet(() -> stem(source.path()));
            this.lines = source.text().split("\r?\n", -1);
        }

        String text(Span s) {
            if (s.line() <= 0 || s.line() > lines.length) return "";
            if (s.line() == s.endLine()) {
                String l = lines[s.line() - 1];
                int a = Math.min(l.length(), Math.max(0, s.column() - 1)), b = Math.min(l.length(), Math.max(a, s.endColumn() - 1));
                return l.substring(a, b);
            }
            StringBuilder b = new StringBuilder(lines[s.line() - 1].substring(Math.min(lines[s.line() - 1].length(), Math.max(0, s.column() - 1))));
            for (int i = s.line(); i < Math.min(s.endLine(), lines.length); i++) {
                String l = lines[i];
                b.append(' ').append(i == s.endLine() - 1 ? l.substring(0, Math.min(l.length(), Math.max(0, s.endColumn() - 1))).strip() : l.strip());
            }
            return b.toString();
        }

        private static String stem(String path) {
            String n = path.replace('\\', '/');
            n = n.substring(n.lastIndexOf('/') + 1);
            int dot = n.lastIndexOf('.');
            return dot > 0 ? n.substring(0, dot) : n;
        }
    }

    // ------------------------------------------------------------------ passes

    private static void parse(State st) {
        for (Source s : st.sources) {
            ParseResult r = PolicyParser.parse(s.path(), s.text());
            st.diags.addAll(r.diagnostics());
            r.file().ifPresent(f -> st.units.add(new Unit(s, f)));
        }
    }

    private static void declare(State st) {
        for (Unit u : st.units) {
            for (Decl.Control c : u.ast.controls()) {
                Decl.Control prev = st.controlsById.putIfAbsent(c.id(), c);
                if (prev != null) {
                    st.error("dsl.duplicate_control", c.idSpan(), "control `" + c.id() + "` is declared twice",
                            "the first declaration is at " + prev.idSpan());
                }
            }
        }
    }

    private static void params(State st) {
        Set<String> overridden = new LinkedHashSet<>();
        for (Unit u : st.units) {
            ExprChecker constants = new ExprChecker(st.opts.schema(), Map.of(), st.diags);
            for (Decl.Param p : u.ast.params()) {
                if (u.params.containsKey(p.name())) {
                    st.error("dsl.duplicate_param", p.nameSpan(), "param `" + p.name() + "` is declared twice",
                            "the first declaration is at " + u.params.get(p.name()).location().display());
                    continue;
                }
                Type declared = p.type().map(t -> typeOf(st, t)).orElse(null);
                Value v = constantValue(st, constants, p.defaultValue(), declared, "the default of param `" + p.name() + "`");
                if (v == null) {
                    // reported; declare the param anyway so that its uses do not cascade into `unknown name` errors
                    u.params.put(p.name(), new ParamInfo(u.pkg + "." + p.name(), p.name(), u.pkg, declared != null ? declared : Type.Prim.ANY,
                            new Value.Null(Origin.NONE), false, p.doc(), p.nameSpan().origin()));
                    continue;
                }
                Type t = declared != null ? declared : inferred(v);
                String key = u.pkg + "." + p.name();
                String raw = st.opts.paramOverrides().get(key);
                if (raw == null) raw = st.opts.paramOverrides().get(p.name());
                boolean over = raw != null;
                if (over) {
                    if (st.opts.paramOverrides().containsKey(key)) overridden.add(key);
                    if (st.opts.paramOverrides().containsKey(p.name())) overridden.add(p.name());
                    Value ov = overrideValue(st, raw, t, p);
                    if (ov == null) {
                        u.params.put(p.name(), new ParamInfo(key, p.name(), u.pkg, t, new Value.Null(Origin.NONE), true, p.doc(), p.nameSpan().origin()));
                        continue;
                    }
                    v = ov;
                }
                ParamInfo info = new ParamInfo(key, p.name(), u.pkg, t, v, over, p.doc(), p.nameSpan().origin());
                u.params.put(p.name(), info);
                st.allParams.put(key, info);
            }
        }
        for (String k : st.opts.paramOverrides().keySet()) {
            if (!overridden.contains(k)) {
                Set<String> names = new LinkedHashSet<>();
                for (ParamInfo pi : st.allParams.values()) { names.add(pi.name()); names.add(pi.key()); }
                String help = Names.didYouMean(k, names);
                st.diags.add(Diagnostic.error("dsl.unknown_param", Origin.api("command line", "--param " + k),
                        "unknown param `" + k + "`", help.isEmpty() ? "declared params: " + String.join(", ", names) : help));
            }
        }
    }

    private static Type typeOf(State st, Decl.TypeRef t) {
        if (t.name().equals("list")) {
            if (t.arg().isEmpty()) { st.error("dsl.unknown_type", t.span(), "`list` needs an element type", "write e.g. `list<int>`"); return Type.Prim.ANY; }
            return Type.listOf(typeOf(st, t.arg().get()));
        }
        for (Type.Prim p : Type.Prim.values()) if (p.display().equals(t.name()) && p != Type.Prim.NULL && p != Type.Prim.ANY) return p;
        List<String> names = new ArrayList<>(List.of("bool", "int", "string", "size", "duration", "version", "cidr", "ports", "topic", "list"));
        String help = Names.didYouMean(t.name(), names);
        st.error("dsl.unknown_type", t.span(), "unknown type `" + t.name() + "`", help.isEmpty() ? "types: " + String.join(", ", names) : help);
        return Type.Prim.ANY;
    }

    private static Type inferred(Value v) {
        if (v instanceof Value.Items items) {
            return Type.listOf(items.items().isEmpty() ? Type.Prim.ANY : inferred(items.items().get(0)));
        }
        if (v instanceof Value.Str) return Type.Prim.STRING;
        if (v instanceof Value.Int) return Type.Prim.INT;
        if (v instanceof Value.Bool) return Type.Prim.BOOL;
        if (v instanceof Value.Size) return Type.Prim.SIZE;
        if (v instanceof Value.Dur) return Type.Prim.DURATION;
        if (v instanceof Value.Ver) return Type.Prim.VERSION;
        if (v instanceof Value.Net) return Type.Prim.CIDR;
        if (v instanceof Value.Ports) return Type.Prim.PORTS;
        if (v instanceof Value.Topic) return Type.Prim.TOPIC;
        return Type.Prim.ANY;
    }

    /** Evaluates a constant expression (literals, lists, conversions of literals), or reports and returns null. */
    private static Value constantValue(State st, ExprChecker c, Expr e, Type target, String what) {
        int before = st.diags.size();
        Node n = c.check(e, new ExprChecker.Scope(null));
        if (st.diags.size() > before) return null;
        if (!c.rootsUsed().isEmpty() || !(n instanceof Node.Const)) {
            st.error("dsl.not_constant", e.span(), what + " must be a literal", "write a value such as `\"1.2\"`, `256KiB` or `[1883, 8883]`");
            return null;
        }
        if (target != null && !n.type().equals(target)) {
            Node co;
            try {
                co = c.coerce(n, target);
            } catch (RuntimeException ex) {
                st.error("dsl.bad_literal", e.span(), ex.getMessage(), "");
                return null;
            }
            if (co == null || !(co instanceof Node.Const)) {
                st.error("dsl.type_mismatch", e.span(), what + " is a `" + n.type().display() + "`, but the param is declared `" + target.display() + "`", "");
                return null;
            }
            n = co;
        }
        return ((Node.Const) n).value();
    }

    private static Value overrideValue(State st, String raw, Type t, Decl.Param p) {
        Origin at = Origin.api("command line", "--param " + p.name());
        // 1) as a policy literal (lists, sizes, ints ...)
        List<Diagnostic> scratch = new ArrayList<>();
        Span sp = new Span("--param " + p.name(), 1, 1, 1, raw.length() + 1);
        Optional<Expr> parsed = PolicyParser.parseExpression(raw, sp, scratch);
        if (parsed.isPresent() && scratch.isEmpty()) {
            List<Diagnostic> d2 = new ArrayList<>();
            ExprChecker c = new ExprChecker(st.opts.schema(), Map.of(), d2);
            Node n = c.check(parsed.get(), new ExprChecker.Scope(null));
            if (d2.isEmpty() && n instanceof Node.Const) {
                try {
                    Node co = c.coerce(n, t);
                    if (co instanceof Node.Const k) return k.value();
                } catch (RuntimeException ignored) {
                    // fall through to the string reading
                }
            }
        }
        // 2) as plain text for string-like types
        try {
            if (t == Type.Prim.STRING) return new Value.Str(raw, Origin.NONE);
            if (t instanceof Type.Prim) return Literals.fromString(raw, t, Origin.NONE);
        } catch (IllegalArgumentException ex) {
            st.diags.add(Diagnostic.error("dsl.bad_param_value", at, "value `" + raw + "` of param `" + p.name() + "` is not a "
                    + t.display() + ": " + ex.getMessage(), "param `" + p.name() + "` is declared at " + p.nameSpan()));
            return null;
        }
        st.diags.add(Diagnostic.error("dsl.bad_param_value", at, "value `" + raw + "` of param `" + p.name() + "` is not a " + t.display(),
                "write it as a policy literal, e.g. `[1883, 8883]`"));
        return null;
    }

    private static void controls(State st) {
        for (Unit u : st.units) {
            for (Decl.Control c : u.ast.controls()) {
                CompiledControl cc;
                try {
                    cc = control(st, u, c);
                } catch (StackOverflowError e) {
                    st.error("dsl.too_deep", c.idSpan(), "control `" + c.id() + "` nests too deeply to check",
                            "split long `and`/`or` chains and field paths into `let` bindings or several `require` clauses");
                    continue;
                }
                if (cc != null) st.compiled.add(cc);
            }
        }
    }

    private static CompiledControl control(State st, Unit u, Decl.Control c) {
        ExprChecker ch = new ExprChecker(st.opts.schema(), u.params, st.diags);
        ExprChecker.Scope scope = new ExprChecker.Scope(null);
        Severity severity = null;
        List<String> tags = new ArrayList<>(), refs = new ArrayList<>();
        String description = null, remediation = null;
        long errorsBefore = st.diags.stream().filter(Diagnostic::isError).count();
        List<Step> steps = new ArrayList<>();
        Map<Integer, Span> declared = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        int checks = 0;
        if (c.title().isBlank()) st.error("dsl.missing_title", c.idSpan(), "control `" + c.id() + "` has an empty title", "say in a few words what must hold");
        for (ControlItem item : c.items()) {
            String kind = item.getClass().getSimpleName().toLowerCase();
            boolean single = item instanceof ControlItem.Severity || item instanceof ControlItem.Description
                    || item instanceof ControlItem.Remediation || item instanceof ControlItem.Tags || item instanceof ControlItem.References;
            if (single && !seen.add(kind)) {
                st.error("dsl.duplicate_item", item.span(), "`" + kind + "` is given twice in control `" + c.id() + "`", "keep one");
                continue;
            }
            if (item instanceof ControlItem.Severity s) {
                severity = Severity.parse(s.name()).orElse(null);
                if (severity == null) {
                    List<String> names = List.of("info", "low", "medium", "high", "critical");
                    String help = Names.didYouMean(s.name(), names);
                    st.error("dsl.bad_severity", s.span(), "unknown severity `" + s.name() + "`", help.isEmpty() ? "use one of " + String.join(", ", names) : help);
                }
            } else if (item instanceof ControlItem.Tags t) {
                tags.addAll(t.tags());
            } else if (item instanceof ControlItem.References r) {
                refs.addAll(r.refs());
            } else if (item instanceof ControlItem.Description d) {
                description = d.text();
            } else if (item instanceof ControlItem.Remediation r) {
                remediation = r.text();
            } else if (item instanceof ControlItem.For f) {
                Node src = ch.check(f.source(), scope);
                Type elem = ch.elementType(src, f.source().span());
                if (scope.lookup(f.var()) != null) st.error("dsl.shadowed_name", f.varSpan(), "`" + f.var() + "` is already bound", "pick another name");
                ExprChecker.Scope inner = new ExprChecker.Scope(scope);
                Node.Local l = ch.newLocal(f.var(), elem);
                inner.bind(l);
                scope = inner;
                Node where = f.where().map(w -> ch.condition(w, inner, "a `where` filter")).orElse(null);
                steps.add(new Step.For(l.slot(), f.var(), src, where, u.text(f.source().span())));
                declared.put(l.slot(), f.varSpan());
            } else if (item instanceof ControlItem.When w) {
                steps.add(new Step.When(ch.condition(w.guard(), scope, "a `when` guard"), u.text(w.guard().span())));
            } else if (item instanceof ControlItem.Let l) {
                Node v = ch.check(l.value(), scope);
                ExprChecker.Scope inner = new ExprChecker.Scope(scope);
                Node.Local local = ch.newLocal(l.name(), v.type());
                inner.bind(local);
                scope = inner;
                steps.add(new Step.Let(local.slot(), l.name(), v));
                declared.put(local.slot(), l.nameSpan());
            } else if (item instanceof ControlItem.Check k) {
                checks++;
                Node cond = ch.condition(k.condition(), scope, "a `" + (k.forbid() ? "forbid" : "require") + "` clause");
                if (cond instanceof Node.Const k0 && k0.type() == Type.Prim.BOOL && k0.value() instanceof Value.Bool b) {
                    st.warn("dsl.constant_condition", k.condition().span(), "this `" + (k.forbid() ? "forbid" : "require") + "` is always "
                            + b.v() + ", so the control always " + (b.v() != k.forbid() ? "passes" : "fails"), "compare a fact, e.g. `l.tls.enabled`");
                }
                Step.Message msg = null;
                if (k.message().isPresent()) {
                    List<Node> parts = new ArrayList<>();
                    for (Template.Part p : k.message().get().parts()) {
                        if (p instanceof Template.Text t) parts.add(new Node.Const(new Value.Str(t.text(), Origin.NONE), Type.Prim.STRING));
                        else parts.add(ch.check(((Template.Hole) p).expr(), scope));
                    }
                    msg = new Step.Message(parts);
                }
                steps.add(new Step.Check(k.forbid(), cond, msg, u.text(k.condition().span()), k.span().origin()));
            }
        }
        boolean clean = checks > 0 && st.diags.stream().filter(Diagnostic::isError).count() == errorsBefore; // no lint on top of errors
        for (Map.Entry<Integer, Span> d : declared.entrySet()) {
            if (clean && !ch.used(d.getKey())) {
                String name = u.text(d.getValue());
                boolean isFor = steps.stream().anyMatch(x -> x instanceof Step.For f && f.slot() == d.getKey());
                st.warn("dsl.unused_variable", d.getValue(), "`" + name + "` is never used",
                        isFor ? "a `for` whose variable is unused checks the same thing once per element; use the variable or drop the `for`"
                              : "use it in a check, or remove the `let`");
            }
        }
        if (severity == null && !seen.contains("severity")) {
            st.error("dsl.missing_severity", c.idSpan(), "control `" + c.id() + "` has no severity",
                    "add `severity info|low|medium|high|critical`");
        }
        if (checks == 0) {
            st.error("dsl.no_check", c.idSpan(), "control `" + c.id() + "` has no `require` or `forbid` clause",
                    "a control states what must hold, e.g. `require l.tls.enabled`");
        }
        if (severity == null) return null;
        return new CompiledControl(c.id(), c.title(), severity, tags, description, remediation, refs, u.pkg, c.idSpan().origin(),
                List.copyOf(ch.rootsUsed()), ch.slots(), steps);
    }

    private static final List<String> STATUSES = List.of("pass", "fail", "unknown", "not_applicable");

    private static void tests(State st) {
        Set<String> ids = st.controlsById.keySet();
        Set<String> testNames = new LinkedHashSet<>();
        for (Unit u : st.units) {
            for (Decl.Test t : u.ast.tests()) {
                if (!testNames.add(u.pkg + "/" + t.name())) {
                    st.error("dsl.duplicate_test", t.span(), "test `" + t.name() + "` is declared twice", "give each test its own name");
                }
                List<CompiledTest.Given> given = new ArrayList<>();
                Map<String, Value> with = new LinkedHashMap<>();
                List<CompiledTest.Expectation> expects = new ArrayList<>();
                List<CompiledTest.DecisionExpectation> decisions = new ArrayList<>();
                int written = 0;
                for (TestItem item : t.items()) {
                    if (item instanceof TestItem.Given g) {
                        if (st.opts.factSources() != null && !st.opts.factSources().contains(g.source())) {
                            String help = Names.didYouMean(g.source(), st.opts.factSources());
                            st.error("dsl.unknown_fact_source", g.sourceSpan(), "unknown fact source `" + g.source() + "`",
                                    help.isEmpty() ? "sources: " + String.join(", ", st.opts.factSources()) : help);
                        }
                        List<CompiledTest.Entry> entries = g.entries().stream()
                                .map(e -> new CompiledTest.Entry(e.key(), e.args(), e.span().origin())).toList();
                        given.add(new CompiledTest.Given(g.source(), entries, g.span().origin()));
                    } else if (item instanceof TestItem.With w) {
                        ParamInfo p = u.params.get(w.param());
                        if (p == null) {
                            String help = Names.didYouMean(w.param(), u.params.keySet());
                            st.error("dsl.unknown_param", w.paramSpan(), "unknown param `" + w.param() + "`",
                                    help.isEmpty() ? "declare it with `param " + w.param() + " = ...`" : help);
                            continue;
                        }
                        Value v = constantValue(st, new ExprChecker(st.opts.schema(), Map.of(), st.diags), w.value(), p.type(),
                                "the value of param `" + w.param() + "`");
                        if (v != null) with.put(p.key(), v);
                    } else if (item instanceof TestItem.Expect e) {
                        if (!STATUSES.contains(e.status())) {
                            String help = Names.didYouMean(e.status(), STATUSES);
                            st.error("dsl.bad_expect", e.statusSpan(), "unknown expected status `" + e.status() + "`",
                                    help.isEmpty() ? "use one of " + String.join(", ", STATUSES) : help);
                        }
                        if (!ids.contains(e.controlId())) {
                            String help = Names.didYouMean(e.controlId(), ids);
                            st.error("dsl.unknown_control", e.idSpan(), "unknown control `" + e.controlId() + "`",
                                    help.isEmpty() ? "controls in this policy set: " + String.join(", ", ids) : help);
                        }
                        expects.add(new CompiledTest.Expectation(e.status(), e.controlId(), e.at(), e.count(), e.span().origin()));
                    } else if (item instanceof TestItem.ExpectDecision e) {
                        written++;
                        CompiledTest.DecisionExpectation d = AuthzCompiler.expectation(st, e);
                        if (d != null) decisions.add(d);
                    }
                }
                if (expects.isEmpty() && written == 0)
                    st.error("dsl.empty_test", t.span(), "test `" + t.name() + "` expects nothing", "add `expect fail <control>` or `expect allow publish \"<topic>\" as { id \"<client>\" }`");
                st.tests.add(new CompiledTest(t.name(), t.span().origin(), given, with, expects, decisions));
            }
        }
    }
}
