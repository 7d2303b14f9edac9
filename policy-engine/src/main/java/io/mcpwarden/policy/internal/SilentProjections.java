package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.facts.Subject;
import org.drools.base.base.ClassObjectType;
import org.drools.base.base.EnabledBoolean;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.GroupElement;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.constraint.Constraint;
import org.drools.mvel.MVELConstraint;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a rule set skip the engine for subjects on which it is known to fire nothing.
 *
 * <p>When every rule of a set matches nothing but {@link Subject} patterns whose constraints read only
 * {@code Subject} fields and literals (the shape of the shipped pack: {@code Subject( eventType == "dns",
 * nameHasMcpToken == true, registered == false )}), whether any rule fires for a subject is a function of the
 * fields those constraints read: its <em>projection</em>. So once the engine has fired nothing for one subject,
 * it fires nothing for every subject with the same projection, and those need not enter the engine. On a bulk
 * capture most new names (a DNS lookup of an unremarkable name) share a handful of projections.
 *
 * <p>The analysis is conservative: a set that has any other element (a pattern of another type such as an
 * event, {@code eval}, {@code from}, {@code accumulate}, {@code forall}, queries used as patterns), a constraint
 * with anything besides field names, literals and operators (a bound variable, a global, a method call), or a
 * time-dependent rule attribute (timer, calendars, date-effective/expires, an enabled expression) gets no
 * projections ({@link #analyse} returns null) and every subject enters the engine as before. Only a firing with
 * no activation at all marks a projection silent; any firing, even one that inserts no verdict, does not.
 */
final class SilentProjections {
    /** Projections remembered at most; the memory is emptied when full. */
    static final int MAX = 4096;

    /** Words a constraint may contain besides field names: literals and the operators of the rule language. */
    private static final Set<String> WORDS = Set.of("true", "false", "null", "matches", "contains", "excludes",
            "memberOf", "soundslike", "in", "not", "str", "startsWith", "endsWith", "length");

    private static final Map<String, RecordComponent> FIELDS = new TreeMap<>();

    static {
        for (RecordComponent c : Subject.class.getRecordComponents()) {
            FIELDS.put(c.getName(), c);
        }
    }

    private final RecordComponent[] read;
    private final Set<List<Object>> silent = ConcurrentHashMap.newKeySet();

    private SilentProjections(RecordComponent[] read) {
        this.read = read;
    }

    /**
     * The projections of a compiled set, or null when the set is not of the shape described above (then the
     * reason is in {@code why[0]} when {@code why} is not null).
     */
    static SilentProjections analyse(KieBase base, String[] why) {
        Set<String> fields = new java.util.TreeSet<>();
        for (KiePackage p : base.getKiePackages()) {
            for (Rule r : p.getRules()) {
                String reason = analyse(r, fields);
                if (reason != null) {
                    if (why != null) {
                        why[0] = "rule '" + r.getName() + "': " + reason;
                    }
                    return null;
                }
            }
        }
        List<RecordComponent> read = new ArrayList<>();
        for (String f : fields) {
            read.add(FIELDS.get(f));
        }
        return new SilentProjections(read.toArray(new RecordComponent[0]));
    }

    /** Null when the rule is of the shape, with the fields it reads added to {@code fields}; else why not. */
    private static String analyse(Rule rule, Set<String> fields) {
        if (!(rule instanceof RuleImpl r)) {
            return "not a compiled rule";
        }
        if (r.isQuery()) {
            return null; // a query never fires
        }
        if (r.getTimer() != null || r.getCalendars() != null && r.getCalendars().length > 0
                || r.getDateEffective() != null || r.getDateExpires() != null
                || !(r.getEnabled() instanceof EnabledBoolean)) {
            return "depends on time (timer, calendars, date-effective/expires or an enabled expression)";
        }
        return element(r.getLhs(), fields);
    }

    private static String element(Object e, Set<String> fields) {
        if (e instanceof GroupElement g) {
            for (Object child : g.getChildren()) {
                String reason = element(child, fields);
                if (reason != null) {
                    return reason;
                }
            }
            return null;
        }
        if (e instanceof Pattern p) {
            if (!(p.getObjectType() instanceof ClassObjectType t) || t.getClassType() != Subject.class) {
                return "matches " + p.getObjectType();
            }
            if (p.getSource() != null) {
                return "a Subject pattern with a source (from, accumulate, collect)";
            }
            for (Constraint c : p.getConstraints()) {
                if (!(c instanceof MVELConstraint m)) {
                    return "constraint " + c;
                }
                String reason = words(m.getExpression(), fields);
                if (reason != null) {
                    return reason;
                }
            }
            return null;
        }
        return "has " + e.getClass().getSimpleName();
    }

    /** Collects the field names of a constraint; null when it has no other word than literals and operators. */
    static String words(String expression, Set<String> fields) {
        int i = 0;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && expression.charAt(end) != c) {
                    end += expression.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
            } else if (Character.isJavaIdentifierStart(c)) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(expression.charAt(end))) {
                    end++;
                }
                String w = expression.substring(i, end);
                if (FIELDS.containsKey(w)) {
                    fields.add(w);
                } else if (!WORDS.contains(w)) {
                    return "constraint '" + expression + "' reads '" + w + "'";
                }
                i = end;
            } else if (c == '.' && i + 1 < n && Character.isJavaIdentifierStart(expression.charAt(i + 1))) {
                return "constraint '" + expression + "' reads a member";
            } else {
                i++;
            }
        }
        return null;
    }

    /** The fields the rules read, in name order. */
    List<String> fields() {
        return Arrays.stream(read).map(RecordComponent::getName).toList();
    }

    /** The values of those fields. */
    List<Object> projection(Subject s) {
        Object[] v = new Object[read.length];
        try {
            for (int i = 0; i < read.length; i++) {
                v[i] = read[i].getAccessor().invoke(s);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Subject accessor", e);
        }
        return Arrays.asList(v);
    }

    boolean isSilent(List<Object> projection) {
        return silent.contains(projection);
    }

    /** The engine fired nothing for a subject with this projection. */
    void markSilent(List<Object> projection) {
        if (silent.size() >= MAX) {
            silent.clear();
        }
        silent.add(projection);
    }

    int size() {
        return silent.size();
    }
}
