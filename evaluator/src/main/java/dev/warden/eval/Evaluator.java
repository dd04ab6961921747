package dev.warden.eval;

import dev.warden.dsl.ir.CompiledControl;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.dsl.ir.Node;
import dev.warden.dsl.ir.ParamInfo;
import dev.warden.dsl.ir.Step;
import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluator facade: runs every control of a compiled policy set over a fact set and returns one finding per
 * (control, resource). Thread-safe; a compiled set can be evaluated concurrently over many fact sets.
 */
public final class Evaluator {
    private Evaluator() {}

    /** Evaluates with the params baked into the compiled set. */
    public static List<Finding> evaluate(CompiledPolicySet set, FactSet facts) {
        return evaluate(set, facts, Map.of());
    }

    /** Evaluates with some params replaced (keys are {@code package.name}); used by policy tests. */
    public static List<Finding> evaluate(CompiledPolicySet set, FactSet facts, Map<String, Value> overrides) {
        Map<String, Value> params = new HashMap<>();
        for (ParamInfo p : set.params().values()) params.put(p.key(), p.value());
        params.putAll(overrides);
        List<Finding> out = new ArrayList<>();
        if (facts.targets("authz").isEmpty()) facts = facts.merge(dev.warden.eval.authz.AuthzFacts.of(set));
        for (CompiledControl c : set.controls()) out.addAll(evaluate(c, facts, params));
        return out;
    }

    /** The report metadata of each control. */
    public static List<ControlInfo> controls(CompiledPolicySet set) {
        return set.controls().stream().map(c -> new ControlInfo(c.id(), c.title(), c.severity(), c.tags(), c.description(),
                c.remediation(), c.references(), c.packageName(), c.location())).toList();
    }

    static List<Finding> evaluate(CompiledControl c, FactSet facts, Map<String, Value> params) {
        List<Finding> out = new ArrayList<>();
        List<Map<String, Value>> targets = new ArrayList<>();
        targets.add(new LinkedHashMap<>());
        for (String root : c.roots()) {
            List<Value> vs = facts.targets(root);
            if (vs.isEmpty()) {
                out.add(finding(c, Status.NOT_APPLICABLE, "-", "-", "no `" + root + "` in scope: nothing to check", Origin.NONE, List.of()));
                return out;
            }
            List<Map<String, Value>> next = new ArrayList<>();
            for (Map<String, Value> t : targets) for (Value v : vs) {
                Map<String, Value> m = new LinkedHashMap<>(t);
                m.put(root, v);
                next.add(m);
            }
            targets = next;
        }
        for (Map<String, Value> roots : targets) {
            String target = roots.isEmpty() ? "-" : String.join(" × ", roots.values().stream().map(Value::display).toList());
            Origin targetOrigin = roots.values().stream().map(Value::origin).findFirst().orElse(Origin.NONE);
            Run run = new Run(c, new Interpreter(params, roots, c.slots()), target, out);
            try {
                run.steps(0, target, targetOrigin);
            } catch (RuntimeException e) {
                out.add(finding(c, Status.UNKNOWN, target, target, "internal error while evaluating: " + e, targetOrigin,
                        List.of("please report this as a Warden bug")));
            }
        }
        return out;
    }

    static Finding finding(CompiledControl c, Status s, String target, String resource, String msg, Origin at, List<String> details) {
        return new Finding(c.id(), c.title(), c.severity(), s, target, resource, msg, at, details);
    }

    /** One walk over a control's steps for one target. */
    private static final class Run {
        final CompiledControl c;
        final Interpreter in;
        final String target;
        final List<Finding> out;

        Run(CompiledControl c, Interpreter in, String target, List<Finding> out) {
            this.c = c;
            this.in = in;
            this.target = target;
            this.out = out;
        }

        void steps(int i, String resource, Origin resourceOrigin) {
            List<Step> steps = c.steps();
            for (; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (s instanceof Step.For f) {
                    Value src = in.eval(f.source());
                    if (src instanceof Value.Unknown u) {
                        out.add(finding(c, Status.UNKNOWN, target, resource, "cannot list `" + f.sourceText() + "`: " + u.reason(), locate(u.origin(), resourceOrigin), List.of()));
                        return;
                    }
                    List<Value> items = src instanceof Value.Items it ? it.items() : List.of();
                    int emitted = out.size();
                    boolean any = false;
                    for (Value e : items) {
                        String id = e.display();
                        if (e instanceof Value.Unknown u) {
                            out.add(finding(c, Status.UNKNOWN, target, resource + " / ?", "an element of `" + f.sourceText() + "` is unknown: " + u.reason(), locate(u.origin(), resourceOrigin), List.of()));
                            any = true;
                            continue;
                        }
                        in.bind(f.slot(), e);
                        if (f.where() != null) {
                            Value w = in.eval(f.where());
                            if (w instanceof Value.Unknown u) {
                                out.add(finding(c, Status.UNKNOWN, target, id, "cannot tell whether the control applies: " + u.reason(), locate(u.origin(), e.origin()), List.of()));
                                any = true;
                                continue;
                            }
                            if (!((Value.Bool) w).v()) continue;
                        }
                        any = true;
                        steps(i + 1, id, e.origin().kind() == Origin.Kind.NONE ? resourceOrigin : e.origin());
                    }
                    if (!any && out.size() == emitted) {
                        out.add(finding(c, Status.NOT_APPLICABLE, target, resource, "nothing to check: `" + f.sourceText() + "` has no matching element", resourceOrigin, List.of()));
                    }
                    return;
                } else if (s instanceof Step.When w) {
                    Value g = in.eval(w.guard());
                    if (g instanceof Value.Unknown u) {
                        out.add(finding(c, Status.UNKNOWN, target, resource, "cannot tell whether the control applies (`" + w.sourceText() + "`): " + u.reason(), locate(u.origin(), resourceOrigin), List.of()));
                        return;
                    }
                    if (!((Value.Bool) g).v()) {
                        out.add(finding(c, Status.NOT_APPLICABLE, target, resource, "does not apply: `" + w.sourceText() + "` is false", locate(g.origin(), resourceOrigin), List.of()));
                        return;
                    }
                } else if (s instanceof Step.Let l) {
                    in.bind(l.slot(), in.eval(l.value()));
                }
            }
            leaf(resource, resourceOrigin);
        }

        /** Evaluates every check at the innermost binding and emits one finding. */
        void leaf(String resource, Origin resourceOrigin) {
            List<String> failures = new ArrayList<>(), unknowns = new ArrayList<>();
            Origin failAt = null, unknownAt = null;
            for (Step s : c.steps()) {
                if (!(s instanceof Step.Check k)) continue;
                Value v = in.eval(k.condition());
                if (v instanceof Value.Unknown u) {
                    unknowns.add("cannot evaluate `" + k.sourceText() + "`: " + u.reason());
                    if (unknownAt == null) unknownAt = u.origin();
                    continue;
                }
                Value.Bool b = (Value.Bool) v;
                if (b.v() == k.forbid()) {
                    failures.add(k.message() != null ? render(k.message())
                            : (k.forbid() ? "forbidden condition holds: `" : "requirement not met: `") + k.sourceText() + "`");
                    if (failAt == null) failAt = b.origin();
                }
            }
            if (!failures.isEmpty()) {
                List<String> details = new ArrayList<>(failures.subList(1, failures.size()));
                details.addAll(unknowns);
                out.add(finding(c, Status.FAIL, target, resource, failures.get(0), locate(failAt, resourceOrigin), details));
            } else if (!unknowns.isEmpty()) {
                out.add(finding(c, Status.UNKNOWN, target, resource, unknowns.get(0), locate(unknownAt, resourceOrigin), unknowns.subList(1, unknowns.size())));
            } else {
                out.add(finding(c, Status.PASS, target, resource, "ok", resourceOrigin, List.of()));
            }
        }

        String render(Step.Message m) {
            StringBuilder b = new StringBuilder();
            for (Node n : m.parts()) {
                Value v = in.eval(n);
                b.append(v.display());
            }
            return b.toString();
        }
    }

    /** The decisive fact's line when it has one; else the resource's; else whatever is most specific. */
    static Origin locate(Origin decisive, Origin resource) {
        if (decisive != null && decisive.hasLine()) return decisive;
        if (resource != null && resource.hasLine()) return resource;
        if (decisive == null) return resource == null ? Origin.NONE : resource;
        return Interpreter.best(resource == null ? Origin.NONE : resource, decisive);
    }
}
